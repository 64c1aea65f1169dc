"""The case library and the promotion figures, shaped for the Cases page and its downloads: the
funnel as one row per belt and stage, the province tiles with their adoptions, and each case's
pilot's latest assessment grade once assessment provides it."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..domain import ENUMS
from ..reference import provinces

STAGES = ENUMS["case_maturity"]  # the funnel's stages, in order


def latest_grades(store, project_ids: list[str], as_of: dt.date) -> dict[str, str | None]:
    """Each pilot's latest assessment grade on `as_of` (the grade code, or None without one: the
    measures.sql macro `latest_grades` that health reads too), read through `store` (the person's,
    so limited to their scope)."""
    if not project_ids:
        return {}
    rows = store.rows("SELECT project_id, grade FROM latest_grades(?::DATE) WHERE list_contains(?::VARCHAR[], project_id)",
                      [as_of, list(project_ids)])
    found = dict(rows)
    return {p: found.get(p) for p in project_ids}


def funnel(summary: pd.DataFrame) -> pd.DataFrame:
    """promotion_summary's belt rows as (belt, stage, cases): the cases of each belt that reached
    each stage by the as-of date, draft first."""
    belts = summary.loc[summary["belt"].notna(), ["belt", *STAGES]]
    long = belts.melt(id_vars=["belt"], value_vars=list(STAGES), var_name="stage", value_name="cases")
    ordered = long.sort_values(["stage"], key=lambda s: s.map(STAGES.index), kind="stable")
    return ordered.reset_index(drop=True)


def coverage_tiles(adoptions: pd.DataFrame) -> pd.DataFrame:
    """Every province as a map tile (the reference tiles: adoptions reach provinces beyond a
    person's own) with case_adoptions_by_province's adoptions and adopted cases, 0 where none."""
    tiles = pd.DataFrame(list(provinces().values()))
    tiles[["tile_row", "tile_col"]] = tiles[["tile_row", "tile_col"]].astype(int)
    merged = tiles.merge(adoptions, on="province_code", how="left")
    merged[["adoptions", "adopted_cases"]] = merged[["adoptions", "adopted_cases"]].fillna(0).astype(int)
    merged["in_view"] = True
    return merged
