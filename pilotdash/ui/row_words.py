"""The words a page's tables and charts show for the rows of its named queries: a pilot's link,
name, belt and province; a money group's name and order; SPI/CPI and matching ratios beside
their verdicts; an indicator's status, title and the targets that apply; a milestone's and a
schedule's words. Each takes the language it writes in (a download is made after the run, when
the view's language can no longer be read) and works each distinct value out once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from ..columns import STATE_MARKS, STATUS_MARKS
from ..domain import ENUMS, EV_THRESHOLDS
from ..filters import province_name
from ..i18n import (fmt_date, fmt_judged, fmt_matching_ratio, fmt_money, fmt_number, fmt_pct, label, t,
                    unit_label)
from .state import lang, links
from .text import count, date_texts, health_badge, local_names, project_name, words

ARROWS = {"higher": "↑", "lower": "↓"}  # an indicator's direction beside its name


def _language(language: str | None) -> str:
    return language or lang()


# Pilots ---------------------------------------------------------------------------------------

def pilot_words(frame: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    """A copy of `frame` led by a link to each pilot's page and its name, with its belt and
    province (`province_code`) in words as `belt` and `province` (ui.pilot_columns)."""
    language = _language(language)
    shown = frame.copy(deep=False)
    shown.insert(0, "link", links("project", "project", shown["project_id"].tolist()))
    shown.insert(1, "name", local_names(shown, language).tolist())
    if "belt" in shown:
        shown["belt"] = words(shown["belt"], lambda b: label("belt", b, language))
    if "province_code" in shown:
        shown["province"] = words(shown["province_code"], lambda p: province_name(p, language))
    return shown


def enum_words(values: pd.Series, field: str, language: str | None = None) -> list[str]:
    """The words of enumeration `field` for a column of its codes."""
    language = _language(language)
    return words(values, lambda c: label(field, c, language))


# Money ----------------------------------------------------------------------------------------

# The dimensions money is grouped by (fund_by_dimension's `dimension`), and the enumeration that
# names and orders each one's codes (none: named by the page's words, in the query's order).
MONEY_DIMENSIONS = {"source": "source", "category": "budget_category", "fiscal_year": None, "belt": "belt",
                    "province": None}


def group_words(dimension: str, code: object, language: str | None = None) -> str:
    """A money group's name: a province's, a fiscal year's, or its enumeration's word."""
    language = _language(language)
    if dimension == "province":
        return province_name(code, language)
    if dimension == "fiscal_year":
        return t("funds.fiscal_year_value", language, year=code)
    return label(MONEY_DIMENSIONS[dimension], code, language)


def group_column(dimension: str, grouped: pd.DataFrame, language: str | None = None) -> list[str]:
    """The names of fund_by_dimension's groups (its `key` column)."""
    return words(grouped["key"], lambda k: group_words(dimension, k, language))


def group_order(dimension: str, codes: Iterable[object], language: str | None = None) -> list[str]:
    """The groups' names in the enumeration's order (or as given, for provinces and years)."""
    codes = list(codes)
    enum = MONEY_DIMENSIONS[dimension]
    ordered = [c for c in ENUMS[enum] if c in set(codes)] if enum else codes
    return [group_words(dimension, c, language) for c in ordered]


def ev_texts(values: Sequence[object], levels: Sequence[object], language: str | None = None) -> list[str]:
    """SPI or CPI beside its level's shape ("0.67 ✖"): never rounded up onto a threshold it
    misses; "—" where there is no ratio."""
    language = _language(language)
    marks = {lv: t(f"funds.ev_mark.{lv}", language) for lv in ("red", "amber", "green")}
    return [f"{fmt_judged(v, language, EV_THRESHOLDS)} {marks.get(lv, '')}".strip() for v, lv in zip(values, levels)]


def matching_texts(ratios: Sequence[object], expected: Sequence[object], language: str | None = None) -> list[str]:
    """Local matching ratios as 1:x, judged against the ratio expected of each."""
    language = _language(language)
    return [fmt_matching_ratio(r, e, language) for r, e in zip(ratios, expected)]


def meets_words(meets: pd.Series, language: str | None = None) -> list[str]:
    """A matching ratio's verdict (matching_ratio_by_region's `meets`): met, below, or none."""
    language = _language(language)
    return [t(f"funds.meets.{'none' if pd.isna(m) else str(bool(m)).lower()}", language) for m in meets]


def overspent_rows(lines: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    """overspent_lines rows with the pilot's words and the line's source and category in words."""
    language = _language(language)
    return pilot_words(lines, language).assign(
        source_label=lambda f: enum_words(f["source"], "source", language),
        category_label=lambda f: enum_words(f["category"], "budget_category", language))


def matching_rows(by_province: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    """matching_ratio_by_region rows per province: its name (`group`), belt, ratio and verdict."""
    language = _language(language)
    return by_province.assign(
        group=[province_name(p, language) for p in by_province["key"]],
        belt_label=enum_words(by_province["belt"], "belt", language),
        ratio_text=matching_texts(by_province["matching_ratio"], by_province["expected_ratio"], language),
        verdict=meets_words(by_province["meets"], language))


def ev_rows(rows: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    """earned_value_projects rows with the pilot's words and SPI and CPI beside their levels."""
    language = _language(language)
    return pilot_words(rows, language).assign(
        spi_text=ev_texts(rows["spi"].tolist(), rows["spi_level"].tolist(), language),
        cpi_text=ev_texts(rows["cpi"].tolist(), rows["cpi_level"].tolist(), language))


def fund_project_rows(rows: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    """fund_projects rows with the pilot's words, its overspend flag and its matching ratio."""
    language = _language(language)
    flag = t("funds.overspend_flag", language)
    return pilot_words(rows, language).assign(
        overspend_text=[flag if o else "" for o in rows["overspend"].tolist()],
        ratio_text=matching_texts(rows["matching_ratio"].tolist(), rows["expected_ratio"].tolist(), language))


def rate_cells(grouped: pd.DataFrame, rates: dict[str, str], language: str | None = None) -> pd.DataFrame:
    """One cell per group and rate (a grid of rates), its text the rate in whole percent."""
    language = _language(language)
    cells = grouped.melt(id_vars=["group"], value_vars=list(rates), var_name="rate", value_name="value")
    cells["rate_label"] = cells["rate"].map(rates)
    cells["text"] = [fmt_pct(v, language, 0) for v in cells["value"]]
    return cells


def category_cells(by_category: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    """region_by_category rows with their belt and category in words and a cell's text: the share
    met, the median achievement and how many pairs have data."""
    language = _language(language)
    return by_category.assign(
        belt_label=enum_words(by_category["belt"], "belt", language),
        category_label=enum_words(by_category["category"], "indicator_category", language),
        cell=[t("regions.cell", language, met=fmt_pct(s, language, 0), median=fmt_pct(m, language, 0), n=int(n))
              for s, m, n in zip(by_category["share_met"], by_category["median_achievement"],
                                 by_category["pairs_with_data"])])


def value_text(value: object, kind: str, language: str | None = None) -> str:
    """A measure's value of `kind` (pilotdash.measures) on a map tile: rates in whole percent."""
    language = _language(language)
    if kind == "pct":
        return fmt_pct(value, language, digits=0)
    if kind == "money":
        return fmt_money(value, language)
    return count(value)


def map_tiles(tiles: pd.DataFrame, measure: str, kind: str, language: str | None = None) -> pd.DataFrame:
    """provinces_map rows as tiles: each labelled with its name and its value of `measure`; a
    province outside the view's filters shows "—" and no colour."""
    language = _language(language)
    tiles = tiles.assign(name=local_names(tiles, language))
    tiles["value_text"] = [value_text(v, kind, language) if shown else "—"
                           for v, shown in zip(tiles[measure], tiles["in_view"])]
    tiles.loc[~tiles["in_view"], measure] = None
    tiles["label"] = tiles["name"] + "\n" + tiles["value_text"]
    return tiles


def province_rows(provinces: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    """province_summary rows with the province (`province`) and its belt (`belt_label`) in words."""
    language = _language(language)
    return provinces.assign(province=[province_name(p, language) for p in provinces["province_code"]],
                            belt_label=enum_words(provinces["belt"], "belt", language))


# Indicators and targets -------------------------------------------------------------------------

def unit_number(value: object, language: str | None = None) -> str:
    """A value in an indicator's unit: up to two decimals, no trailing zeros."""
    text = fmt_number(value, _language(language), 2)
    return text.rstrip("0").rstrip(".") if "." in text else text


def status_words(codes: pd.Series, language: str | None = None) -> pd.Series:
    """Indicator statuses in words with their shape, so a status never rests on colour alone."""
    language = _language(language)
    shown = {c: f"{STATUS_MARKS[c]} {label('indicator_status', c, language)}" for c in ENUMS["indicator_status"]}
    return codes.map(shown)


def status_counts(per_indicator: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    """indicator_summary rows as (indicator, status, count) with the status in words, the empty
    ones left out (a stacked bar of pairs per status)."""
    statuses = list(ENUMS["indicator_status"])
    counts = per_indicator.melt(id_vars=["indicator"], value_vars=statuses, var_name="status", value_name="count")
    counts = counts[counts["count"] > 0]
    return counts.assign(status_label=status_words(counts["status"], language))


def indicator_titles(frame: pd.DataFrame, language: str | None = None, *, zh: str = "name_zh",
                     en: str = "name_en", code: bool = True) -> pd.Series:
    """Each row's indicator as "E1 Name (unit) ↑": its code (unless `code` is False), its name
    in the language, its unit and its direction."""
    language = _language(language)
    units = {u: unit_label(u, language) for u in frame["unit"].unique()}
    title = local_names(frame, language, zh=zh, en=en) + " (" + frame["unit"].map(units) + ") " \
        + frame["direction"].map(ARROWS)
    return frame["indicator_code"] + " " + title if code else title


def target_source_words(frame: pd.DataFrame, language: str | None = None) -> list[str]:
    """Where each pair's target comes from: its scope (with the belt or province) and its phase
    where it is phase-specific; once per distinct source (there may be 160,000 pairs)."""
    language = _language(language)

    def source(key: tuple) -> str:
        scope, phase, belt, province = key
        if not isinstance(scope, str):
            return t("common.none", language)
        shown = t(f"project.scope.{scope}", language)
        if scope == "belt":
            shown += f" · {label('belt', belt, language)}"
        elif scope == "province":
            shown += f" · {province_name(province, language)}"
        if isinstance(phase, str):
            shown += " · " + t("targets.phase_only", language, phase=label("phase", phase, language))
        return shown

    return words(frame[["target_scope", "target_phase", "belt", "province_code"]], source)


def gap_rows(frame: pd.DataFrame, language: str, with_indicator: bool = True) -> pd.DataFrame:
    """The shown columns of target_gaps rows: the pilot, the indicator, status, achievement (never
    rounded onto a threshold it misses), gap, actual, target, its source, region and period."""
    from .tables import shown_achievement

    shown = pd.DataFrame({
        "link": links("project", "project", frame["project_id"].tolist()),
        "name": local_names(frame, language).to_numpy(),
        "indicator": indicator_titles(frame, language, zh="indicator_zh", en="indicator_en").to_numpy(),
        "status": status_words(frame["indicator_status"], language).to_numpy(),
        "achievement": shown_achievement(frame["achievement"]),
        "gap": frame["gap"].to_numpy(),
        "actual": frame["actual"].to_numpy(),
        "target": frame["target"].to_numpy(),
        "source": target_source_words(frame, language),
        "region": words(frame[["province_code", "belt"]],
                        lambda pb: f"{province_name(pb[0], language)} · {label('belt', pb[1], language)}"),
        "period_end": date_texts(frame["period_end"]),
    })
    return shown if with_indicator else shown.drop(columns=["indicator"])


def set_targets_text(set_targets: pd.DataFrame, unit: str, language: str | None = None) -> str | None:
    """The targets set for one indicator (indicator_targets), in one line: "East 60; Sichuan ·
    deepening 55; 2 pilots with their own target", or None when none is set."""
    language = _language(language)
    described = []
    for row in set_targets.itertuples():
        if row.target_scope == "project":
            described.append(t("targets.project_targets", language, n=int(row.projects_with_own_target)))
            continue
        where = t(f"project.scope.{row.target_scope}", language)
        if row.target_scope == "belt":
            where = label("belt", row.belt, language)
        elif row.target_scope == "province":
            where = province_name(row.province_code, language)
        if isinstance(row.target_phase, str):
            where += " · " + label("phase", row.target_phase, language)
        described.append(f"{where} {unit_number(row.target, language)}")
    if not described:
        return None
    return t("targets.set_targets", language, list=("；" if language == "zh" else "; ").join(described), unit=unit)


def target_lines(by_belt: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    """The target lines drawn over one indicator's reading_trend: the national target, and a
    belt's own only where it differs from the national one (value, colour_key, label)."""
    language = _language(language)
    national = by_belt["national_target"].iloc[0]
    belts = by_belt.drop_duplicates("belt").query("belt_target != national_target")
    return pd.concat([
        pd.DataFrame({"value": [national], "colour_key": ["national"],
                      "label": [t("targets.national_line", language, value=unit_number(national, language))]}),
        pd.DataFrame({"value": belts["belt_target"].to_numpy(), "colour_key": belts["belt"].to_numpy(),
                      "label": [t("targets.belt_line", language, belt=label("belt", b, language),
                                  value=unit_number(v, language)) for b, v in zip(belts["belt"], belts["belt_target"])]}),
    ]).dropna(subset=["value"])


def differentiated_target_rows(targets: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    """differentiated_targets rows with their indicator, scope and phase in words, and each
    target read as a sentence beside the national one."""
    language = _language(language)
    shown = targets.copy()
    shown["indicator"] = [f"{c} {n} {ARROWS.get(d, '↓')}" for c, n, d in zip(
        shown["indicator_code"], local_names(shown, language), shown["direction"])]
    shown["scope_text"] = [
        province_name(p, language) if s == "province" else label("belt", b, language) if s == "belt"
        else t("regions.national", language)
        for s, b, p in zip(shown["scope"], shown["belt"], shown["province_code"])]
    shown["phase_text"] = [label("phase", p, language) if isinstance(p, str) else t("regions.all_phases", language)
                           for p in shown["phase"]]
    shown["reads"] = [
        t("regions.target_reads", language, scope=s, phase=ph, target=unit_number(v, language),
          national=unit_number(n, language), unit=u if u == "%" else f" {unit_label(u, language)}")
        for s, ph, v, n, u in zip(shown["scope_text"], shown["phase_text"], shown["target"],
                                  shown["national_target"], shown["unit"])]
    return shown


# Milestones and schedule ------------------------------------------------------------------------

def overdue_rows(overdue: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    """overdue_milestones rows with the pilot's link, name, belt and status, and the milestone's
    phase, kind and due date in words."""
    language = _language(language)
    shown = pilot_words(overdue, language)
    return shown.assign(
        status=enum_words(shown["status"], "project_status", language),
        milestone_phase=enum_words(shown["milestone_phase"], "phase", language),
        kind=enum_words(shown["kind"], "milestone_kind", language),
        due_date=date_texts(shown["due_date"]),
    )


def schedule_rows(schedule: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    """schedule_by_project rows with the pilot's link and name, whether it is behind schedule and
    why, its phase and its health in words."""
    language = _language(language)
    separator = t("phases.list_sep", language)
    return pilot_words(schedule, language).assign(
        behind=words(schedule["schedule_state"], lambda s: t(f"phases.schedule_state.{s}", language)),
        phase=enum_words(schedule["phase"], "phase", language),
        health=words(schedule["health"], lambda h: health_badge(h, language)),
        schedule_reasons=words((tuple(rs) for rs in schedule["schedule_reasons"].tolist()),
                               lambda rs: separator.join(t(f"phases.reason.{r}", language) for r in rs)),
    )


# One pilot's record (Project) ----------------------------------------------------------------

def marked(kind: str, code: object, text: str) -> str:
    """A state's words after its shape (STATE_MARKS[kind]); no shape for a code without one."""
    return f"{STATE_MARKS[kind].get(code, '')} {text}".strip()


def _dates(values: pd.Series, language: str) -> list[str]:
    return words(values, lambda d: fmt_date(d, language))


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def fact_fields(facts: pd.Series, language: str | None = None) -> list[tuple[str, str | None]]:
    """project_facts' row as (label key, words) pairs, None where the record says nothing."""
    language = _language(language)
    place = (facts.province_en if language == "en" else facts.province_zh) + (
        f" · {facts['city']}" if _text(facts["city"]) else "")
    return [
        ("project.name_zh", facts.name_zh),
        # Both names on an English page; a Chinese page shows no English (issue 22 item 7).
        *([("project.name_en", _text(facts.name_en))] if language == "en" else []),
        ("filter.domain", label("domain", facts.domain, language)),
        ("filter.pilot_type", label("pilot_type", facts.pilot_type, language)),
        ("project.place", place), ("filter.belt", label("belt", facts.belt, language)),
        ("project.lead_unit", _text(facts.lead_unit)),
        ("project.batch", str(int(facts.batch_year)) if facts.batch_year == facts.batch_year else None),
        ("project.start", fmt_date(facts.start_date, language)),
        ("project.end", fmt_date(facts.end_date, language)),
        ("filter.status", label("project_status", facts.status, language)),
        ("project.phase_now", label("phase", facts.phase, language)),
    ]


def pilot_choices(listed: pd.DataFrame) -> dict[str, str]:
    """project_list rows as the chooser's options: id → "id · name"."""
    return {p: f"{p} · {n}" for p, n in zip(listed["project_id"].tolist(), local_names(listed).tolist())}


def pilot_choice(facts: pd.Series) -> str:
    return f"{facts.project_id} · {project_name(facts)}"


def phase_rows(phases: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    """phase_timeline rows of one pilot: the phase in words (`row`, the Gantt's rows), its state
    with its shape and its dates in words."""
    language = _language(language)
    return phases.assign(
        row=enum_words(phases["phase"], "phase", language),
        phase_state=words(phases["phase_state"],
                          lambda s: marked("phase_state", s, t(f"project.phase_state.{s}", language))),
        **{c: _dates(phases[c], language) for c in ("planned_start", "planned_end", "actual_start",
                                                      "actual_end")})


def milestone_rows(milestones: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    """project_milestones rows with the phase, kind, dates and state in words, the days overdue
    as text ("—" where not overdue)."""
    language = _language(language)
    return milestones.assign(
        milestone_phase=enum_words(milestones["phase"], "phase", language), milestone=milestones["name"],
        kind=enum_words(milestones["kind"], "milestone_kind", language),
        due_date=_dates(milestones["due_date"], language), done_date=_dates(milestones["done_date"], language),
        state=words(milestones["state"],
                    lambda s: marked("milestone_state", s, label("milestone_state", s, language))),
        overdue_days=[count(d) for d in milestones["overdue_days"]])


def indicator_rows(indicators: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    """project_indicators rows with the indicator's name, unit, direction, the target's source,
    the status with its shape and the period in words; achievement as the status judged it."""
    from .tables import shown_achievement

    language = _language(language)

    def source(key: tuple) -> str:
        scope, phase = key
        if not isinstance(scope, str):
            return t("common.none", language)
        return t(f"project.scope.{scope}", language) + (
            f" · {label('phase', phase, language)}" if isinstance(phase, str) else "")

    return indicators.assign(
        indicator=local_names(indicators, language).to_numpy(),
        unit=words(indicators["unit"], lambda u: unit_label(u, language)),
        direction=enum_words(indicators["direction"], "direction", language),
        source=words(indicators[["target_scope", "target_phase"]], source),
        achievement=shown_achievement(indicators["achievement"]),
        status=status_words(indicators["status"], language),
        period_end=_dates(indicators["period_end"], language))


def budget_rows(lines: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    """project_budget_lines rows with the source and category in words, the overspend flag and
    whether the line counts on the as-of date."""
    language = _language(language)
    counted = {True: t("project.counted_yes", language), False: t("project.counted_no", language)}
    return lines.assign(
        source_label=enum_words(lines["source"], "source", language),
        category_label=enum_words(lines["category"], "budget_category", language),
        overspend=[t("project.overspend_mark", language) if o else "" for o in lines["overspend"]],
        counted=[counted[bool(c)] for c in lines["counted"]])


def risk_rows(risks: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    """project_risks rows with the category, level (with its shape), status and date in words."""
    language = _language(language)
    return risks.assign(
        risk_category=enum_words(risks["category"], "risk_category", language),
        risk_level=words(risks["level"], lambda v: marked("risk_level", v, label("risk_level", v, language))),
        risk_status=enum_words(risks["status"], "risk_status", language),
        identified_on=_dates(risks["identified_on"], language))


def ev_band_words(band: object, language: str | None = None) -> str:
    """SPI's or CPI's level in words with its shape ("✖ Red (below 0.8)")."""
    language = _language(language)
    if not isinstance(band, str):
        return t("project.ev_band.none", language)
    return marked("ev_band", band, t(f"project.ev_band.{band}", language))
