"""The Cases page 经验推广 (AppTest over the fixture store + tests/cases/rows.py; see its numbers)."""

D = "2026-06-30"


def metrics(at):
    return {m.label: m.value for m in at.metric}


def library(at):
    return next(e.value for e in at.dataframe if "title" in e.value.columns)


def test_conversion_coverage_and_the_library_on_d(app):
    at = app("cases", as_of=D).run()
    assert not at.exception
    shown = metrics(at)
    assert shown["经验转化率"] == "33.3%"  # {E} of {C, E, F}
    assert shown["推广覆盖率"] == "6.5%"  # {32, 51} of 31
    assert shown["案例数"] == "4"
    cases = library(at)
    assert list(cases["case_id"]) == ["cs1", "cs4", "cs2", "cs3"]
    assert list(cases["stage_text"]) == ["已推广", "已推荐", "已评估", "初稿"]
    assert cases.iloc[0]["adopted_in"] == "江苏、四川"
    # F, running in the promotion phase without a case, is listed (and C, withdrawn, is not)
    without = [e.value for e in at.dataframe if "昆山智慧城市试点" in e.value.to_string()]
    assert len(without) == 1 and "太原医疗健康试点" not in without[0].to_string()


def test_the_library_is_searched_by_kind_and_stage_in_the_url(app):
    at = app("cases", as_of=D, case_kind="standard", lang="en").run()
    assert not at.exception
    assert list(library(at)["case_id"]) == ["cs4"]
    at = app("cases", as_of=D, maturity="draft").run()
    assert list(library(at)["case_id"]) == ["cs3"]


def test_later_the_recommendation_counts(app):
    at = app("cases", as_of="2026-09-30", lang="en").run()
    assert not at.exception
    shown = metrics(at)
    assert shown["Conversion rate"] == "66.7%"
    assert shown["Coverage"] == "9.7%"
