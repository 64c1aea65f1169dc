"""Who may give which scores (shared/domain.md "Assessment and grading"), through the one access
policy: a pilot unit's submitters its own pilots' self scores (`score_self`), reviewers of the
province the department scores (`score_department`), reviewers whose scope covers the pilots the
third-party scores (`score_third_party`, the organisation named in evaluator_org), national
reviewers the schemes and rounds (`assessment_scheme`).

Scores arrive as uploads. The upload's scope check rejects, per row, a pilot outside the scope
and an evaluator the scope's office is not (ingest.validate.scope_rules); `check_plan` asks the
policy for every row's action before a submission is stored or applied (a refusal is audited
and nothing is stored), and `record` leaves the one audit entry of the scores it gave, in the
submission's or upload's own write.
"""

from __future__ import annotations

from .. import audit, policy

SCORE_TABLES = ("eval_scores",)
SCHEME_TABLES = ("eval_items", "eval_rounds")


def _score_rows(base, plan) -> list[tuple[str, str, str | None, str | None]]:
    """(evaluator, project_id, province_code, city_code) of the plan's valid rows, once each (the
    city too: a prefecture office's scope holds a pilot by its city alone)."""
    if plan.rows is None or plan.rows.num_rows == 0:
        return []
    pairs = sorted({(e, p) for e, p in zip(plan.rows.column("evaluator").to_pylist(),
                                            plan.rows.column("project_id").to_pylist())})
    places = {r[0]: (r[1], r[2]) for r in base.rows(
        "SELECT project_id, province_code, city_code FROM projects "
        "WHERE project_id IN (SELECT unnest(?::VARCHAR[]))",
        [sorted({p for _e, p in pairs})],
    )}
    return [(e, p, *places.get(p, (None, None))) for e, p in pairs]


def check_plan(base, person, plan) -> None:
    """Nothing when `person` may give every row of `plan`; else the first refusal is audited and
    Problem("access.not_allowed") raised. Other tables: nothing to ask here."""
    if plan.table in SCHEME_TABLES:
        policy.require(base, person, "assessment_scheme", policy.Resource(), what=f"{plan.table} {plan.file_name}")
        return
    if plan.table not in SCORE_TABLES:
        return
    for evaluator, project_id, province, city in _score_rows(base, plan):
        policy.require(base, person, f"score_{evaluator}",
                       policy.Resource(project_id=project_id, province_code=province, city_code=city),
                       what=f"{evaluator} scores of {project_id}")


def record(writer, person, plan, what: str) -> None:
    """The audit entry of the scores (or scheme rows) a submission or upload gives, in its write."""
    if plan.table not in SCORE_TABLES + SCHEME_TABLES or plan.rows is None:
        return
    detail: dict[str, object] = {"table": plan.table, "file": plan.file_name, "rows": plan.rows.num_rows}
    if plan.table in SCORE_TABLES:
        rows = plan.rows
        detail["evaluators"] = sorted(set(rows.column("evaluator").to_pylist()))
        detail["pilots"] = sorted(set(rows.column("project_id").to_pylist()))
        detail["rounds"] = sorted(set(rows.column("round_id").to_pylist()))
    audit.record(writer, person.email, "score", what, person.scope, detail)
