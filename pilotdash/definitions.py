"""The measures the Definitions page explains, in the order it lists them.

Each measure's words live in `translations.csv` under `definitions.<key>.name`, `.rule` and,
where domain.md leaves a point open and the implementation (pilotdash/sql/measures.sql) chose,
`.choice`. The numbers in the words are placeholders filled from `domain.THRESHOLDS` by
`threshold_words`, so the page cannot drift from what the measures compute.
"""

from __future__ import annotations

from .domain import THRESHOLDS
from .i18n import fmt_number, fmt_pct

# (group, measures); every measure has .name and .rule keys.
MEASURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("indicators", ("achievement", "gap", "indicator_status", "current_actual", "target_precedence", "share_met")),
    ("money", ("fund_rates", "overspend", "matching", "counted_lines")),
    ("schedule", ("phase_on_date", "phase_progress", "milestone_states", "milestone_completion",
                  "behind_schedule", "earned_value")),
    ("risk_health", ("risk_score", "health")),
    ("tasks", ("task_states", "task_progress", "on_time_delivery", "issue_states", "issue_resolution", "risk_reviews")),
    ("dates", ("as_of",)),
    ("assessment", ("assessment_leaves", "assessment_total", "assessment_final", "latest_grade")),
    ("promotion", ("conversion_rate", "coverage", "case_stage", "places")),
)

# Measures with a `.choice` note: what the implementation chose where domain.md is silent.
CHOICES: frozenset[str] = frozenset({
    "achievement", "indicator_status", "share_met", "phase_on_date", "phase_progress", "milestone_completion",
    "earned_value", "health", "fund_rates", "target_precedence", "matching",
    "assessment_leaves", "assessment_final",
    "task_progress",
    "conversion_rate", "case_stage", "places",
})

# What each threshold is, for the threshold table (its words: definitions.th.<name>).
THRESHOLD_ORDER: tuple[str, ...] = tuple(THRESHOLDS)


def threshold_words(lang: str) -> dict[str, str]:
    """Every threshold as it reads in a sentence: rates as percentages, indices as decimals,
    risk bands as score ranges, the matching ratios as 1:x."""
    th = THRESHOLDS
    whole = lambda v: f"{v:g}"  # noqa: E731 - a one-line formatter
    return {
        "met": fmt_pct(th["met"], lang, 0),
        "near": fmt_pct(th["near"], lang, 0),
        "fund_target": fmt_pct(th["fund_target"], lang, 0),
        "ev_warn": fmt_number(th["ev_warn"], lang, 1),
        "ev_red": fmt_number(th["ev_red"], lang, 1),
        "risk_red": f"{whole(th['risk_red'])}–25",
        "risk_orange": f"{whole(th['risk_orange'])}–{whole(th['risk_red'] - 1)}",
        "risk_yellow": f"{whole(th['risk_yellow'])}–{whole(th['risk_orange'] - 1)}",
        "risk_low": f"1–{whole(th['risk_yellow'] - 1)}",
        "overdue_days": whole(th["overdue_red_days"]),
        "min_share_ok": fmt_pct(th["min_share_ok"], lang, 0),
        "chart_cap": fmt_pct(th["chart_cap"], lang, 0),
        "matching": f"1:{whole(th['matching'])}",
        "matching_east": f"1:{whole(th['matching_east'])}",
        "grade_excellent": whole(th["grade_excellent"]),
        "grade_good": whole(th["grade_good"]),
        "grade_fair": whole(th["grade_fair"]),
        "veto_share": fmt_pct(th["veto_share"], lang, 0),
        "inflated_points": whole(th["inflated_points"]),
        "behind_points": whole(th["behind_points"]),
        "review_days": whole(th["review_days"]),
        "resolution_target": fmt_pct(th["resolution_target"], lang, 0),
        "conversion_target": fmt_pct(th["conversion_target"], lang, 0),
        "coverage_provinces": whole(th["coverage_provinces"]),
    }


def rule_key(measure: str) -> str:
    """The translation key of a measure's rule. "Behind schedule" is worded once, by the
    Phase progress page that applies it."""
    return "phases.behind_definition" if measure == "behind_schedule" else f"definitions.{measure}.rule"
