"""The registry of measures the pages show: one entry per number, beside `domain.py`.

A measure's formula is a macro in `sql/measures.sql`; the named queries return it as a column
named by its `code`. This registry says how it is shown: its kind (how it is formatted, how a
change is written, which column type a table gives it), its name and help (translation keys),
whether a rise is bad news (the change is drawn red), and its entry on the Definitions page.
Headline numbers (`ui.headline`), table columns (`ui.measure_columns`, also the downloads'
headers), the Regions map's measures and the Definitions page's "shown as" lines are made from it.

A new measure: its macro in measures.sql, its column in the named queries that show it, one
entry here, and its words in translations.csv. Shown as a headline on Overview and Project: its
column in `queries/overview_totals.sql` (both pages read their headline row from it) and its code
in `HEADLINES` below; no page file changes.
"""

from __future__ import annotations

import dataclasses

from .definitions import MEASURES as DEFINED

KINDS = ("count", "pct", "money")


@dataclasses.dataclass(frozen=True)
class Measure:
    code: str  # the column the named queries return it in
    kind: str  # "count" (1,234), "pct" (a ratio shown as 12.3%), "money" (万元)
    label: str  # translation key of its name
    help: str | None = None  # translation key of its default help text
    worse_when_up: bool = False  # a rise is bad news: its change is drawn red
    definition: str | None = None  # its entry on the Definitions page (definitions.<key>)
    health: str | None = None  # a count of pilots of this health: shown with its shape (ui.health_badge)
    per_fiscal_year: bool = False  # money counts per fiscal year: its change is since the last fiscal year end

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"measure {self.code}: kind {self.kind!r} is not one of {KINDS}")
        if self.definition and self.definition not in {m for _, ms in DEFINED for m in ms}:
            raise ValueError(f"measure {self.code}: no Definitions entry {self.definition!r}")


MEASURES: dict[str, Measure] = {m.code: m for m in (
    Measure("projects", "count", "overview.projects", "overview.projects_count_help"),
    Measure("red", "count", "overview.red", worse_when_up=True, definition="health", health="red"),
    Measure("amber", "count", "overview.amber", worse_when_up=True, definition="health", health="amber"),
    Measure("green", "count", "overview.green", definition="health", health="green"),
    Measure("share_red", "pct", "regions.measure.share_red", worse_when_up=True, definition="health"),
    Measure("allocated", "money", "overview.allocated", "overview.money_covered_help", definition="fund_rates",
            per_fiscal_year=True),
    Measure("disbursed", "money", "funds.disbursed", "overview.money_covered_help", definition="fund_rates",
            per_fiscal_year=True),
    Measure("spent", "money", "overview.spent", definition="fund_rates", per_fiscal_year=True),
    Measure("utilisation", "pct", "overview.utilisation", definition="fund_rates", per_fiscal_year=True),
    Measure("arrival_rate", "pct", "overview.arrival_rate", definition="fund_rates", per_fiscal_year=True),
    Measure("execution_rate", "pct", "overview.execution_rate", definition="fund_rates", per_fiscal_year=True),
    Measure("unspent_allocated", "money", "funds.unspent_allocated", definition="fund_rates", per_fiscal_year=True),
    Measure("unspent_disbursed", "money", "funds.unspent_disbursed", "funds.unspent_help", definition="fund_rates",
            per_fiscal_year=True),
    Measure("overspent_lines", "count", "funds.overspent_lines", "funds.overspent_help", worse_when_up=True,
            definition="overspend", per_fiscal_year=True),
    Measure("overspent_projects", "count", "overview.overspent_projects", worse_when_up=True, definition="overspend",
            per_fiscal_year=True),
    Measure("share_met", "pct", "overview.share_met", definition="share_met"),
    Measure("overdue_milestones", "count", "overview.overdue_milestones", "overview.overdue_milestones_help",
            worse_when_up=True,
            definition="milestone_states"),
    # Assessment 考核评价: pilots of each final grade in the latest round ended by the as-of date.
    Measure("grade_excellent", "count", "grade.excellent", "assess.grade_count_help"),
    Measure("grade_good", "count", "grade.good", "assess.grade_count_help"),
    Measure("grade_fair", "count", "grade.fair", "assess.grade_count_help", worse_when_up=True),
    Measure("grade_poor", "count", "grade.poor", "assess.grade_count_help", worse_when_up=True),
    Measure("on_time_delivery", "pct", "tasks.on_time_delivery", definition="on_time_delivery"),
    Measure("issue_resolution", "pct", "tasks.issue_resolution", definition="issue_resolution"),
    Measure("conversion_rate", "pct", "cases.conversion", definition="conversion_rate"),
    Measure("coverage", "pct", "cases.coverage", definition="coverage"),
)}

# The headline numbers each page shows, row by row (`ui.headlines`): Overview's for the filtered
# pilots, Project's for its one pilot, both from queries/overview_totals.sql; Funds' from
# queries/fund_by_dimension.sql (dimension "total").
HEADLINES: dict[str, tuple[tuple[str, ...], ...]] = {
    "overview": (("projects", "red", "amber", "green"), ("allocated", "spent", "utilisation", "share_met"),
                 ("overdue_milestones", "overspent_projects", "arrival_rate", "execution_rate"),
                 ("grade_excellent", "grade_good", "grade_fair", "grade_poor"), ("on_time_delivery", "issue_resolution")),
    "project": (("allocated", "spent", "utilisation", "arrival_rate", "execution_rate"),
                ("share_met", "overdue_milestones", "on_time_delivery", "issue_resolution")),
    "funds": (("allocated", "disbursed", "spent"), ("arrival_rate", "execution_rate", "utilisation"),
              ("unspent_allocated", "unspent_disbursed", "overspent_lines")),
}

# The Regions map can colour provinces by these (the `measure` URL parameter, filters.PAGE_PARAMS).
MAP_MEASURES: tuple[str, ...] = ("projects", "share_red", "utilisation", "share_met", "allocated")


def _check_headlines() -> None:
    for page, rows in HEADLINES.items():
        unknown = [code for row in rows for code in row if code not in MEASURES]
        if unknown:
            raise ValueError(f"HEADLINES[{page!r}]: not registered measures {unknown}")


_check_headlines()


def shown_as(definition: str) -> list[str]:
    """The name keys of the measures the pages show under Definitions entry `definition`, in
    registry order, each once (the Definitions page lists them under the entry)."""
    return list(dict.fromkeys(m.label for m in MEASURES.values() if m.definition == definition))
