"""The registry of table columns the pages show that are not measures: one entry per column
name, beside `measures.py` (the measures' columns) and `ui.pilot_columns` (link, name, belt, ...).

A page's table says which columns it shows (`ui.table_columns("link", "name", "fiscal_year",
"excess")`); their header, format, width and help are declared here once, so a column shown on
two pages reads the same on both and a header is changed in one place. The same column name
means the same thing on every page: `fiscal_year` is always a fiscal year, `excess` always
spent above disbursed in 万元.
"""

from __future__ import annotations

import dataclasses

KINDS = ("text", "number", "money", "pct", "pct_plain", "link")


@dataclasses.dataclass(frozen=True)
class Column:
    label: str  # translation key of its header
    kind: str = "text"  # text, number (with `format`), money (万元), pct (a 0-100% bar), pct_plain, link
    format: str | None = None  # a number's printf format ("%d", "%g") or "localized"; a link's shown text
    # (a regular expression on its URL)
    width: str | int | None = None
    help: str | None = None  # translation key of its help text
    mark: str | None = None  # a shape put before the header, so a status never rests on colour

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.label}: kind {self.kind!r} is not one of {KINDS}")


# Status shapes, the same on every page that shows an indicator status.
STATUS_MARKS = {"met": "✔", "near": "▲", "behind": "✖", "no_data": "·"}

# The shapes beside the other states' words (ui.row_words), so no state rests on colour alone.
STATE_MARKS = {
    "milestone_state": {"done_on_time": "✔", "done_late": "◐", "overdue": "✖", "upcoming": "○", "closed": "—"},
    "phase_state": {"done": "✔", "in_progress": "▶", "not_started": "○"},
    "risk_level": {"red": "✖", "orange": "▲", "yellow": "△", "low": "·"},
    "ev_band": {"red": "✖", "amber": "▲", "green": "✔"},
}

COLUMNS: dict[str, Column] = {
    # where and when (a pilot's own belt and province are `ui.pilot_columns`, narrow beside its
    # name; these are a group table's first column, as wide as the words)
    "belt_label": Column("filter.belt"),
    "province_label": Column("filter.province"),
    "region": Column("targets.region", width="small"),
    "fiscal_year": Column("filter.fiscal_year", "number", format="%d"),
    "period_end": Column("project.period_end", width=110),
    # money (funds)
    "source_label": Column("funds.dimension.source"),
    "category_label": Column("funds.dimension.category"),
    "excess": Column("funds.excess", "money"),
    "central_allocated": Column("funds.central_allocated", "money"),
    "local_allocated": Column("funds.local_allocated", "money"),
    "ratio_text": Column("funds.matching_ratio"),
    "expected_ratio": Column("funds.expected_ratio", "number", format="1:%.1f"),
    "verdict": Column("funds.verdict"),
    "overspend_text": Column("funds.overspend"),
    "bac": Column("funds.bac", "money"),
    "pv": Column("funds.pv", "money"),
    "ev": Column("funds.ev", "money"),
    "ac": Column("funds.ac", "money"),
    "spi_text": Column("funds.spi"),
    "cpi_text": Column("funds.cpi"),
    # indicators and their targets
    "indicator": Column("project.indicator", width="medium", help="targets.indicator_help"),
    "target": Column("project.target", "number", format="localized"),
    "source": Column("project.target_source", help="project.target_source_help"),
    "actual": Column("project.actual", "number", format="localized"),
    "gap": Column("project.gap", "number", format="localized", help="targets.gap_help"),
    "achievement": Column("project.achievement", "pct", help="targets.achievement_help"),
    "indicator_status": Column("targets.status", width="small"),
    "pairs": Column("targets.pairs", "number", help="targets.pairs_help"),
    "with_data": Column("targets.with_data", "number"),
    "indicator_link": Column("project.indicator_code", "link", format=r"indicator=([^&]+)", width="small",
                             help="targets.choose_help"),
    "indicator_name": Column("project.indicator", width="large", help="targets.indicator_help"),
    "share_met_of_pairs": Column("targets.share_met", "pct", mark=STATUS_MARKS["met"]),
    "share_near": Column("targets.share_near", "pct", mark=STATUS_MARKS["near"]),
    "share_behind": Column("targets.share_behind", "pct", mark=STATUS_MARKS["behind"]),
    "no_data": Column("indicator_status.no_data", "number", mark=STATUS_MARKS["no_data"]),
    "median_achievement": Column("targets.median_achievement", "pct_plain", help="targets.median_help"),
    # differentiated targets (Regions)
    "regions_indicator": Column("regions.indicator", width="medium"),
    "regions_target": Column("regions.target", "number", format="%g"),
    "scope_text": Column("regions.scope", width="small"),
    "phase_text": Column("filter.phase", width="small"),
    "national_target": Column("regions.national_target", "number", format="%g"),
    "difference": Column("regions.difference", "number", format="%+g"),
    "reads": Column("regions.reads", width="large"),
    # milestones and schedule (Phases)
    "milestone": Column("phases.milestone"),
    "milestone_phase": Column("filter.phase", width="small"),
    "kind": Column("phases.kind", width="small"),
    "due_date": Column("phases.due_date", width=110),
    "overdue_days": Column("phases.overdue_days", "number", format="%d", width="small"),
    "behind": Column("phases.schedule", width="small"),
    "schedule_reasons": Column("common.reasons"),
    "slip_days": Column("phases.slip_days", "number", format="%d", width="small", help="phases.slip_days_help"),
    "phase_progress": Column("phases.phase_progress", "pct", help="phases.phase_progress_help"),
    "due": Column("phases.due", "number", format="%d", width="small"),
    "overdue": Column("milestone_state.overdue", "number", format="%d", width="small"),
    "completion": Column("phases.completion", "pct", help="phases.completion_help"),
    "spi": Column("phases.spi", "number", format="%.2f", width="small", help="phases.spi_help"),
    # one pilot's record (Project): its phases, milestones, indicators, budget lines and risks
    "phase_state": Column("phases.state"),
    "planned_start": Column("project.planned_start"),
    "planned_end": Column("project.planned_end"),
    "actual_start": Column("project.actual_start"),
    "actual_end": Column("project.actual_end"),
    "start_slip_days": Column("project.start_slip", "number", format="%d"),
    "end_slip_days": Column("project.end_slip", "number", format="%d"),
    "milestone_id": Column("project.milestone_id"),
    "done_date": Column("phases.done_date"),
    "state": Column("phases.state"),
    "days_overdue": Column("phases.overdue_days"),  # in words: "—" where a milestone is not overdue
    "indicator_code": Column("project.indicator_code", width="small"),
    "unit": Column("project.unit", width="small"),
    "direction": Column("project.direction"),
    "achievement_plain": Column("project.achievement", "pct_plain", help="targets.achievement_help"),
    "counted": Column("project.counted", help="project.counted_help"),
    "risk_id": Column("project.risk_id"),
    "risk_category": Column("project.category", width="small"),
    "description": Column("project.description"),
    "probability": Column("project.probability", "number", format="%d", width="small"),
    "impact": Column("project.impact", "number", format="%d", width="small"),
    "score": Column("project.score", "number", format="%d", width="small"),
    "risk_level": Column("project.level", width="small"),
    "risk_status": Column("filter.status", width="small"),
    "owner": Column("project.owner", width="small"),
    "identified_on": Column("project.identified_on"),
}
