import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilotdash.ingest.formats import FileProblem, decode, read_grid, sniff_delimiter
from pilotdash.ingest.plan import prepare
from pilotdash.ingest.templates import template

ZH = "项目编号,指标代码,统计期末,实际值\r\nA,P1,2026年9月30日,85%\r\n"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (ZH.encode("utf-8"), "utf-8"),
        (ZH.encode("utf-8-sig"), "utf-8-sig"),
        (ZH.encode("utf-16"), "utf-16"),
        (ZH.encode("gb18030"), "gb18030"),
        (ZH.encode("gbk"), "gb18030"),
    ],
)
def test_encodings_are_detected(data, encoding):
    text, found = decode(data)
    assert found == encoding
    assert text.lstrip("\ufeff").startswith("项目编号")


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_delimiters(sep):
    grid = read_grid("r.csv", ZH.replace(",", sep).encode("gb18030"))
    assert grid.headers == ["项目编号", "指标代码", "统计期末", "实际值"]
    assert grid.rows.column("c2").to_pylist() == ["2026年9月30日"]
    assert grid.rows.column("_row").to_pylist() == [2]


def test_sniff_ignores_quoted_commas():
    assert sniff_delimiter('"a,b";c;d') == ";"


def test_size_is_checked_before_parsing():
    with pytest.raises(FileProblem) as err:
        read_grid("big.csv", b"\xff" * 2000, limit=1000)
    assert err.value.code == "ingest.err.too_large"


def test_blank_lines_keep_file_row_numbers():
    grid = read_grid("r.csv", b"a,b\n1,2\n\n3,4\n")
    assert grid.rows.column("_row").to_pylist() == [2, 3, 4]
    assert grid.rows.column("c0").to_pylist() == ["1", None, "3"]


def test_ragged_and_quoted_newlines():
    grid = read_grid("r.csv", b'a,b\n"x\ny",2\n3,4,5\n6,7\n')
    assert grid.ragged == [(3, 3)]
    assert grid.rows.column("_row").to_pylist() == [2, 4]


def test_a_line_break_inside_a_header_cell_stays_in_the_header():
    grid = read_grid("r.csv", '"实际值\n(万元)",b\n1,2\n3,4\n'.encode("gb18030"))
    assert grid.headers == ["实际值\n(万元)", "b"]
    assert grid.rows.column("c0").to_pylist() == ["1", "3"]
    assert grid.rows.column("_row").to_pylist() == [2, 3]


def test_a_wrapped_two_language_heading_is_recognised():
    from pilotdash.ingest.headers import recognise

    headers = ["项目编号\nproject_id", "indicator_code", "统计期末\r\n(period_end)", "actual_value"]
    assert recognise(headers) == (["readings"], [])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_templates_round_trip(store, fmt, lang):
    blank = prepare(store, f"readings.{fmt}", template("readings", lang, fmt))
    assert blank.table == "readings" and blank.counts.rows == 0
    example = prepare(store, f"x.{fmt}", template("budget_lines", lang, fmt, example=True), table="budget_lines")
    assert example.file_issues == []
    assert example.counts.rejected == 2  # the example rows. project PJ-2024-001 is not in the fixture store
    assert "No such project" in example.report("en").iloc[0, 3]


def test_csv_template_has_bom_for_excel():
    assert template("risks", "zh", "csv").startswith(b"\xef\xbb\xbf\xe9\xa3\x8e")  # BOM, 风


LINES = ["project_id,indicator_code,period_end,actual_value", "A,P1,2026-03-31,70", "B,I3,2026/6/30,\"1,234\"",
         "项目编号,指标代码", "\"unterminated", ";;;", "\t", "A,P1,2026-13-01,-5", ""]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_random_bytes_never_crash(store, data):
    plan = prepare(store, "random.csv", data)
    assert plan.readable or plan.file_issues
    plan.report("zh")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=8), st.sampled_from(["utf-8", "gb18030", "utf-16"]),
       st.text(max_size=20), st.integers(0, 200))
def test_random_csv_mutations_give_clear_messages(store, lines, encoding, noise, at):
    text = "\n".join(lines)
    text = text[:at] + noise + text[at:]
    data = text.encode(encoding, errors="replace")
    plan = prepare(store, "mutated.csv", data)
    report = plan.report("en")
    if not plan.readable:
        assert plan.file_issues and all(not r.startswith("ingest.") for r in report["Reason"])
    else:
        assert plan.counts.rows >= plan.counts.rejected
        assert all(not r.startswith("ingest.") for r in report["Reason"])
        assert report["Row"].notna().all() or len(plan.file_issues)
