"""Cities and counties 地市、县: the national division codes and matching a written name to one code
(shared/domain.md "Cities and counties"; the codes' source in `reference/divisions/README.md`).

    city("杭州", "33")                 -> Match(code="3301", ...)
    county("朝阳区")                    -> Match(code=None, candidates=(110105 北京市朝阳区, 220104 长春市朝阳区))
    resolve("32", None, "昆山")         -> Resolved(city_code="3205", county_code="320583", problems=())

A value is a code (4 digits for a city, 6 for a county) or a name. A name matches a division's
full name (杭州市, 恩施土家族苗族自治州, 海淀区) first; only when no full name matches, its usual short
forms: without the suffix (杭州, 海淀, 昆山) and, for an autonomous prefecture or county, the place
name without its peoples (恩施州, 恩施; 长阳县). The four municipalities (北京, 天津, 上海, 重庆) have
no prefecture-level city: their name stands for their 市辖区 row (1101, 1201, 3101, 5001), except
that a county of 重庆's 县 row (5002) takes that row. Exactly one match is the code; none or more
than one is refused with the candidates.

Pure: reads the shipped CSVs only (no store, no Streamlit).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

MUNICIPALITIES = ("11", "12", "31", "50")
CITY_CODE = re.compile(r"^\d{4}$")
COUNTY_CODE = re.compile(r"^\d{6}$")
# The peoples named in the autonomous prefectures', counties' and banners' names (各: 龙胜各族自治县),
# longest first so that 土家 is tried before 土.
_PEOPLES = sorted((
    "土家", "苗", "藏", "羌", "彝", "布依", "侗", "哈尼", "壮", "傣", "白", "景颇", "傈僳", "回", "蒙古", "柯尔克孜",
    "哈萨克", "朝鲜", "满", "达斡尔", "鄂伦春", "鄂温克", "畲", "瑶", "各", "仫佬", "毛南", "黎", "仡佬", "水", "纳西",
    "拉祜", "佤", "布朗", "独龙", "怒", "普米", "裕固", "保安", "东乡", "撒拉", "土", "塔吉克", "锡伯",
), key=len, reverse=True)
_AUTONOMOUS = re.compile(r"^(.+?)(?:(?:" + "|".join(_PEOPLES) + r")族?)+自治(州|县|旗)$")
_CITY_SUFFIXES = ("地区", "市", "盟")
_COUNTY_SUFFIXES = ("林区", "特区", "市", "区", "县", "旗")


@dataclass(frozen=True)
class Place:
    code: str
    name: str  # as in the reference (市辖区 for a municipality's row)
    province_code: str
    city_code: str | None = None  # a county's city

    @property
    def label(self) -> str:
        """The name people read: a municipality's row as its municipality (北京市; 重庆市（县）),
        a county with its city (北京市朝阳区)."""
        if self.city_code is None:
            return city_label(self.code)
        return city_label(self.city_code) + self.name

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


def _rows(name: str) -> list[dict[str, str]]:
    with resources.files(__package__).joinpath("reference", "divisions", name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@cache
def division_provinces() -> dict[str, str]:
    """Province code -> its full name (北京市, 河北省, 广西壮族自治区)."""
    return {r["code"]: r["name"] for r in _rows("provinces.csv")}


@cache
def cities() -> dict[str, Place]:
    return {r["code"]: Place(r["code"], r["name"], r["provinceCode"]) for r in _rows("cities.csv")}


@cache
def counties() -> dict[str, Place]:
    return {r["code"]: Place(r["code"], r["name"], r["provinceCode"], r["cityCode"])
            for r in _rows("areas.csv")}


@cache
def counties_of(city_code: str) -> tuple[str, ...]:
    """The county codes of a city, in code order."""
    return tuple(sorted(c.code for c in counties().values() if c.city_code == city_code))


def city_label(code: str) -> str:
    place = cities().get(code)
    if place is None:
        return code
    if place.province_code in MUNICIPALITIES:
        whole = division_provinces()[place.province_code]
        return whole if place.name == "市辖区" else f"{whole}（{place.name}）"
    return place.name


def _short_forms(name: str, suffixes: tuple[str, ...]) -> set[str]:
    forms: set[str] = set()
    if m := _AUTONOMOUS.match(name):
        place, kind = m.group(1), m.group(2)
        forms |= {place, place + kind}
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            forms.add(name[: -len(suffix)])
            break
    forms.discard(name)
    return forms


@cache
def _index(level: str) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(full name -> codes, short form -> codes) of the cities or the counties."""
    full: dict[str, list[str]] = {}
    short: dict[str, list[str]] = {}
    if level == "city":
        for code, place in cities().items():
            if place.province_code in MUNICIPALITIES:
                # the municipality's name (北京市, 北京) stands for its 市辖区 row; 重庆's 县 row
                # (5002) is reached through its counties (see resolve)
                if place.name != "市辖区":
                    continue
                whole = division_provinces()[place.province_code]
                names = {whole, whole[:-1]}
                for n in names:
                    (full if n == whole else short).setdefault(n, []).append(code)
                continue
            full.setdefault(place.name, []).append(code)
            for form in _short_forms(place.name, _CITY_SUFFIXES):
                short.setdefault(form, []).append(code)
    else:
        for code, place in counties().items():
            full.setdefault(place.name, []).append(code)
            for form in _short_forms(place.name, _COUNTY_SUFFIXES):
                short.setdefault(form, []).append(code)
    return ({k: tuple(v) for k, v in full.items()}, {k: tuple(v) for k, v in short.items()})


@dataclass(frozen=True)
class Match:
    """What a written city or county matched: `code` when exactly one, else the candidates
    (none: unknown)."""

    text: str
    code: str | None
    candidates: tuple[Place, ...] = ()

    @property
    def unknown(self) -> bool:
        return self.code is None and not self.candidates

    @property
    def ambiguous(self) -> bool:
        return self.code is None and len(self.candidates) > 1


def _match(text: str, level: str, keep) -> Match:
    table = cities() if level == "city" else counties()
    pattern = CITY_CODE if level == "city" else COUNTY_CODE
    text = (text or "").strip()
    if pattern.match(text):
        place = table.get(text)
        return Match(text, text, (place,)) if place is not None and keep(place) else Match(text, None)
    full, short = _index(level)
    for names in (full, short):
        found = tuple(table[c] for c in names.get(text, ()) if keep(table[c]))
        if found:
            return Match(text, found[0].code if len(found) == 1 else None, found)
    return Match(text, None)


def city(text: str, province_code: str | None = None) -> Match:
    """The city `text` names (a code or a name), among the province's when one is given."""
    return _match(text, "city", lambda p: province_code is None or p.province_code == province_code)


def county(text: str, province_code: str | None = None, city_code: str | None = None) -> Match:
    """The county `text` names, among the province's (and the city's) when given."""
    return _match(text, "county", lambda p: (province_code is None or p.province_code == province_code)
                  and (city_code is None or p.city_code == city_code))


@dataclass(frozen=True)
class Problem:
    """Why a written place was refused: the column, what was written, the reason (ingest.err.<code>)
    and its argument (the candidates, or the province or city it lies outside)."""

    column: str
    value: str
    code: str
    arg: str


@dataclass(frozen=True)
class Resolved:
    city_code: str | None
    county_code: str | None
    problems: tuple[Problem, ...] = ()


def _listed(places: tuple[Place, ...], limit: int = 8) -> str:
    shown = "; ".join(str(p) for p in places[:limit])
    return shown + ("; …" if len(places) > limit else "")


def _where(place: Place) -> str:
    """A place and its province, for a message saying where it really lies: 3301 杭州市（浙江省）."""
    return f"{place}（{division_provinces()[place.province_code]}）"


def resolve(province_code: str | None, city_text: str | None, county_text: str | None,
            city_column: str = "city_code", county_column: str = "county_code") -> Resolved:
    """A row's city and county (codes or names) as codes within its province, with the reasons
    they cannot be: unknown or ambiguous (with the candidates), a city outside the province, a
    county outside its city. A county alone gives its city (昆山 → 3205 苏州市, 320583 昆山市)."""
    problems: list[Problem] = []
    city_code = county_code = None
    city_text = (city_text or "").strip() or None
    county_text = (county_text or "").strip() or None
    municipality = province_code in MUNICIPALITIES
    if city_text:
        found = city(city_text, province_code)
        if found.code is None and not found.ambiguous and province_code:
            anywhere = city(city_text)  # known elsewhere: outside the province, said so
            if anywhere.code is not None:
                problems.append(Problem(city_column, city_text, "city_outside_province",
                                        _where(anywhere.candidates[0])))
                found = None
        if found is not None:
            if found.code is not None:
                city_code = found.code
            elif found.ambiguous:
                problems.append(Problem(city_column, city_text, "ambiguous_city", _listed(found.candidates)))
            else:
                problems.append(Problem(city_column, city_text, "unknown_city", province_code or ""))
    if county_text:
        # within the city when it is known; a municipality's counties lie in any of its rows
        within = None if (municipality or problems) else city_code
        found = county(county_text, province_code, within)
        if found.code is None and not found.ambiguous and within is not None:
            wider = county(county_text, province_code)
            if wider.code is not None:
                problems.append(Problem(county_column, county_text, "county_outside_city",
                                        _where(wider.candidates[0])))
                found = None
        if found is not None and found.code is None and not found.ambiguous and province_code:
            anywhere = county(county_text)
            if anywhere.code is not None:
                problems.append(Problem(county_column, county_text, "county_outside_province",
                                        _where(anywhere.candidates[0])))
                found = None
        if found is not None:
            if found.code is not None:
                county_code = found.code
                own_city = counties()[county_code].city_code
                if city_code is None and not city_text:
                    city_code = own_city
                elif municipality and city_code is not None and own_city != city_code:
                    if city_code.endswith("01") and not CITY_CODE.match(city_text or ""):
                        city_code = own_city  # 重庆 + a county of its 县 row
                    else:
                        problems.append(Problem(county_column, county_text, "county_outside_city",
                                                _where(counties()[county_code])))
            elif found.ambiguous:
                problems.append(Problem(county_column, county_text, "ambiguous_county",
                                        _listed(found.candidates)))
            else:
                problems.append(Problem(county_column, county_text, "unknown_county", province_code or ""))
    if problems:
        return Resolved(None, None, tuple(problems))
    return Resolved(city_code, county_code)
