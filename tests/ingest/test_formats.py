import pytest
from hypothesis import HealthCheck, assume, given, settings
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


# The three CSV readers (pyarrow in memory, DuckDB, Python's csv) must read a file alike: the
# fast one is tried first, and any file it cannot read goes the slower ways (issue 19).
CELL = st.one_of(
    st.sampled_from(["", " ", "NA", "N/A", "NULL", "null", "nan", "#N/A", "-", "0", "1,5", 'say "hi"',
                     "两行\n文字", "  padded  ", "85%", "2026年9月30日", "a;b", "tab\there"]),
    st.text(alphabet="ab,;\"\n 中文1.%", max_size=8),
)


def _readers():
    from pilotdash.ingest import formats
    return formats._read_csv_arrow, formats._read_csv_duckdb, lambda text, header, enc, sep: formats._read_csv_python(text, enc, sep)


def _csv_text(rows, sep):
    import csv
    import io
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    return buffer.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=6),
       sep=st.sampled_from([",", ";", "\t"]))
def test_the_three_csv_readers_read_a_well_formed_file_alike(rows, sep):
    import duckdb
    import pyarrow as pa

    header = ["h0", "h1", "h2"]
    text = _csv_text([header, *rows], sep).rstrip("\r\n \t")  # as _read_csv_text hands it on
    assume("\n" in text)  # a header alone never reaches the readers
    read = []
    for reader in _readers():
        try:
            grid = reader(text, header, "utf-8", sep)
        except (duckdb.Error, pa.ArrowInvalid):  # refused (a row made short by the trailing blanks cut,
            continue                               # quoted line breaks in DuckDB): the next reader reads it
        # As validation sees a cell: blank (missing, empty or spaces) or its text as written.
        read.append({name: [v if isinstance(v, int) or (v is not None and v.strip()) else None
                            for v in grid.rows.column(name).to_pylist()] for name in ("_row", "c0", "c1", "c2")})
    assert read and all(r == read[0] for r in read[1:]), read
    assert read[0]["c0"] == [r[0] if r[0].strip() else None for r in rows]  # "NA", "NULL", "nan" are text


def test_a_short_row_is_padded_and_a_long_one_refused_whichever_reader_reads_the_rest():
    grid = read_grid("r.csv", b"a,b,c\n1,2,3\n4,5\n6,7,8\n")  # Arrow's reader refuses, DuckDB pads
    assert grid.rows.column("c2").to_pylist() == ["3", None, "8"]
    assert grid.rows.column("_row").to_pylist() == [2, 3, 4]
    grid = read_grid("r.csv", b"a,b\n1,2\n3,4,5\n")  # only the careful reader names the row
    assert grid.ragged == [(3, 3)]


def test_the_fast_reader_reads_quotes_line_breaks_and_words_that_look_missing():
    from pilotdash.ingest.formats import _read_csv_arrow

    text = 'a;b;c\r\n"x;y";NA;"say ""hi"""\r\n"两行\n文字";;NULL\r\nnan;#N/A;  1,5  '
    grid = _read_csv_arrow(text, ["a", "b", "c"], "utf-8", ";")
    assert grid.rows.to_pylist() == [
        {"_row": 2, "c0": "x;y", "c1": "NA", "c2": 'say "hi"'},
        {"_row": 3, "c0": "两行\n文字", "c1": None, "c2": "NULL"},
        {"_row": 4, "c0": "nan", "c1": "#N/A", "c2": "  1,5  "},
    ]
