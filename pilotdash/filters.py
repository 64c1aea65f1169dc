"""The state of a view, and its URL.

Every view is a URL: the page is the path, and the filters, language, as-of date, selected
project and each page's own choices are query parameters holding canonical codes (`belt=east`,
`province=11,51`), never display words, so a link reads the same in either language.
Parsing is strict: a value that does not exist in the data, a malformed date or an unknown
parameter is dropped and reported as a notice; nothing from the URL is ever formatted into SQL
(values only reach the named queries as bound parameters).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlencode

from .domain import ENUMS
from .i18n import DEFAULT_LANG, LANGS, fmt_date, label, t
from .markdown import escape_values
from .measures import MAP_MEASURES
from .places import city_label
from .slides import SLIDE_VALUES

# Filters shared by every page, in sidebar order; each is a list of codes, empty for "all".
FILTERS: tuple[str, ...] = ("belt", "province", "city", "domain", "pilot_type", "phase", "status",
                            "fiscal_year")

# The enumeration behind each enumerated filter (for its words).
FILTER_ENUM = {"belt": "belt", "domain": "domain", "pilot_type": "pilot_type", "phase": "phase",
               "status": "project_status"}

# Page-specific parameters: name -> the values it accepts (None: any short code-like text,
# checked by the page against the data with ui.valid_param / ui.bound). Every page's own
# parameter is declared here, once, so a link is complete, anything else in a URL is reported
# as unknown, and a closed set is checked when the URL is parsed; pages take their choices from
# here (`PAGE_PARAMS["sort"]`) and tie a widget to its parameter with ui.bound.
PAGE_PARAMS: dict[str, tuple[str, ...] | None] = {
    "project": None,  # Project: the pilot shown
    "indicator": None,  # Project, Targets: the indicator whose trend is drawn
    "measure": MAP_MEASURES,  # Regions: the map's measure (measures.py)
    "page_no": None,  # Phases: the timeline's page (ui.url_page)
    "sort": ("behind", "start", "end", "completion", "id"),  # Phases: the timeline's order
    "present": ("1",),  # presentation mode
    "slide": SLIDE_VALUES,  # presentation mode: the page's slide (pilotdash/slides.py)
    "view": None,  # a saved view to open
    "by": ("source", "category", "fiscal_year", "belt", "province"),  # Funds: group money by
    # Warnings 预警: level, state (live = open or acknowledged), condition, owner key, one warning.
    "level": ENUMS["warning_level"],
    "wstate": ("live", "overdue", *ENUMS["warning_state"], "all"),
    "condition": ENUMS["warning_condition"],
    "owner": None,
    "warning": None,
    # Assessment 考核评价: the round shown (checked against the data) and whose scorecard.
    "round": None,
    "evaluator": ENUMS["evaluator"],
    # Tasks 任务驾驶舱 and Issues 问题清单: the wall view, a task owner, a tree level, task states
    # shown, issue state tab, a risk whose history is shown, the deviation report's month.
    "wall": ("1",),
    "task_owner": None,
    "tlevel": ("1", "2", "3"),
    "tstate": ("late", "all"),
    "risk": None,
    "month": None,
    # Cases 经验推广: the case library's kind and stage on the as-of date.
    "case_kind": ENUMS["case_kind"],
    "maturity": ENUMS["case_maturity"],
}

_CODE = re.compile(r"^[A-Za-z0-9_\-.]{1,64}$")
_MAX_VALUES = 64


@dataclasses.dataclass(frozen=True)
class Options:
    """What the data offers for each filter, as codes; provinces carry their belt."""

    belt: tuple[str, ...] = ENUMS["belt"]
    province: tuple[str, ...] = ()
    province_belt: Mapping[str, str] = dataclasses.field(default_factory=dict)
    city: tuple[str, ...] = ()  # 4-digit city codes of the pilots in view
    city_belt: Mapping[str, str] = dataclasses.field(default_factory=dict)
    domain: tuple[str, ...] = ENUMS["domain"]
    pilot_type: tuple[str, ...] = ENUMS["pilot_type"]
    phase: tuple[str, ...] = ENUMS["phase"]
    status: tuple[str, ...] = ENUMS["project_status"]
    fiscal_year: tuple[str, ...] = ()

    def for_field(self, field: str, belts: Iterable[str] = ()) -> tuple[str, ...]:
        values = getattr(self, field)
        belts = set(belts)
        if field == "province" and belts:
            return tuple(p for p in values if self.province_belt.get(p) in belts)
        if field == "city" and belts:
            return tuple(c for c in values if self.city_belt.get(c) in belts)
        return values


@dataclasses.dataclass(frozen=True)
class Notice:
    """Something in the URL that was ignored, and why: a translation key and its values."""

    key: str
    values: Mapping[str, str]

    def _words(self, lang: str) -> dict[str, str]:
        values = dict(self.values)
        if "name" in values and self.key != "notice.unknown_param":  # a known parameter, in words
            values["name"] = param_word(values["name"], lang)
        if self.key == "notice.province_outside_belt":  # codes we know, shown as names
            values["value"] = province_name(values["value"], lang)
            values["belt"] = "、".join(label("belt", b, lang) for b in values["belt"].split(","))
        return values

    def text(self, lang: str) -> str:
        return t(self.key, lang, **self._words(lang))

    def markdown(self, lang: str) -> str:
        """The text for a Markdown element: the link's values are anyone's text, shown escaped."""
        return t(self.key, lang, **escape_values(self._words(lang)))


def param_word(name: str, lang: str) -> str:
    """A URL parameter as a manager calls it ("省份", not "province"): a filter's label, a page
    parameter's own word, or, for one without, the word for "option" (never the raw name)."""
    for key in (f"filter.{name}", f"param.{name}"):
        word = t(key, lang)
        if word != key:
            return word
    return t("param.other", lang)


@dataclasses.dataclass(frozen=True)
class ViewState:
    lang: str = DEFAULT_LANG
    as_of: dt.date | None = None  # None: always the latest (the default as-of date)
    filters: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    extras: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def get(self, field: str) -> tuple[str, ...]:
        return tuple(self.filters.get(field, ()))

    def extra(self, name: str, default: str | None = None) -> str | None:
        return self.extras.get(name, default)

    def replace(self, **changes) -> ViewState:
        """A copy with some filters (by name), lang, as_of or extras changed."""
        filters = dict(self.filters)
        extras = dict(self.extras)
        lang, as_of = self.lang, self.as_of
        for name, value in changes.items():
            if name in FILTERS:
                filters[name] = tuple(value or ())
            elif name == "lang":
                lang = value
            elif name == "as_of":
                as_of = value
            elif name in PAGE_PARAMS:
                if value in (None, ""):
                    extras.pop(name, None)
                else:
                    extras[name] = str(value)
            else:
                raise KeyError(name)
        return ViewState(lang, as_of, {k: v for k, v in filters.items() if v}, extras)

    def query_params(self) -> dict[str, str]:
        """The canonical URL parameters: defaults left out, lists comma-separated."""
        params: dict[str, str] = {}
        if self.lang != DEFAULT_LANG:
            params["lang"] = self.lang
        if self.as_of:
            params["as_of"] = self.as_of.isoformat()
        for field in FILTERS:
            if self.filters.get(field):
                params[field] = ",".join(self.filters[field])
        for name in PAGE_PARAMS:
            if name in self.extras:
                params[name] = self.extras[name]
        return params

    def query_args(self) -> dict[str, object]:
        """Parameters for the named queries: every filter, None where it is "all"."""
        args: dict[str, object] = {"as_of": self.as_of}
        for field in FILTERS:
            values = self.filters.get(field)
            args[field] = list(values) if values else None
        return args

    def describe(self, lang: str, as_of: dt.date | None) -> str:
        """The filters in words, for titles and reports: "East · Digital economy · as of …"
        (`as_of` None: "always the latest data", for a saved view that follows the data)."""
        parts = []
        for field in FILTERS:
            values = self.filters.get(field)
            if not values:
                continue
            if field in FILTER_ENUM:
                parts.append("、".join(label(FILTER_ENUM[field], v, lang) for v in values) if lang == "zh"
                             else ", ".join(label(FILTER_ENUM[field], v, lang) for v in values))
            elif field == "province":
                parts.append(t("filters.province_count", lang, n=len(values)) if len(values) > 3
                             else ("、" if lang == "zh" else ", ").join(province_name(v, lang) for v in values))
            elif field == "city":
                parts.append(t("filters.city_count", lang, n=len(values)) if len(values) > 3
                             else ("、" if lang == "zh" else ", ").join(city_name(v, lang) for v in values))
            else:
                parts.append(t("filters.fiscal_years", lang, years=", ".join(values)))
        if not parts:
            parts.append(t("filters.all_pilots", lang))
        parts.append(t("filters.as_of", lang, date=fmt_date(as_of, lang)) if as_of else t("filters.latest", lang))
        return " · ".join(parts)


def province_name(code: str, lang: str) -> str:
    from .reference import provinces

    row = provinces().get(code)
    if row is None:
        return code
    return row["name_zh"] if lang == "zh" else row["name_en"]


def city_name(code: str, lang: str) -> str:
    """A city as people read it (the division codes have Chinese names only: 杭州市, 北京市)."""
    return city_label(code)


def _values(raw: Mapping[str, object], name: str) -> list[str]:
    value = raw.get(name)
    items = value if isinstance(value, (list, tuple)) else [value]
    out: list[str] = []
    for item in items:
        if item is None:
            continue
        out.extend(v.strip() for v in str(item).split(",") if v.strip())
    return out


def parse(raw: Mapping[str, object], options: Options,
          scoped: bool = False) -> tuple[ViewState, list[Notice]]:
    """A view state from URL parameters (`raw`: name -> value or list of values), keeping only
    what is valid for these options, with a notice for everything dropped. `scoped`: `options` are
    a person's scope (issue 12): a filter value outside them is dropped with a "not in your scope"
    notice, so a shared link shows only the opener's part and says so. Whether the value exists
    elsewhere is not looked at (issue 20): the answer is the same for another province and for
    no province at all, so a link cannot be used to find out what exists outside one's scope."""
    notices: list[Notice] = []
    known = {"lang", "as_of", *FILTERS, *PAGE_PARAMS}
    for name in raw:
        if name not in known:
            notices.append(Notice("notice.unknown_param", {"name": _shown(name)}))

    lang = DEFAULT_LANG
    if langs := _values(raw, "lang"):
        if langs[-1] in LANGS:
            lang = langs[-1]
        else:
            notices.append(Notice("notice.bad_value", {"name": "lang", "value": _shown(langs[-1])}))

    as_of = None
    if dates := _values(raw, "as_of"):
        try:
            as_of = dt.date.fromisoformat(dates[-1])
        except ValueError:
            notices.append(Notice("notice.bad_date", {"value": _shown(dates[-1])}))

    filters: dict[str, tuple[str, ...]] = {}
    for field in FILTERS:
        allowed = options.for_field(field, filters.get("belt", ()))
        kept: list[str] = []
        for value in _values(raw, field)[:_MAX_VALUES]:
            if value in allowed:
                if value not in kept:
                    kept.append(value)
            elif scoped:
                notices.append(Notice("scope.filter_outside", {"name": field, "value": _shown(value)}))
            elif field == "province" and value in options.for_field(field, ()):
                # A real province, outside the chosen belts: say that, not "not a valid province".
                notices.append(Notice("notice.province_outside_belt",
                                      {"value": value, "belt": ",".join(filters.get("belt", ()))}))
            else:
                notices.append(Notice("notice.bad_value", {"name": field, "value": _shown(value)}))
        if kept:
            filters[field] = tuple(kept)

    extras: dict[str, str] = {}
    for name, accepted in PAGE_PARAMS.items():
        values = _values(raw, name)
        if not values:
            continue
        value = values[-1]
        if (accepted is None and _CODE.match(value)) or (accepted is not None and value in accepted):
            extras[name] = value
        else:
            notices.append(Notice("notice.bad_value", {"name": name, "value": _shown(value)}))
    return ViewState(lang, as_of, filters, extras), notices


def _shown(text: str) -> str:
    """User text echoed in a notice: shortened, so a hostile URL cannot flood the page."""
    text = str(text)
    return text if len(text) <= 40 else text[:40] + "…"


def page_url(url_path: str, params: Mapping[str, str], base: str = "") -> str:
    """THE one way a link to a page is written (the sidebar's and tables' links, a shared link,
    a notice's link): `base` (the app's address, "" for a link relative to the server) + the
    page's path + its canonical parameters, lists' commas left readable."""
    query = urlencode(params, safe=",")
    path = f"{base.rstrip('/')}/{url_path}"
    return f"{path}?{query}" if query else path
