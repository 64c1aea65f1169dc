"""Chart builders: a tidy frame and labels in, an Altair chart out. Pages choose, builders draw.

Colours are defined once here and are colour-blind safe (Okabe–Ito); status is never shown by
colour alone: bars carry text labels, marks carry shapes, legends carry words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import altair as alt

import pandas as pd

from .i18n import judged

# Okabe–Ito: distinguishable with every common colour-vision deficiency.
HEALTH_COLOURS = {"red": "#D55E00", "amber": "#E69F00", "green": "#009E73"}
STATUS_COLOURS = {"met": "#009E73", "near": "#E69F00", "behind": "#D55E00", "no_data": "#BBBBBB"}
MILESTONE_COLOURS = {"done_on_time": "#009E73", "done_late": "#56B4E9", "overdue": "#D55E00", "upcoming": "#BBBBBB",
                     "closed": "#6E6E6E"}
BELT_COLOURS = {"east": "#0072B2", "central": "#CC79A7", "west": "#E69F00"}
PHASE_COLOURS = {"launch": "#56B4E9", "deepening": "#0072B2", "promotion": "#009E73"}
RISK_COLOURS = {"red": "#D55E00", "orange": "#E69F00", "yellow": "#F0E442", "low": "#BBBBBB"}
# Assessment grades 优 良 中 差, best first (pilotdash/assessment).
GRADE_COLOURS = {"excellent": "#009E73", "good": "#56B4E9", "fair": "#E69F00", "poor": "#D55E00"}
TARGET_RULE = "#333333"
# Words: dark on light fills, white on dark ones (`text_on` picks), grey only as dark as reads
# at 4.5:1 on white (WCAG AA for small text); `text_pairs` lists every pair the charts draw.
TEXT_DARK = "#111111"
TEXT_LIGHT = "#FFFFFF"
TEXT_MUTED = "#505050"
BACKGROUND = "#FFFFFF"
MIN_CONTRAST = 4.5
HEALTH_SHAPES = {"red": "cross", "amber": "triangle-up", "green": "circle"}

# Fill the container's width but keep the height asked for: with Streamlit's default "fit",
# the legend and axis titles are taken out of a small chart's height and its plot collapses.
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")

def _luminance(colour: str) -> float:
    """WCAG relative luminance of an sRGB colour written #RRGGBB."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(fill: str) -> str:
    """The colour for words drawn on `fill`: dark or white, whichever reads better."""
    return TEXT_DARK if contrast_ratio(TEXT_DARK, fill) >= contrast_ratio(TEXT_LIGHT, fill) else TEXT_LIGHT


def on_white(colour: str) -> str:
    """`colour`, darkened (same hue) until words in it read at MIN_CONTRAST on the background:
    target labels drawn in a belt's colour."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    shade = colour
    while contrast_ratio(shade, BACKGROUND) < MIN_CONTRAST:
        channels = [int(c * 0.9) for c in channels]
        shade = "#" + "".join(f"{c:02X}" for c in channels)
    return shade


def text_pairs() -> list[tuple[str, str, str]]:
    """Every (words, background, where) colour pair the charts draw, for the contrast test: the
    builders take their words' colours from here (`text_on`, `on_white`, TEXT_*)."""
    pairs = [(TEXT_MUTED, BACKGROUND, "axis and legend words"), (TEXT_DARK, BACKGROUND, "numbers beside bars"),
             (TARGET_RULE, BACKGROUND, "target and as-of labels")]
    palettes = {"health": HEALTH_COLOURS, "status": STATUS_COLOURS, "milestone": MILESTONE_COLOURS,
                "phase": PHASE_COLOURS, "belt": BELT_COLOURS, "risk": RISK_COLOURS,
                "grade": GRADE_COLOURS}
    for name, palette in palettes.items():
        pairs += [(text_on(fill), fill, f"number on a {name} {code} bar") for code, fill in palette.items()]
    pairs += [(TEXT_DARK, shade, "words on a shaded cell or tile") for shade in (*SEQUENTIAL_RANGE, NO_VALUE)]
    pairs += [(text_on(step), step, "words on a heat table's step") for step in HEAT_STEPS]
    pairs += [(on_white(fill), BACKGROUND, f"target label in the {belt} belt's colour")
              for belt, fill in BELT_COLOURS.items()]
    return pairs


FONT = "WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, Noto Sans CJK SC, sans-serif"


# A legend below its chart wraps its entries into as many columns as its plot is wide for
# (on a phone one, on a wide screen all in a row), so none is cut off at the right edge: an
# entry takes at most LEGEND_ENTRY px (symbol, words, padding). `width` is the plot's width
# signal, which every chart here has (unit and layered charts, never facets or concats).
LEGEND_ENTRY = 160
LEGEND_COLUMNS = f"max(1, floor(width / {LEGEND_ENTRY}))"


def _theme() -> dict:
    return {
        "config": {
            "font": FONT,
            "view": {"stroke": None},
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "labelLimit": 260, "labelColor": TEXT_MUTED,
                     "titleColor": TEXT_MUTED},
            "legend": {"labelFontSize": 12, "titleFontSize": 13, "orient": "bottom", "labelColor": TEXT_MUTED,
                       "titleColor": TEXT_MUTED, "labelLimit": LEGEND_ENTRY - 35,
                       "columns": {"expr": LEGEND_COLUMNS}},
            "header": {"labelColor": TEXT_MUTED, "titleColor": TEXT_MUTED},
            "text": {"color": TEXT_DARK},
            "title": {"fontSize": 15, "anchor": "start", "color": TEXT_DARK},
        }
    }


alt.theme.register("pilotdash", enable=True)(_theme)


def colour_scale(colours: dict[str, str], labels: dict[str, str]) -> alt.Scale:
    """A scale over the words shown (labels), in the colours of their codes."""
    return alt.Scale(domain=[labels[c] for c in colours if c in labels],
                     range=[colours[c] for c in colours if c in labels])


# Dates on axes and in tooltips as every other date on the screen (i18n.fmt_date): 2026年9月30日
# in Chinese, 2026-09-30 in English (d3-time-format; %-m and %-d drop the leading zero).
DATE_FORMATS = {"zh": {"day": "%Y年%-m月%-d日", "month": "%Y年%-m月"},
                "en": {"day": "%Y-%m-%d", "month": "%Y-%m"}}


def date_format(kind: str, lang: str) -> str:
    """A Vega time format of `kind` ("day" or "month") in `lang`."""
    return DATE_FORMATS.get(lang, DATE_FORMATS["en"])[kind]


def _whole(values: pd.Series) -> bool:
    """Whether every value is a whole number (a count), so its axis ticks are whole too."""
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    return bool(len(numbers)) and bool((numbers % 1 == 0).all())


def stacked_bar(frame: pd.DataFrame, category: str, value: str, series: str, *,
                colours: dict[str, str], series_labels: dict[str, str],
                category_title: str, value_title: str, series_title: str,
                category_order: Sequence[str] | None = None, horizontal: bool = True,
                height: int | None = None) -> alt.Chart:
    """Counts or amounts per category, stacked by series (series holds display words).
    Each segment carries its number, so the colour is never the only cue."""
    cat_enc = alt.Y if horizontal else alt.X
    val_enc = alt.X if horizontal else alt.Y
    order = [series_labels[c] for c in colours if c in series_labels]
    base = alt.Chart(frame).encode(
        cat_enc(f"{category}:N", title=category_title, sort=list(category_order) if category_order else None),
        # Counts (whole numbers) get whole-number ticks: a slide read "0.0 1.0 … 26.0".
        val_enc(f"sum({value}):Q", title=value_title, stack="zero",
                axis=alt.Axis(format=",d", tickMinStep=1) if _whole(frame[value]) else alt.Undefined),
        alt.Color(f"{series}:N", title=series_title, scale=colour_scale(colours, series_labels),
                  sort=order),
        alt.Order("series_order:Q"),
        tooltip=[alt.Tooltip(f"{category}:N", title=category_title),
                 alt.Tooltip(f"{series}:N", title=series_title),
                 alt.Tooltip(f"sum({value}):Q", title=value_title, format=",.0f")],
    ).transform_calculate(
        series_order=f"indexof({order!r}, datum['{series}'])"
    )
    bars = base.mark_bar()
    # The number sits inside the end of its own segment, dark or white as reads best on its fill.
    light = [series_labels[c] for c in colours if c in series_labels and text_on(colours[c]) == TEXT_LIGHT]
    # A number is drawn only where its segment has room for it (on a phone a segment of 25 is
    # a few px wide: "662527" read as one number); the tooltip always holds it.
    total = f"datum['sum_{value}']"
    room = (f"abs(scale('x', {total}) - scale('x', 0)) >= length(format({total}, ',.0f')) * 7.5 + 8"
            if horizontal else f"abs(scale('y', {total}) - scale('y', 0)) >= 18")
    text = base.mark_text(fontWeight="bold",
                          **({"align": "right", "dx": -4} if horizontal else {"baseline": "top", "dy": 4})
                          ).encode(text=alt.Text(f"sum({value}):Q", format=",.0f"),
                                   color=alt.condition(f"indexof({light!r}, datum['{series}']) >= 0",
                                                       alt.value(TEXT_LIGHT), alt.value(TEXT_DARK)),
                                   opacity=alt.condition(room, alt.value(1), alt.value(0)))
    chart = alt.layer(bars, text)
    return chart.properties(height=height or max(120, 36 * frame[category].nunique()), width="container",
                            autosize=FIT_WIDTH)


def money_bars(frame: pd.DataFrame, category: str, *, measure_labels: dict[str, str],
               category_title: str, value_title: str, category_order: Sequence[str] | None = None) -> alt.Chart:
    """Allocated, disbursed and spent side by side per category (a grouped bar)."""
    measures = list(measure_labels)
    long = frame.melt(id_vars=[category], value_vars=measures, var_name="measure", value_name="amount")
    long["measure_label"] = long["measure"].map(measure_labels)
    colours = {"allocated": "#999999", "disbursed": "#56B4E9", "spent": "#0072B2"}
    return alt.Chart(long).mark_bar().encode(
        alt.Y("measure_label:N", title=None, sort=[measure_labels[m] for m in measures], axis=None),
        alt.X("amount:Q", title=value_title),
        alt.Row(f"{category}:N", title=category_title, sort=list(category_order) if category_order else None,
                header=alt.Header(labelAngle=0, labelAlign="left")),
        alt.Color("measure_label:N", title=None, scale=colour_scale(colours, measure_labels),
                  sort=[measure_labels[m] for m in measures]),
        tooltip=[alt.Tooltip(f"{category}:N", title=category_title),
                 alt.Tooltip("measure_label:N", title=" "),
                 alt.Tooltip("amount:Q", title=value_title, format=",.1f")],
    ).properties(height=54, width="container")


def _bar_numbers(base: alt.Chart, number: alt.Text, reach: float, on_fill, **text: object) -> list[alt.Chart]:
    """Each bar's number (of column `shown`): inside the start of a bar reaching `reach`, in
    `on_fill` (a colour, or a condition per bar), or after the end of a shorter one. A target rule
    crosses bars near their ends, where a number after a long bar would sit under it."""
    long = f"datum.shown >= {round(reach, 4)}"
    colour = {"color": on_fill} if isinstance(on_fill, str) else {}
    inside = base.mark_text(align="left", fontWeight="bold", **colour, **text).encode(
        alt.X("zero:Q"), number, **({} if colour else {"color": on_fill}))
    after = base.mark_text(align="left", color=TEXT_DARK, **text).encode(alt.X("shown:Q"), number)
    return [inside.transform_calculate(zero="0").transform_filter(long), after.transform_filter(f"!({long})")]


def fitted_cap(values: pd.Series, cap: float, target: float | None = None) -> float:
    """The rate axis' end: the largest rate or the target, whichever is further, up to the next
    10 points, and never beyond `cap` (a chart whose rates reach 90% ended at 160%, 40% of its
    width empty axis)."""
    shown = pd.to_numeric(values, errors="coerce").dropna()
    reach = max([float(shown.max()) if len(shown) else 0.0, target or 0.0, 0.1])
    return min(cap, math.ceil(round(reach * 10, 6) + 0.25) / 10)


def rate_bars(frame: pd.DataFrame, category: str, rate: str, *, target: float | None,
              category_title: str, rate_title: str, category_order: Sequence[str] | None = None,
              cap: float = 1.5, colour: str = "#0072B2", target_label: str | None = None) -> alt.Chart:
    """A rate per category as a bar with its percentage, capped at `cap` for the axis only,
    and the target as a rule, like a progress bar against its goal."""
    data = frame[[category, rate]].copy()
    cap = fitted_cap(data[rate], cap, target)
    data["shown"] = data[rate].clip(upper=cap)
    sort = list(category_order) if category_order else "-x"
    base = alt.Chart(data).encode(alt.Y(f"{category}:N", title=category_title, sort=sort))
    bars = base.mark_bar(color=colour).encode(
        alt.X("shown:Q", title=rate_title, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, cap])),
        tooltip=[alt.Tooltip(f"{category}:N", title=category_title),
                 alt.Tooltip(f"{rate}:Q", title=rate_title, format=".1%")],
    )
    layers = [bars, *_bar_numbers(base, alt.Text(f"{rate}:Q", format=".1%"), 0.3 * cap, text_on(colour), dx=4)]
    if target is not None:
        rule = alt.Chart(pd.DataFrame({"target": [target], "label": [target_label or f"{target:.0%}"]}))
        layers.append(rule.mark_rule(color=TARGET_RULE, strokeDash=[6, 4], size=2).encode(x="target:Q"))
        layers.append(rule.mark_text(align="left", dx=4, dy=-6, color=TARGET_RULE).encode(
            x="target:Q", y=alt.value(0), text="label:N"))
    return alt.layer(*layers).properties(height=max(120, 30 * len(data)), width="container")


# Regions and funds ----------------------------------------------------------------------------

# Light to medium blue, every shade light enough for dark words on it; every cell also carries
# its number, and a cell without a value is grey with "—".
SEQUENTIAL_RANGE = ["#DCEAF7", "#4F93CE"]
NO_VALUE = "#F0F0F0"
# A heat table's shades come in five steps (ColorBrewer Blues), not a continuous ramp: on a
# projector the ramp's pale blues (27% and 40% met) could not be told apart. Adjacent steps differ
# in luminance by 1.4:1 or more; the two darkest take white words (`text_on`), the others dark.
HEAT_STEPS = ["#DEEBF7", "#9ECAE1", "#6BAED6", "#2171B5", "#08519C"]


def heat_thresholds(domain: tuple[float, float]) -> list[float]:
    """Where each of HEAT_STEPS after the first begins: the domain cut into equal steps."""
    lo, hi = domain
    return [round(lo + (hi - lo) * i / len(HEAT_STEPS), 6) for i in range(1, len(HEAT_STEPS))]


def heat_step(value: float, thresholds: Sequence[float]) -> str:
    """The step's colour a value is shaded in, as Vega's threshold scale picks it (a value on a
    threshold takes the step above)."""
    return HEAT_STEPS[sum(value >= t for t in thresholds)]
MONEY_COLOURS = {"allocated": "#999999", "disbursed": "#56B4E9", "spent": "#0072B2"}
RATE_COLOURS = {"arrival_rate": "#56B4E9", "execution_rate": "#0072B2", "utilisation": "#009E73"}


def heat_table(frame: pd.DataFrame, x: str, y: str, value: str, text: str, *, x_title: str,
               y_title: str, value_title: str, x_order: Sequence[str] | None = None,
               y_order: Sequence[str] | None = None, value_format: str = ".0%",
               domain: tuple[float, float] = (0.0, 1.0)) -> alt.Chart:
    """A grid of cells shaded by `value` (a rate), each cell carrying `text` (a line per
    " · " part), so the shade is never the only cue. Cells without a value are left light grey."""
    thresholds = heat_thresholds(domain)
    # Each cell's words in the colour that reads on its step (dark, or white on the darkest two).
    frame = frame.assign(light_words=[False if pd.isna(v) else text_on(heat_step(float(v), thresholds)) == TEXT_LIGHT
                                      for v in frame[value]])
    base = alt.Chart(frame).encode(
        alt.X(f"{x}:N", title=x_title, sort=list(x_order) if x_order else None,
              axis=alt.Axis(orient="top", labelAngle=0)),
        alt.Y(f"{y}:N", title=y_title, sort=list(y_order) if y_order else None),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        alt.Color(f"{value}:Q", title=value_title,
                  scale=alt.Scale(type="threshold", domain=thresholds, range=HEAT_STEPS),
                  # A threshold legend labels the steps' starts, the first with nothing: its start is
                  # the domain's (an empty label was a hidden legend entry on a phone).
                  legend=alt.Legend(format=value_format, orient="right",
                                    labelExpr=f"datum.label ? datum.label : {format(domain[0], value_format)!r}")),
        tooltip=[alt.Tooltip(f"{y}:N", title=y_title), alt.Tooltip(f"{x}:N", title=x_title),
                 alt.Tooltip(f"{text}:N", title=value_title)],
    )
    # A cell's words break into lines at " · " and stop at its edge (a phone's cells are narrow);
    # the block of lines is centred on the cell (Vega centres its first line).
    lines = int(frame[text].astype(str).str.count(" · ").max()) + 1 if len(frame) else 1
    words = base.mark_text(fontSize=13, lineBreak=" · ", lineHeight=15, dy=-7.5 * (lines - 1),
                           limit={"expr": "bandwidth('x') - 4"}).encode(
        alt.Text(f"{text}:N"), color=alt.condition("datum.light_words", alt.value(TEXT_LIGHT), alt.value(TEXT_DARK)))
    rows = frame[y].nunique() if len(frame) else 1
    return alt.layer(cells, words).properties(height=max(120, 46 * rows), width="container", autosize=FIT_WIDTH)


def tile_map(frame: pd.DataFrame, value: str, text: str, *, value_title: str, belt_labels: dict[str, str],
             belt_title: str, value_format: str = ",.0f", domain: Sequence[float] | None = None,
             selection: str | None = None) -> alt.Chart:
    """The provinces as a grid of equal tiles (tile_row, tile_col) shaded by `value`, each tile
    labelled with its short name and value (`text`, may hold a line break), outlined in its
    belt's colour and marked with the belt's first letter (东/中/西, E/C/W) after the value, so
    the belt never rests on the outline's colour alone. Tiles with an empty value are light grey. `selection`
    names a click selection on province_code, for drill-down."""
    data = frame.copy()
    data["belt_label"] = data["belt"].map(belt_labels)
    data["tile_text"] = data[text] + " · " + data["belt_label"].str[0]  # the name line stays short
    # A continuous colour scale drops empty values (and their tiles): shade a stand-in value
    # and paint the empty tiles grey by condition, so every tile is drawn and clickable.
    data["has_value"] = data[value].notna()
    data["shade"] = data[value].fillna(data[value].min() if data["has_value"].any() else 0)
    scale = alt.Scale(range=SEQUENTIAL_RANGE, domain=list(domain) if domain else alt.Undefined)
    base = alt.Chart(data).encode(
        alt.X("tile_col:O", axis=None),
        alt.Y("tile_row:O", axis=None),
    )
    tooltip = [alt.Tooltip("name:N", title=" "), alt.Tooltip("belt_label:N", title=belt_title),
               alt.Tooltip("value_text:N", title=value_title)]
    cells = base.mark_rect(cornerRadius=4, strokeWidth=3).encode(
        color=alt.condition("datum.has_value",
                            alt.Color("shade:Q", title=value_title, scale=scale,
                                      legend=alt.Legend(format=value_format, orient="right")),
                            alt.value(NO_VALUE)),
        stroke=alt.Color("belt_label:N", title=belt_title, scale=colour_scale(BELT_COLOURS, belt_labels),
                         legend=alt.Legend(orient="bottom", symbolType="square", symbolFillColor="white")),
        tooltip=tooltip,
    )
    if selection:
        pick = alt.selection_point(name=selection, fields=["province_code"], on="click")
        cells = cells.add_params(pick)
    words = base.mark_text(fontSize=12, lineBreak="\n", lineHeight=15, color=TEXT_DARK).encode(
        alt.Text("tile_text:N"), tooltip=tooltip)
    rows = int(data["tile_row"].max()) + 1 if len(data) else 1
    return alt.layer(cells, words).properties(height=64 * rows, width="container")


def grouped_bars(frame: pd.DataFrame, category: str, *, measure_labels: dict[str, str],
                 colours: dict[str, str], category_title: str, value_title: str,
                 category_order: Sequence[str] | None = None, value_format: str = ",.1f",
                 axis_format: str | None = None, target: float | None = None,
                 target_label: str | None = None, cap: float | None = None) -> alt.Chart:
    """Several measures side by side per category (horizontal bars), each bar carrying its
    number; an optional target as a dashed rule. `cap` bounds the axis only (rates)."""
    measures = list(measure_labels)
    long = frame.melt(id_vars=[category], value_vars=measures, var_name="measure", value_name="amount")
    long["measure_label"] = long["measure"].map(measure_labels)
    cap = fitted_cap(long["amount"], cap, target) if cap else cap
    long["shown"] = long["amount"].clip(upper=cap) if cap else long["amount"]
    order = [measure_labels[m] for m in measures]
    x_scale = alt.Scale(domain=[0, cap]) if cap else alt.Undefined
    base = alt.Chart(long).encode(
        alt.Y(f"{category}:N", title=category_title, sort=list(category_order) if category_order else None),
        alt.YOffset("measure_label:N", sort=order),
    )
    bars = base.mark_bar(height={"band": 0.9}).encode(
        alt.X("shown:Q", title=value_title, scale=x_scale,
              axis=alt.Axis(format=axis_format) if axis_format else alt.Undefined),
        alt.Color("measure_label:N", title=None, sort=order,
                  scale=alt.Scale(domain=order, range=[colours[m] for m in measures])),
        tooltip=[alt.Tooltip(f"{category}:N", title=category_title),
                 alt.Tooltip("measure_label:N", title=" "),
                 alt.Tooltip("amount:Q", title=value_title, format=value_format)],
    )
    number = alt.Text("amount:Q", format=value_format)
    if target is None:
        layers = [bars, base.mark_text(align="left", dx=3, fontSize=11).encode(alt.X("shown:Q"), number)]
    else:
        # The words' colour for each measure's fill.
        light = [measure_labels[m] for m in measures if text_on(colours[m]) == TEXT_LIGHT]
        on_fill = alt.condition(f"indexof({light!r}, datum.measure_label) >= 0", alt.value(TEXT_LIGHT),
                                alt.value(TEXT_DARK))
        reach = 0.3 * (cap or float(long["shown"].max() or 1))
        layers = [bars, *_bar_numbers(base, number, reach, on_fill, dx=3, fontSize=11)]
        rule = alt.Chart(pd.DataFrame({"target": [target], "label": [target_label or f"{target:.0%}"]}))
        layers.append(rule.mark_rule(color=TARGET_RULE, strokeDash=[6, 4], size=2).encode(x="target:Q"))
        layers.append(rule.mark_text(align="left", dx=4, dy=-6, color=TARGET_RULE).encode(
            x="target:Q", y=alt.value(0), text="label:N"))
    # The height as a step per bar: a fixed number collapses when the y band is offset.
    return alt.layer(*layers).properties(height=alt.Step(15), width="container")


def ratio_vs_expected(frame: pd.DataFrame, category: str, value: str, expected: str, *,
                      category_title: str, value_title: str, expected_label: str,
                      category_order: Sequence[str] | None = None, colour: str = "#0072B2") -> alt.Chart:
    """A ratio per category as a bar with its number, and the ratio each category is expected
    to reach as a black mark across its row with its words above it (expectations may differ by
    row). Every part is sized by its row's band, not in pixels, so on a 680 px slide the bars are
    as thick as the rows allow (a 16 px bar under 26 ticks was unreadable from the back of a room);
    the axis runs a tenth past the furthest bar or mark, so the expected ratio's words stay whole."""
    data = frame[[category, value, expected]].copy()
    # A bar labelled 1.50 reaches its 1.5 mark (see i18n.judged).
    data["value_shown"] = [None if pd.isna(v) else judged(v, () if pd.isna(e) else (e,))
                           for v, e in zip(data[value], data[expected])]
    data["shown"] = data[value]
    data["expected_text"] = [None if pd.isna(e) else f"{expected_label} {e:.1f}" for e in data[expected]]
    reach = pd.concat([data[value], data[expected]]).dropna()
    end = math.ceil(round(float(reach.max() if len(reach) else 1.0) * 1.1, 6) * 10) / 10
    x_scale = alt.Scale(domain=[0, end], nice=False)
    base = alt.Chart(data).encode(alt.Y(f"{category}:N", title=category_title,
                                        sort=list(category_order) if category_order else None))
    tooltip = [alt.Tooltip(f"{category}:N", title=category_title),
               alt.Tooltip(f"{value}:Q", title=value_title, format=".3f"),
               alt.Tooltip(f"{expected}:Q", title=expected_label, format=".2f")]
    bars = base.mark_bar(color=colour, height={"band": 0.5}).encode(
        alt.X("shown:Q", title=value_title, scale=x_scale, axis=alt.Axis(format=".1f", tickCount=8)),
        tooltip=tooltip)
    numbers = _bar_numbers(base, alt.Text("value_shown:Q", format=".2f"), 0.3 * end, text_on(colour), dx=4)
    # The expected ratio: a 4 px mark across 80% of the row, its words just above the bar,
    # ending at the mark (a label centred on a mark at the axis' end was cut in half).
    mark = base.mark_bar(color=TARGET_RULE, height={"band": 0.8}, xOffset=-2, x2Offset=2).encode(
        alt.X(f"{expected}:Q"), alt.X2(f"{expected}:Q"), tooltip=tooltip)
    words = base.mark_text(align="right", baseline="bottom", dx=-6, color=TARGET_RULE).encode(
        alt.X(f"{expected}:Q"), alt.Y(f"{category}:N", bandPosition=0.24,
                                      sort=list(category_order) if category_order else None),
        alt.Text("expected_text:N"))
    return alt.layer(bars, *numbers, mark, words).properties(height=alt.Step(60), width="container")


def ev_scatter(frame: pd.DataFrame, *, warn: float, red: float, level_labels: dict[str, str],
               level_title: str, spi_title: str, cpi_title: str, name_title: str,
               cap: float = 2.0) -> alt.Chart:
    """SPI against CPI per project, shaped and coloured by the worse level of the two (so the
    colour is never alone), with the warning and red thresholds drawn on both axes. Values
    above `cap` sit on the edge (the tooltip holds the true number)."""
    data = frame.copy()
    data["spi_shown"] = data["spi"].clip(upper=cap)
    data["cpi_shown"] = data["cpi"].clip(upper=cap)
    data["level_label"] = data["level"].map(level_labels)
    order = [level_labels[k] for k in ("red", "amber", "green") if k in level_labels]
    colours = {k: HEALTH_COLOURS[k] for k in ("red", "amber", "green")}
    shapes = alt.Scale(domain=order, range=[HEALTH_SHAPES[k] for k in ("red", "amber", "green")])
    scale = alt.Scale(domain=[0, cap])
    points = alt.Chart(data).mark_point(size=70, filled=True, opacity=0.8).encode(
        alt.X("spi_shown:Q", title=spi_title, scale=scale),
        alt.Y("cpi_shown:Q", title=cpi_title, scale=scale),
        alt.Color("level_label:N", title=level_title, scale=colour_scale(colours, {k: level_labels[k] for k in colours}),
                  sort=order),
        alt.Shape("level_label:N", title=level_title, scale=shapes, sort=order),
        tooltip=[alt.Tooltip("name:N", title=name_title), alt.Tooltip("spi:Q", title=spi_title, format=".2f"),
                 alt.Tooltip("cpi:Q", title=cpi_title, format=".2f"),
                 alt.Tooltip("level_label:N", title=level_title)],
    )
    lines = pd.DataFrame({"at": [warn, red], "dash": ["warn", "red"]})
    rules = []
    for enc in (alt.X, alt.Y):
        rules.append(alt.Chart(lines).mark_rule(strokeDash=[6, 4], size=1.5).encode(
            enc("at:Q"),
            color=alt.value(TARGET_RULE),
            strokeOpacity=alt.condition("datum.dash == 'red'", alt.value(1.0), alt.value(0.5))))
    labels = pd.DataFrame({"at": [warn, red], "text": [f"{warn:g}", f"{red:g}"]})
    rules.append(alt.Chart(labels).mark_text(align="left", dx=3, dy=-6, color=TARGET_RULE).encode(
        alt.X("at:Q"), y=alt.value(0), text="text:N"))
    return alt.layer(*rules, points).properties(height=420, width="container")


# Schedule (Phase progress and Project pages) -------------------------------------------------

STATUS_SHAPES = {"met": "circle", "near": "triangle-up", "behind": "cross", "no_data": "square"}


def phase_gantt(frame: pd.DataFrame, row: str, *, phase_labels: dict[str, str], planned_label: str,
                actual_label: str, row_title: str | None, date_title: str, phase_title: str,
                as_of: object, as_of_label: str, row_order: Sequence[str] | None = None,
                row_height: int = 48, lang: str = "en") -> alt.Chart:
    """Planned against actual phase windows, one row per `row` (a project, or a phase): the
    row's name on a line of its own, the planned window as a light bar beneath it and the actual
    one (to the as-of date while under way) as a solid bar, coloured by phase, with a labelled
    rule at the as-of date. The names sit above the bars, not in an axis beside them, so the
    bars keep the chart's whole width, on a phone as on a projector.

    `frame` holds `row`, phase (code), planned_start, planned_end, actual_start, actual_to."""
    keep = [row, "phase"]
    planned = frame[keep + ["planned_start", "planned_end"]].rename(
        columns={"planned_start": "start", "planned_end": "end"}).assign(kind=planned_label)
    actual = frame[frame["actual_start"].notna()][keep + ["actual_start", "actual_to"]].rename(
        columns={"actual_start": "start", "actual_to": "end"}).assign(kind=actual_label)
    bars = pd.concat([planned.dropna(subset=["start", "end"]), actual], ignore_index=True)
    bars["phase_label"] = bars["phase"].map(phase_labels)
    kinds = [planned_label, actual_label]
    slots = ["", *kinds]  # each row's band: its name, then the planned bar, then the actual one
    y = alt.Y(f"{row}:N", title=row_title, sort=list(row_order) if row_order is not None else None, axis=None)
    offset = alt.YOffset("kind:N", sort=slots, scale=alt.Scale(domain=slots, paddingInner=0.1))
    base = alt.Chart(bars).mark_bar(cornerRadius=2).encode(
        y, offset,
        alt.X("start:T", title=date_title, axis=alt.Axis(format="%Y", tickCount="year", grid=True)),
        alt.X2("end:T"),
        alt.Color("phase_label:N", title=phase_title, scale=colour_scale(PHASE_COLOURS, phase_labels),
                  sort=[phase_labels[p] for p in PHASE_COLOURS if p in phase_labels]),
        alt.Opacity("kind:N", title=None, sort=kinds, scale=alt.Scale(domain=kinds, range=[0.35, 1.0])),
        tooltip=[alt.Tooltip(f"{row}:N", title=row_title or " "), alt.Tooltip("phase_label:N", title=phase_title),
                 alt.Tooltip("kind:N", title=" "), alt.Tooltip("start:T", title=" ", format=date_format("day", lang)),
                 alt.Tooltip("end:T", title=" ", format=date_format("day", lang))],
    ).properties(name="phase_bars")
    names = pd.DataFrame({row: frame[row].drop_duplicates(), "kind": ""})
    name_text = alt.Chart(names).mark_text(align="left", baseline="middle", dx=2, fontSize=12, color=TEXT_DARK,
                                           limit={"expr": "width - 4"}).encode(
        y, offset, x=alt.value(0), text=f"{row}:N")
    mark = pd.DataFrame({"date": [pd.Timestamp(as_of)], "label": [as_of_label]})
    rule = alt.Chart(mark).mark_rule(color=TARGET_RULE, strokeDash=[5, 3], size=2).encode(x="date:T")
    # The date's words above the plot, on the side of the line with more room (a phone is narrow).
    dates = pd.to_datetime(pd.concat([bars["start"], bars["end"], mark["date"]]))
    late = (mark["date"][0] - dates.min()) > 0.6 * (dates.max() - dates.min()) if len(dates) else False
    text = alt.Chart(mark).mark_text(align="right" if late else "left", dx=-4 if late else 4, baseline="bottom",
                                     dy=-2, color=TARGET_RULE, fontWeight="bold").encode(
        x="date:T", y=alt.value(0), text="label:N")
    rows = frame[row].nunique()
    return alt.layer(base, name_text, rule, text).properties(
        height=max(90, row_height * rows), width="container", autosize=FIT_WIDTH,
        padding={"top": 20, "left": 5, "right": 5, "bottom": 5})


def reading_trend(frame: pd.DataFrame, *, status_labels: dict[str, str], date_title: str, value_title: str,
                  status_title: str, target_label: str | None, height: int = 280, lang: str = "en") -> alt.Chart:
    """Readings over time as a line whose points carry their status against the target in
    colour and shape (so lower-is-better indicators read right), and the target as a dashed
    rule with its words.

    `frame` holds period_end, actual, status (code) and target (one value, or empty)."""
    data = frame.assign(status_label=frame["status"].map(status_labels))
    present = {c: status_labels[c] for c in STATUS_COLOURS if c in status_labels}
    x = alt.X("period_end:T", title=date_title, axis=alt.Axis(format=date_format("month", lang)))
    y = alt.Y("actual:Q", title=value_title, scale=alt.Scale(zero=False))
    line = alt.Chart(data).mark_line(color="#777777").encode(x, y)
    points = alt.Chart(data).mark_point(filled=True, size=110, opacity=1).encode(
        x, y,
        alt.Color("status_label:N", title=status_title, scale=colour_scale(STATUS_COLOURS, present)),
        alt.Shape("status_label:N", title=status_title, scale=alt.Scale(
            domain=list(present.values()), range=[STATUS_SHAPES[c] for c in present])),
        tooltip=[alt.Tooltip("period_end:T", title=date_title, format=date_format("day", lang)),
                 alt.Tooltip("actual:Q", title=value_title, format=",.2f"),
                 alt.Tooltip("status_label:N", title=status_title)],
    )
    layers = [line, points]
    targets = frame["target"].dropna()
    if len(targets) and target_label:
        rule = pd.DataFrame({"target": [float(targets.iloc[-1])], "label": [target_label]})
        layers.append(alt.Chart(rule).mark_rule(color=TARGET_RULE, strokeDash=[6, 4], size=2).encode(
            y="target:Q"))
        layers.append(alt.Chart(rule).mark_text(align="left", x=4, dy=-7, color=TARGET_RULE).encode(
            y="target:Q", text="label:N"))
    return alt.layer(*layers).properties(height=height, width="container")


BELT_SHAPES = {"east": "circle", "central": "square", "west": "triangle-up"}


def band_trend(frame: pd.DataFrame, *, x: str, lo: str, mid: str, hi: str, series: str,
               series_labels: dict[str, str], targets: pd.DataFrame, x_title: str, y_title: str,
               series_title: str, count: str | None = None, count_title: str = "",
               height: int = 420, lang: str = "en") -> alt.Chart:
    """Aggregated readings over time: per belt (`series` holds codes) the median as a line with
    shaped points and the interquartile range as a light band; target lines as dashed rules in
    the belt's colour (the national one in dark grey) with their words at the left edge.

    `targets` holds value, label and colour_key (a belt code, or anything else for national);
    equal values share one rule with their labels joined."""
    data = frame.assign(series_label=frame[series].map(series_labels))
    present = {c: series_labels[c] for c in BELT_COLOURS if c in set(frame[series])}
    order = list(present.values())
    colour = alt.Color("series_label:N", title=series_title, scale=colour_scale(BELT_COLOURS, present), sort=order,
                       legend=alt.Legend(symbolOpacity=1))
    x_enc = alt.X(f"{x}:T", title=x_title, axis=alt.Axis(format=date_format("month", lang), labelAngle=0,
                                                          grid=False))
    tooltip = [alt.Tooltip(f"{x}:T", title=x_title, format=date_format("day", lang)),
               alt.Tooltip("series_label:N", title=series_title),
               alt.Tooltip(f"{mid}:Q", title=y_title, format=",.2f"),
               alt.Tooltip(f"{lo}:Q", title="P25", format=",.2f"),
               alt.Tooltip(f"{hi}:Q", title="P75", format=",.2f")]
    if count:
        tooltip.append(alt.Tooltip(f"{count}:Q", title=count_title))
    band = alt.Chart(data).mark_area(opacity=0.15).encode(
        x_enc, alt.Y(f"{lo}:Q", title=y_title, scale=alt.Scale(zero=False)), alt.Y2(f"{hi}:Q"), colour)
    line = alt.Chart(data).mark_line(strokeWidth=2.5).encode(x_enc, alt.Y(f"{mid}:Q"), colour)
    points = alt.Chart(data).mark_point(filled=True, size=70, opacity=1).encode(
        x_enc, alt.Y(f"{mid}:Q"), colour,
        alt.Shape("series_label:N", title=series_title, sort=order,
                  scale=alt.Scale(domain=order, range=[BELT_SHAPES[c] for c in present])),
        tooltip=tooltip)
    layers = [band, line, points]
    if not targets.empty:
        rules = (targets.groupby("value", as_index=False)
                 .agg(label=("label", " · ".join), colour_key=("colour_key", "first")))
        rules["colour"] = [BELT_COLOURS.get(k, TARGET_RULE) if (targets["value"] == v).sum() == 1 else TARGET_RULE
                           for k, v in zip(rules["colour_key"], rules["value"])]
        # Neighbouring labels sit at opposite ends of the plot, so close targets stay readable.
        for i, (_, rule) in enumerate(rules.sort_values("value").iterrows()):
            one = alt.Chart(pd.DataFrame([rule]))
            side = {"align": "left", "x": 4} if i % 2 == 0 else {"align": "right", "x": "width", "dx": -4}
            layers.append(one.mark_rule(strokeDash=[6, 4], size=2, color=rule["colour"]).encode(y="value:Q"))
            # The words in a darker shade of the rule's colour: amber on white reads at 2:1.
            words = one.mark_text(dy=-7, fontWeight="bold", color=on_white(rule["colour"]), **side)
            layers.append(words.encode(
                y="value:Q", text="label:N"))
    return alt.layer(*layers).properties(height=height, width="container", autosize=FIT_WIDTH)


# On a projector ------------------------------------------------------------------------------

TEXT_MARK_FONT_SIZE = 11  # Vega-Lite's default for a text mark that names no size
SLIDE_FONT_SIZE = 18  # px: the least size of any word on a slide (axes, legends, words on marks)
SLIDE_TITLE_FONT_SIZE = 20
SLIDE_AUTOSIZE = alt.AutoSizeParams(type="fit", contains="padding")
# A point on a slide is at least this big (px², Vega's area): ~17 px across, where the 70 px²
# of a 1440 px screen (~8 px) were specks on a projector.
SLIDE_POINT_SIZE = 300
# Ticks on a slide's number axes: a 1800 px axis otherwise ticks every 20-50 px (0.00 0.05 … 1.60).
SLIDE_TICKS = 8


def for_slide(chart: alt.TopLevelMixin, height: int) -> alt.TopLevelMixin:
    """A copy of `chart` for a slide (presentation mode): the whole chart, axes and legend in it,
    `height` px tall and as wide as the screen, and every word at least SLIDE_FONT_SIZE px, the
    axis and legend words and the numbers inside the marks (on bars, tiles, target rules) alike,
    each mark's offsets grown with its words so a label keeps its place beside its mark; points
    at least SLIDE_POINT_SIZE, number axes with about SLIDE_TICKS ticks. Drawn as SVG, so the
    sizes can be read from the page."""
    chart = chart.copy(deep=True)
    if isinstance(chart, (alt.Chart, alt.LayerChart)) and not _faceted(chart):  # a grid keeps its cells' size
        chart = chart.properties(height=height, autosize=SLIDE_AUTOSIZE)
    _enlarge_marks(chart, SLIDE_FONT_SIZE)
    chart.usermeta = {"embedOptions": {"renderer": "svg"}}
    return chart.configure_axis(labelFontSize=SLIDE_FONT_SIZE, titleFontSize=SLIDE_TITLE_FONT_SIZE,
                                labelLimit=420) \
        .configure_axisQuantitative(tickCount=SLIDE_TICKS) \
        .configure_legend(labelFontSize=SLIDE_FONT_SIZE, titleFontSize=SLIDE_TITLE_FONT_SIZE, symbolSize=220,
                          labelLimit=420, titleLimit=900) \
        .configure_header(labelFontSize=SLIDE_FONT_SIZE, titleFontSize=SLIDE_TITLE_FONT_SIZE) \
        .configure_title(fontSize=SLIDE_TITLE_FONT_SIZE)


def _faceted(chart: alt.TopLevelMixin) -> bool:
    encoding = getattr(chart, "encoding", alt.Undefined)
    return encoding is not alt.Undefined and any(
        getattr(encoding, channel, alt.Undefined) is not alt.Undefined
        for channel in ("row", "column", "facet"))


def _enlarge_marks(node: object, least: float) -> None:
    for attr in ("layer", "concat", "hconcat", "vconcat"):
        children = getattr(node, attr, None)
        if isinstance(children, list):
            for child in children:
                _enlarge_marks(child, least)
    spec = getattr(node, "spec", None)
    if isinstance(spec, alt.SchemaBase):
        _enlarge_marks(spec, least)
    mark = getattr(node, "mark", None)
    if mark in ("point", "circle", "square") or getattr(mark, "type", None) in ("point", "circle", "square"):
        props = {"type": mark} if isinstance(mark, str) else mark.to_dict()
        if not isinstance(props.get("size"), (int, float)) or props["size"] < SLIDE_POINT_SIZE:
            props["size"] = SLIDE_POINT_SIZE
        node.mark = alt.MarkDef(**props)
    if mark == "text" or getattr(mark, "type", None) == "text":
        props = {} if isinstance(mark, str) else mark.to_dict()
        props["type"] = "text"
        size = props.get("fontSize", TEXT_MARK_FONT_SIZE)
        factor = max(1.0, least / size)
        props["fontSize"] = round(size * factor, 1)
        for offset in ("dx", "dy", "lineHeight"):
            if isinstance(props.get(offset), (int, float)):
                props[offset] = round(props[offset] * factor, 1)
        node.mark = alt.MarkDef(**props)


# On a phone ----------------------------------------------------------------------------------

PHONE_LABEL_LIMIT = 110  # px of an axis' words on a 390 px screen: the marks keep the rest
PHONE_TEXT_SIZE = 10  # the largest words inside the marks (tiles, cells, the Gantt's names)
PHONE_LINE_CHARS = 9  # Chinese characters on one line of a category axis' label (12 px each)
PHONE_WRAP_EXPR = (
    f"test(/[\\u4e00-\\u9fff]/, datum.label) && length(datum.label) > {PHONE_LINE_CHARS} ? "
    f"[substring(datum.label, 0, {PHONE_LINE_CHARS}), substring(datum.label, {PHONE_LINE_CHARS})] : datum.label")


def for_phone(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """A copy of `chart` for a phone (ui.layout chooses): axis words cut at PHONE_LABEL_LIMIT
    so the bars keep the width, every legend below its chart (a gradient legend beside a 358 px
    map takes a fifth of it; legends below wrap their entries, see LEGEND_COLUMNS), and the
    words inside the marks no larger than PHONE_TEXT_SIZE, so they fit a phone's narrow tiles."""
    chart = chart.copy(deep=True)
    _for_phone(chart)
    # A name on a category axis ("P1 跨部门政策协同率") wraps onto a second line rather than being
    # cut at the limit: Chinese words, which have no spaces, every PHONE_LINE_CHARS characters.
    return chart.configure_axis(labelLimit=PHONE_LABEL_LIMIT).configure_axisBand(labelExpr=PHONE_WRAP_EXPR)


def _for_phone(node: object) -> None:
    if isinstance(node, alt.Legend):
        orient = node._kwds.get("orient")
        if (orient.to_dict() if isinstance(orient, alt.SchemaBase) else orient) in ("right", "left"):
            node.orient = "bottom"
        return
    if isinstance(node, (list, tuple)):
        for child in node:
            _for_phone(child)
        return
    if isinstance(node, dict):
        for child in node.values():
            _for_phone(child)
        return
    if not isinstance(node, alt.SchemaBase):
        return
    mark = node._kwds.get("mark")
    if mark is not None and (mark == "text" or getattr(mark, "type", None) == "text"):
        props = {} if isinstance(mark, str) else mark.to_dict()
        props["type"] = "text"
        size = props.get("fontSize", TEXT_MARK_FONT_SIZE)
        if isinstance(size, (int, float)) and size > PHONE_TEXT_SIZE:
            props["fontSize"] = PHONE_TEXT_SIZE
            for offset in ("lineHeight", "dy"):  # a block of lines stays centred
                if isinstance(props.get(offset), (int, float)):
                    props[offset] = round(props[offset] * PHONE_TEXT_SIZE / size, 1)
        node.mark = alt.MarkDef(**props)
    for key, child in node._kwds.items():
        if key not in ("data", "mark"):
            _for_phone(child)
