"""Chart builders: a tidy frame and labels in, an Altair chart out. Pages choose, builders draw.

Colours are defined once here and are colour-blind safe (Okabe–Ito); status is never shown by
colour alone: bars carry text labels, marks carry shapes, legends carry words.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

# Okabe–Ito: distinguishable with every common colour-vision deficiency.
HEALTH_COLOURS = {"red": "#D55E00", "amber": "#E69F00", "green": "#009E73"}
STATUS_COLOURS = {"met": "#009E73", "near": "#E69F00", "behind": "#D55E00", "no_data": "#BBBBBB"}
MILESTONE_COLOURS = {"done_on_time": "#009E73", "done_late": "#56B4E9", "overdue": "#D55E00", "upcoming": "#BBBBBB"}
BELT_COLOURS = {"east": "#0072B2", "central": "#CC79A7", "west": "#E69F00"}
PHASE_COLOURS = {"launch": "#56B4E9", "deepening": "#0072B2", "promotion": "#009E73"}
RISK_COLOURS = {"red": "#D55E00", "orange": "#E69F00", "yellow": "#F0E442", "low": "#BBBBBB"}
TARGET_RULE = "#333333"
HEALTH_SHAPES = {"red": "cross", "amber": "triangle-up", "green": "circle"}

FONT = "WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, Noto Sans CJK SC, sans-serif"


def _theme() -> dict:
    return {
        "config": {
            "font": FONT,
            "view": {"stroke": None},
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "labelLimit": 260},
            "legend": {"labelFontSize": 12, "titleFontSize": 13, "orient": "bottom"},
            "title": {"fontSize": 15, "anchor": "start"},
        }
    }


alt.theme.register("pilotdash", enable=True)(_theme)


def colour_scale(colours: dict[str, str], labels: dict[str, str]) -> alt.Scale:
    """A scale over the words shown (labels), in the colours of their codes."""
    return alt.Scale(domain=[labels[c] for c in colours if c in labels],
                     range=[colours[c] for c in colours if c in labels])


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
        val_enc(f"sum({value}):Q", title=value_title, stack="zero"),
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
    # The number sits inside the end of its own segment.
    text = base.mark_text(color="white", fontWeight="bold",
                          **({"align": "right", "dx": -4} if horizontal else {"baseline": "top", "dy": 4})
                          ).encode(text=alt.Text(f"sum({value}):Q", format=",.0f"))
    chart = alt.layer(bars, text)
    return chart.properties(height=height or max(120, 36 * frame[category].nunique()), width="container")


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


def rate_bars(frame: pd.DataFrame, category: str, rate: str, *, target: float | None,
              category_title: str, rate_title: str, category_order: Sequence[str] | None = None,
              cap: float = 1.5, colour: str = "#0072B2", target_label: str | None = None) -> alt.Chart:
    """A rate per category as a bar with its percentage, capped at `cap` for the axis only,
    and the target as a rule, like a progress bar against its goal."""
    data = frame[[category, rate]].copy()
    data["shown"] = data[rate].clip(upper=cap)
    sort = list(category_order) if category_order else "-x"
    base = alt.Chart(data).encode(alt.Y(f"{category}:N", title=category_title, sort=sort))
    bars = base.mark_bar(color=colour).encode(
        alt.X("shown:Q", title=rate_title, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, cap])),
        tooltip=[alt.Tooltip(f"{category}:N", title=category_title),
                 alt.Tooltip(f"{rate}:Q", title=rate_title, format=".1%")],
    )
    text = base.mark_text(align="left", dx=4).encode(
        alt.X("shown:Q"), alt.Text(f"{rate}:Q", format=".1%"))
    layers = [bars, text]
    if target is not None:
        rule = alt.Chart(pd.DataFrame({"target": [target], "label": [target_label or f"{target:.0%}"]}))
        layers.append(rule.mark_rule(color=TARGET_RULE, strokeDash=[6, 4], size=2).encode(x="target:Q"))
        layers.append(rule.mark_text(align="left", dx=4, dy=-6, color=TARGET_RULE).encode(
            x="target:Q", y=alt.value(0), text="label:N"))
    return alt.layer(*layers).properties(height=max(120, 30 * len(data)), width="container")
