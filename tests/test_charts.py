"""Chart builders' presentation copies (charts.for_projector)."""

import pandas as pd

from pilotdash import charts


def text_marks(spec: dict) -> list[dict]:
    return [layer["mark"] for layer in spec.get("layer", []) if layer["mark"]["type"] == "text"]


def test_for_projector_enlarges_every_word_inside_the_marks_and_leaves_the_chart_alone():
    chart = charts.rate_bars(pd.DataFrame({"belt": ["east", "west"], "rate": [0.5, 0.9]}), "belt", "rate",
                             target=0.85, category_title="Belt", rate_title="Utilisation")
    before = chart.to_dict()
    big = charts.for_projector(chart, 1.5).to_dict()
    # The bar labels name no size (Vega-Lite's 11 px) and sit 4 px right of the bar; the target's
    # label also sits 6 px above its rule: all grow together, so each stays beside its mark.
    assert [(m["fontSize"], m["dx"], m.get("dy")) for m in text_marks(big)] == [(16.5, 6.0, None), (16.5, 6.0, -9.0)]
    assert big["height"] == int(before["height"] * 1.5)
    assert big["config"]["axis"]["labelFontSize"] == 18
    assert chart.to_dict() == before  # the page's own chart (and its PNG export) keep their size


def test_for_projector_keeps_an_explicit_size_in_proportion():
    frame = pd.DataFrame({"belt": ["east", "east"], "n": [3, 4], "phase": ["launch", "deepening"]})
    chart = charts.stacked_bar(frame, "belt", "n", "phase", colours=charts.PHASE_COLOURS,
                               series_labels={"launch": "launch", "deepening": "deepening"},
                               category_title="Belt", value_title="Pilots", series_title="Phase")
    (mark,) = text_marks(charts.for_projector(chart, 2).to_dict())
    assert (mark["fontSize"], mark["dx"], mark["fontWeight"], mark["align"]) == (22, -8, "bold", "right")


def test_a_ratio_bar_never_reads_as_reaching_a_tick_it_misses():
    frame = pd.DataFrame({"belt": ["East", "West"], "ratio": [1.4973, 0.7948], "expected": [1.5, 1.0]})
    spec = charts.ratio_vs_expected(frame, "belt", "ratio", "expected", category_title=None,
                                    value_title="Matching ratio", expected_label="Expected").to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert [r["value_shown"] for r in rows] == [1.49, 0.79]  # not 1.50 beside the 1.5 tick; 0.7948 rounds
