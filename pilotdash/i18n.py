"""Every user-visible word, in English and Chinese, from one table: `translations.csv`.

Keys are dotted: `<enum field>.<code>` for enumerations (so `belt.east` is East / 东部),
`reason.<code>` for health reasons, and `<page>.<thing>` for interface text. A key missing
from the table shows as the key itself, which is loud on screen and caught by the tests.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
from collections.abc import Iterable
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LANGS = ("en", "zh")
DEFAULT_LANG = "zh"


@cache
def table() -> dict[str, dict[str, str]]:
    with resources.files(__package__).joinpath("translations.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {row["key"]: {"en": row["en"], "zh": row["zh"]} for row in rows}


def t(key: str, lang: str, **values: object) -> str:
    """The text for `key` in `lang`, with `{name}` placeholders filled from `values`."""
    entry = table().get(key)
    text = entry[lang if lang in LANGS else DEFAULT_LANG] if entry else key
    return text.format(**values) if values else text


def label(field: str, code: object, lang: str) -> str:
    """The word for an enumeration code, e.g. label("belt", "east", "zh") == "东部"."""
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return t("common.none", lang)
    return t(f"{field}.{code}", lang)


def words_to_codes(field: str) -> dict[str, str]:
    """Every accepted spelling of an enumeration (code, English word, Chinese word), folded to
    lower case, mapped to its code. Uploads use this so an analyst may write 东部 or east."""
    from .domain import ENUMS

    out: dict[str, str] = {}
    for code in ENUMS[field]:
        out[code.lower()] = code
        entry = table().get(f"{field}.{code}")
        if entry:
            out[entry["en"].strip().lower()] = code
            out[entry["zh"].strip().lower()] = code
    return out


# Numbers and dates ---------------------------------------------------------------------------

DASH = "—"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_pct(value: object, lang: str, digits: int = 1) -> str:
    """A ratio as a percentage; an empty ratio (empty denominator) is "—", never 0."""
    if _missing(value):
        return DASH
    return f"{float(value) * 100:,.{digits}f}%"


def fmt_number(value: object, lang: str, digits: int = 1) -> str:
    if _missing(value):
        return DASH
    return f"{float(value):,.{digits}f}"


def judged(value: float, thresholds: Iterable[float], digits: int = 2) -> float:
    """`value` rounded to `digits` decimals as usual, except that it never rounds up onto a
    threshold it has not reached: 0.8996 against 0.9 is 0.89, so the number shown beside a
    verdict agrees with it (2/3 is still 0.67)."""
    v = float(value)
    shown = round(v, digits)
    if any(v < t <= shown for t in thresholds):
        scale = 10 ** digits
        shown = math.floor(round(v * scale, 6)) / scale
    return shown


def fmt_judged(value: object, lang: str, thresholds: Iterable[float], digits: int = 2) -> str:
    """A ratio shown beside its verdict against `thresholds` (SPI and CPI against 0.9 and 0.8)."""
    if _missing(value):
        return DASH
    return f"{judged(value, thresholds, digits):,.{digits}f}"


def fmt_matching_ratio(value: object, expected: object, lang: str) -> str:
    """A local matching ratio (local ÷ central) as 1:x, judged against the `expected` x."""
    if _missing(value):
        return DASH
    return t("funds.ratio_text", lang, value=fmt_judged(value, lang, () if _missing(expected) else (float(expected),)))


def fmt_money(value: object, lang: str) -> str:
    """Amounts are stored in 万元 (10,000 CNY). zh shows 万元, or 亿元 from 10,000 万元 on;
    en shows k CNY below one million, then m CNY, then bn CNY (10k CNY units read badly in
    running text). Short forms, so that a headline number fits its column on a laptop and a
    phone in both languages: 17.3亿元, 1.73 bn CNY, never "1.73 billion C…"."""
    if _missing(value):
        return DASH
    v = float(value)
    if lang == "zh":
        if abs(v) >= 10_000:
            return f"{_three_digits(v / 10_000)}亿元"
        return f"{v:,.1f}万元"
    if abs(v) >= 100_000:
        return f"{_three_digits(v / 100_000)} bn CNY"
    if abs(v) >= 100:
        return f"{v / 100:,.1f} m CNY"
    return f"{v * 10:,.0f} k CNY"


def _three_digits(v: float) -> str:
    """Three significant digits for amounts in the large unit (1.73, 17.3, 173), more only when
    the whole part has more (1,234)."""
    digits = 2 if abs(v) < 9.995 else 1 if abs(v) < 99.95 else 0
    return f"{v:,.{digits}f}"


def fmt_money_delta(now: object, before: object, lang: str) -> str | None:
    """The change of an amount for a metric's delta; none when it did not change."""
    if _missing(now) or _missing(before) or float(now) == float(before):
        return None
    sign = "+" if float(now) > float(before) else "-"  # ASCII: st.metric reads the sign
    return sign + fmt_money(abs(float(now) - float(before)), lang)


def fmt_date(value: object, lang: str) -> str:
    """A date as every screen, caption, report and digest shows it: 2026年9月30日 in Chinese
    (never 2026-09-30, "截至2026-09-30" or a cut-off 2024年3月8), 2026-09-30 in English. Every
    shown date goes through here (`ui.date_text` on pages)."""
    if _missing(value) or str(value) in ("NaT", "<NA>"):
        return DASH
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
    if lang == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return value.isoformat()


DEFAULT_TIME_ZONE = "Asia/Shanghai"


def time_zone() -> ZoneInfo:
    """The programme's time zone, in which every time is shown (configuration: the environment's
    PILOTDASH_TIME_ZONE, an IANA name; default Asia/Shanghai). Times are stored in UTC."""
    name = os.environ.get("PILOTDASH_TIME_ZONE", "").strip() or DEFAULT_TIME_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)


def local_time(value: dt.datetime) -> dt.datetime:
    """A stored moment (naive: UTC) in the programme's time zone."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.timezone.utc)
    return aware.astimezone(time_zone())


def fmt_datetime(value: object, lang: str) -> str:
    """A moment (a response deadline, a saved view, an upload): stored in UTC (naive) or with its
    zone, shown in the programme's time zone: its date as `fmt_date` writes it, then the time,
    2026年9月30日 14:05 / 2026-09-30 14:05."""
    if _missing(value) or str(value) in ("NaT", "<NA>"):
        return DASH
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        return fmt_date(value, lang)
    value = local_time(value)
    return f"{fmt_date(value.date(), lang)} {value:%H:%M}"


def unit_label(unit: object, lang: str) -> str:
    """An indicator's unit as stored (e.g. %, 个, 次, 工作日) in the language shown; a unit
    without words in the table is shown as stored."""
    if _missing(unit) or not str(unit).strip():
        return t("common.none", lang)
    key = f"unit.{unit}"
    return t(key, lang) if key in table() else str(unit)
