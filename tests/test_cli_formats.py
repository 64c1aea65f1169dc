"""`query NAME --format json|csv` for every named query gives valid JSON (every missing value
null) and CSV of the same rows; `query ... | head` ends quietly.

At scale 1 (the demo data) by default. The benchmark (or anyone) runs the same test at other
scales with PILOTDASH_QUERY_SCALES=10 (comma-separated): the scale's store is bench.common's.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from pilotdash import cli, named_queries
from pilotdash.store import DEMO_DIR, ROOT, build

SCALES = [int(s) for s in os.environ.get("PILOTDASH_QUERY_SCALES", "1").split(",") if s.strip()]
# As-of dates: the demo's data date, and one before many pilots started (empty and partial rows).
DATES = ("2026-09-30", "2021-06-30")


@pytest.fixture(scope="module", params=SCALES, ids=lambda s: f"scale{s}")
def store_path(request, tmp_path_factory):
    if request.param == 1:
        path = tmp_path_factory.mktemp("scale1") / "store.duckdb"
        build(path, DEMO_DIR)
        return path
    from bench.common import ensure_scale, store_path as bench_store

    ensure_scale(request.param)
    return bench_store(request.param)


def run_cli(capsys, *argv: str) -> str:
    assert cli.main(list(argv)) == 0
    return capsys.readouterr().out


def _strict(text: str):
    """JSON as a strict reader takes it: NaN, Infinity are not JSON."""
    def refuse(name):
        raise ValueError(f"not JSON: {name}")
    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("name", sorted(named_queries.catalogue()))
@pytest.mark.parametrize("as_of", DATES)
def test_every_query_gives_valid_json_and_csv(store_path, capsys, name, as_of):
    query = named_queries.get(name)
    params = ["--param", f"as_of={as_of}"] if any(p.name == "as_of" for p in query.params) else []
    records = _strict(run_cli(capsys, "--store", str(store_path), "query", name, "--format", "json", *params))
    assert isinstance(records, list)
    for record in records:
        assert list(record) == list(query.columns)
        for value in record.values():
            assert value is None or isinstance(value, (str, int, float, bool, list, dict))
    rows = list(csv.reader(io.StringIO(run_cli(capsys, "--store", str(store_path), "query", name, *params))))
    assert rows[0] == list(query.columns)
    assert len(rows) - 1 == len(records)


def test_missing_values_are_null(store_path, capsys):
    # warnings_list has empty texts and times (NA in pandas) and overview_totals "—" rates.
    totals = _strict(run_cli(capsys, "--store", str(store_path), "query", "overview_totals", "--format", "json",
                             "--param", "as_of=2019-01-01"))
    assert totals[0]["projects"] == 0 and totals[0]["utilisation"] is None and totals[0]["share_met"] is None


def test_a_closed_pipe_ends_quietly(store_path):
    # `query ... | head -1`: the reader leaves after one line; no BrokenPipe traceback.
    proc = subprocess.run(
        f"{sys.executable} -m pilotdash --store {store_path} query indicator_status | head -1",
        shell=True, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.stdout.startswith("project_id,")
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr, proc.stderr
