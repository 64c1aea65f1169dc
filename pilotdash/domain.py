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
    # Promotion and cases 经验推广 (pilotdash/cases): a case's kind, its maturity in funnel order,
    # the level of the standard it became.
    "case_kind": ("mechanism", "technology", "model", "standard"),
    "case_maturity": ("draft", "evaluated", "recommended", "adopted"),
    "standard_level": ("none", "local", "industry", "national"),
    # Derived states, not uploaded, but shown and translated the same way.
    "indicator_status": ("met", "near", "behind", "no_data"),
    "milestone_state": ("done_on_time", "done_late", "overdue", "upcoming"),
    "health": ("red", "amber", "green"),
    "risk_level": ("red", "orange", "yellow", "low"),
    # Early warning 预警 (pilotdash/sql/warnings.sql): levels worst first, states, conditions.
    "warning_level": ("red", "orange", "yellow"),
    "warning_state": ("open", "acknowledged", "resolved", "closed"),
    "warning_condition": ("milestone_overdue", "overspend", "open_risk", "indicators_off_track", "spi_low",
                          "cpi_low", "low_execution", "indicator_behind", "reading_missing",
                          "no_case"),
}

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
    # Promotion and cases 经验推广: the conversion rate's target (seed 000 §3.3: 经验转化率 60%), and
    # coverage's denominator, the 31 mainland provinces (shared/domain.md).
    "conversion_target": 0.6,
    "coverage_provinces": 31,
}
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
    "milestone_overdue": "amber",
    "indicator_behind": "amber",
    "low_execution_closed_year": "amber",
    "spi_low": "amber",
    "cpi_low": "amber",
    "open_orange_risk": "amber",
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
