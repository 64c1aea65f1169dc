"""Reference data that ships with the code: the 31 provinces, their belt and map tile."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources


@cache
def provinces() -> dict[str, dict[str, str]]:
    with resources.files(__package__).joinpath("reference", "provinces.csv").open(encoding="utf-8") as f:
        return {row["province_code"]: row for row in csv.DictReader(f)}
