"""The domain's fixed vocabulary and thresholds, defined once.

Enumeration codes are what the store holds; their English and Chinese words live in the
translation table (`translations.csv`, keys `<field>.<code>`), which uploads also accept.
Every threshold a measure uses is here and nowhere else: `store.py` turns THRESHOLDS into SQL
macros (`th_<name>()`) so the SQL measures and the Python code read the same numbers.
"""

from __future__ import annotations

import datetime as dt

ENUMS: dict[str, tuple[str, ...]] = {
    "belt": ("east", "central", "west"),
    "domain": (
        "digital_economy",
        "green_low_carbon",
        "social_governance",
        "government_services",
        "smart_city",
        "rural_revitalisation",
        "healthcare",
        "education",
        "digital_finance",
        "emergency_management",
        "industrial_internet",
    ),
    "pilot_type": ("basic", "exploratory", "demonstration"),
    "project_status": ("active", "completed", "suspended", "withdrawn"),
    "phase": ("launch", "deepening", "promotion"),
    "milestone_kind": ("organisation", "progress", "outcome", "benefit", "risk"),
    "indicator_category": (
        "policy_innovation",
        "industry_breakthrough",
        "public_services",
        "governance",
        "resource_efficiency",
        "service_efficiency",
    ),
    "direction": ("higher", "lower"),
    "source": ("central", "local", "social"),
    "budget_category": ("hardware", "software", "integration", "training", "reserve", "operations"),
    "risk_category": ("policy", "technical", "market", "social", "management", "external"),
    "risk_status": ("open", "mitigated", "closed"),
    "risk_strategy": ("avoid", "mitigate", "transfer", "accept"),
    "issue_source": ("meeting", "inspection", "warning", "assessment", "third_party", "public"),
    # Promotion and cases 经验推广 (pilotdash/cases): a case's kind, its maturity in funnel order,
    # the level of the standard it became.
    "case_kind": ("mechanism", "technology", "model", "standard"),
    "case_maturity": ("draft", "evaluated", "recommended", "adopted"),
    "standard_level": ("none", "local", "industry", "national"),
    # Derived states, not uploaded, but shown and translated the same way.
    "indicator_status": ("met", "near", "behind", "no_data"),
    "milestone_state": ("done_on_time", "done_late", "overdue", "upcoming", "closed"),
    "health": ("red", "amber", "green"),
    "risk_level": ("red", "orange", "yellow", "low"),
    # Tasks and issues on a date (pilotdash/sql/measures.sql task_states, issue_states).
    "task_state": ("done_on_time", "done_late", "overdue", "behind", "on_track", "closed"),
    "issue_state": ("verified", "resolved", "overdue", "open", "closed"),
    # Early warning 预警 (pilotdash/sql/warnings.sql): levels worst first, states, conditions.
    "warning_level": ("red", "orange", "yellow"),
    "warning_state": ("open", "acknowledged", "resolved", "closed"),
    "warning_condition": ("milestone_overdue", "overspend", "open_risk", "indicators_off_track", "spi_low",
                          "cpi_low", "low_execution", "indicator_behind", "reading_missing",
                          "grade_poor", "grade_fair",  # assessment: a latest grade of 差 / 中
                          "task_overdue", "issue_overdue", "risk_review_overdue",  # tasks and issues
                          "no_case"),  # promotion: a promotion-phase pilot with no case
    # Assessment 考核评价 (pilotdash/assessment, sql/assessment.sql).
    "eval_method": ("indicator", "measure", "survey", "manual"),
    "round_kind": ("quarterly", "annual", "midterm", "final"),
    "evaluator": ("self", "department", "third_party"),
    "respondent": ("public", "enterprise"),
    "yes_no": ("true", "false"),
    # What a measure leaf may name: the pilot's own measures of measures.sql. The last two come with
    # the task work; a scheme naming one is refused until its macro exists in the store.
    "eval_measure": ("execution_rate", "arrival_rate", "utilisation", "milestone_completion", "spi", "cpi",
                     "share_met", "on_time_delivery", "issue_resolution"),
    "grade": ("excellent", "good", "fair", "poor"),
    # A leaf's state: scored, no data (scored 0), not applicable (left out of the total), not
    # scored yet (a manual leaf without a score).
    "leaf_state": ("scored", "no_data", "not_applicable", "not_scored"),
}
# The measures a leaf may name that are not in measures.sql from the start (see eval_measure).
LATER_MEASURES: tuple[str, ...] = ("on_time_delivery", "issue_resolution")

THRESHOLDS: dict[str, float] = {
    # Indicator status: achievement >= met is met, >= near is near, else behind.
    "met": 1.0,
    "near": 0.9,
    # Fund execution / utilisation target from the seed plans.
    "fund_target": 0.85,
    # Earned value: below warn is a warning (amber), below red is red.
    "ev_warn": 0.9,
    "ev_red": 0.8,
    # Risk score = probability x impact.
    "risk_red": 15,
    "risk_orange": 8,
    "risk_yellow": 4,
    # A milestone overdue by more than this many days makes a project red.
    "overdue_red_days": 30,
    # Health red when fewer than this share of indicators with data are met or near.
    "min_share_ok": 0.5,
    # Achievement is capped at this only where a chart needs a bounded axis.
    "chart_cap": 1.5,
    # Expected local matching ratio (local / central allocated).
    "matching": 1.0,
    "matching_east": 1.5,
    # Early warning (预警): a reading older than this many months (two quarters) is missing, and
    # a warning must be answered within these hours of being raised, by level.
    "reading_stale_months": 6,
    "respond_red_hours": 24,
    "respond_orange_hours": 72,
    "respond_yellow_hours": 48,
    # Tasks (shared/domain.md "Tasks, issues and risk reviews"): a task is behind when its progress
    # is more than this many points under planned; a risk review is due every quarter, overdue when
    # the latest is more than this many days old; issues resolved: the seed's first-year target.
    "behind_points": 10,
    "review_days": 92,
    "resolution_target": 0.8,
    # Promotion and cases 经验推广: the conversion rate's target (seed 000 §3.3: 经验转化率 60%), and
    # coverage's denominator, the 31 mainland provinces (shared/domain.md).
    "conversion_target": 0.6,
    "coverage_provinces": 31,
}
# Assessment 考核评价 (财预〔2020〕10号; survey targets from seed 003 §3.3): grade bands on the total,
# the share of its marks below which a veto item makes the grade 差, the satisfaction targets, and
# how far a self total may sit above the final one before it is flagged inflated (自评虚高).
THRESHOLDS.update({
    "grade_excellent": 90,
    "grade_good": 80,
    "grade_fair": 60,
    "veto_share": 0.6,
    "survey_public": 0.90,
    "survey_enterprise": 0.85,
    "inflated_points": 10,
})
# The thresholds an SPI or CPI is judged against, and an achievement rate's (status), as shown
# beside their verdict (i18n.judged never rounds a number up onto one it misses).
EV_THRESHOLDS: tuple[float, ...] = (THRESHOLDS["ev_warn"], THRESHOLDS["ev_red"])
STATUS_THRESHOLDS: tuple[float, ...] = (THRESHOLDS["met"], THRESHOLDS["near"])

# Health reasons, worst first; the code is the translation key suffix (`reason.<code>`).
HEALTH_REASONS: dict[str, str] = {
    "milestone_overdue_30d": "red",
    "overspend": "red",
    "open_red_risk": "red",
    "indicators_off_track": "red",
    "grade_poor": "red",  # assessment: a latest grade of 差
    "milestone_overdue": "amber",
    "indicator_behind": "amber",
    "low_execution_closed_year": "amber",
    "spi_low": "amber",
    "cpi_low": "amber",
    "open_orange_risk": "amber",
    "grade_fair": "amber",  # assessment: a latest grade of 中
    "task_overdue_30d": "amber",
    "issue_overdue_30d": "amber",
}

# Upload tables in the order a fresh store is loaded (references first).
TABLES: tuple[str, ...] = (
    "indicators",
    "projects",
    "phases",
    "milestones",
    "targets",
    "readings",
    "budget_lines",
    "risks",
    # Assessment: the scheme before the rounds that name it, the pilots before their scores.
    "eval_items",
    "eval_rounds",
    "eval_scores",
    "surveys",
    "risk_reviews",
    "tasks",
    "issues",
    "cases",
    "adoptions",
)


def previous_fiscal_year_end(as_of: dt.date) -> dt.date:
    """The end of the fiscal year before `as_of`'s: what money's change compares against, since
    budget lines count per fiscal year (every quarter of a year has the same lines)."""
    return dt.date(as_of.year - 1, 12, 31)


def previous_period_end(as_of: dt.date) -> dt.date:
    """The quarter end before `as_of`: what "since the last period" compares against.
    Analysts report monthly or quarterly, so the quarter is the period every pilot has."""
    quarter_start = dt.date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)
    return quarter_start - dt.timedelta(days=1)
