"""The case library and the promotion figures, shaped for the Cases page and its downloads: the
funnel as one row per belt and stage, the province tiles with their adoptions, and each case's
pilot's latest assessment grade once assessment provides it."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..domain import ENUMS
from ..reference import provinces

# The assessment work (pilotdash/assessment) defines a pilot's latest grade (shared/domain.md
# "Assessment and grading") as the scalar SQL macro latest_grade(project_id, as_of), the grade code
# (excellent, good, fair, poor) or NULL. Until a store has it, the library has no grade column.
GRADE_MACRO = "latest_grade"

STAGES = ENUMS["case_maturity"]  # the funnel's stages, in order


def latest_grades(store, project_ids: list[str], as_of: dt.date) -> dict[str, str | None] | None:
    """Each pilot's latest grade on `as_of` through `GRADE_MACRO`, read through `store` (the
    person's, so limited to their scope); None while the store has no such macro."""
    found = store.rows("SELECT count(*) FROM duckdb_functions() WHERE function_name = ?", [GRADE_MACRO])
    if not found or not found[0][0]:
        return None
    if not project_ids:
        return {}
    rows = store.rows(f"SELECT p, {GRADE_MACRO}(p, ?::DATE) FROM unnest(?::VARCHAR[]) AS t(p)",
                      [as_of, list(project_ids)])
    return dict(rows)


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
