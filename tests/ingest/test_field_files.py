"""Files as offices really send them (issue 15): encodings of every kind, header-only files, years
before 2000, a statistics-portal export, and the rejected-rows file that re-uploads once fixed."""

import subprocess
import sys

import pytest

from pilotdash.ingest.apply import apply
from pilotdash.ingest.formats import FileProblem, decode
from pilotdash.ingest.plan import prepare

# (name, text, encoding): each text holds what that encoding is used for.
HEADER = "risk_id,project_id,category,description,probability,impact,status,owner,identified_on\r\n"
CATALOGUE = [
    ("cp1252", "R-GBP,A,market,Budget (WLC £m) up 12%; €5m café loan,2,3,open,José Müller,2026-01-15\r\n", "cp1252"),
    ("cp1252-accents", "R-FR,A,external,Délai de livraison élevé à Genève,2,2,open,Zoë Brontë,2026-02-01\r\n", "cp1252"),
    ("latin-1", "R-L1,A,social,Señal débil en Málaga ± 5 km,1,2,open,Søren Ærø,2026-03-01\r\n", "latin-1"),
    ("shift-jis", "R-JP,A,technical,東京都のデータ連携が遅れている,3,3,open,山田太郎,2026-01-10\r\n", "shift_jis"),
    ("gbk-rare", "R-CN,A,management,跨部门协调不畅，需要市领导督办,3,4,open,王喆,2026-01-20\r\n"
                 "R-CN2,A,policy,堃镕犇淼等生僻字人名登记,2,2,open,朱镕基,2026-01-21\r\n", "gbk"),
    ("gb18030", "R-CN3,A,policy,政策衔接与数据共享,2,2,open,李䶮,2026-01-22\r\n", "gb18030"),
    ("utf-8", "R-U8,A,market,Zürich £ € 东京 数字经济 ✓,2,2,open,Ana,2026-01-23\r\n", "utf-8"),
    ("utf-8-sig", "R-U8B,A,market,带 BOM 的 UTF-8 £m,2,2,open,Ana,2026-01-24\r\n", "utf-8-sig"),
    ("utf-16", "R-U16,A,market,UTF-16 文件 £m é,2,2,open,Ana,2026-01-25\r\n", "utf-16"),
    ("utf-16-le", "R-U16L,A,market,UTF-16 无 BOM 文件,2,2,open,Ana,2026-01-26\r\n", "utf-16-le"),
]


def stored_text(store, risk_ids):
    rows = store.rows(
        "SELECT risk_id, description, owner FROM risks WHERE list_contains(?, risk_id) ORDER BY risk_id",
        [risk_ids])
    return {r[0]: (r[1], r[2]) for r in rows}


def expected(body):
    out = {}
    for line in body.strip().split("\r\n"):
        cells = line.split(",")
        out[cells[0]] = (cells[3], cells[7])
    return out


@pytest.mark.parametrize("name, body, encoding", CATALOGUE, ids=[c[0] for c in CATALOGUE])
def test_every_file_is_read_exactly_or_refused_never_garbled(store, name, body, encoding):
    data = (HEADER + body).encode(encoding)
    plan = prepare(store, f"risks_{name}.csv", data)
    if not plan.readable:
        # Refused: it says which encodings were tried and how to save the file.
        codes = [i.code for i in plan.file_issues]
        assert codes and codes[0] in ("bad_encoding", "ambiguous_encoding"), codes
        message = plan.file_messages("en")[0]
        assert "UTF-8" in message and "GB18030" in message and "Save it as" in message
        assert stored_text(store, list(expected(body))) == {}
        return
    assert plan.clean, plan.report("en").to_dict("records")
    apply(store, plan, "ana")
    assert stored_text(store, list(expected(body))) == expected(body)  # exactly, character for character
    assert plan.encoding_label("en").startswith("read as ")


@pytest.mark.parametrize("name, body, encoding", CATALOGUE, ids=[c[0] for c in CATALOGUE])
def test_the_common_encodings_are_read_not_refused(store, name, body, encoding):
    if name == "shift-jis":
        pytest.skip("Shift-JIS may be read or refused; it is never garbled (above)")
    plan = prepare(store, "risks.csv", (HEADER + body).encode(encoding))
    assert plan.readable, plan.file_messages("en")


def test_cp1252_pound_is_not_taken_for_gbk():
    text, codec = decode("Budget (WLC £m),€ 5m\r\n".encode("cp1252"))
    assert codec == "cp1252" and "£m" in text and "\ue5b3" not in text


def test_unreadable_bytes_are_refused_with_the_encodings_tried():
    with pytest.raises(FileProblem) as exc:
        decode(b"abc,\x81\x81\x00\x01\xff\xfe\x80\x81\x9d\n")
    assert exc.value.code in ("ingest.err.bad_encoding", "ingest.err.ambiguous_encoding")
    assert "gb18030" in exc.value.values["tried"] and "cp1252" in exc.value.values["tried"]


def test_the_preview_says_the_encoding(store):
    plan = prepare(store, "r.csv", "项目编号,指标代码,统计期末,实际值\nA,P1,2026-06-30,70\n".encode("gbk"))
    assert plan.encoding_label("en") == "read as GB18030/GBK (Chinese Excel)"
    assert plan.encoding_label("zh") == "编码：GB18030/GBK（中文 Excel）"


# Header-only files --------------------------------------------------------------------------

@pytest.mark.parametrize("data", [
    b"project_id,indicator_code,period_end,actual_value\n",
    b"project_id,indicator_code,period_end,actual_value\r\n\r\n,,,\r\n",
    "项目编号,指标代码,统计期末,实际值".encode("gbk"),
])
def test_a_header_only_file_says_it_has_no_data_rows(store, data):
    plan = prepare(store, "readings.csv", data)
    assert not plan.readable
    assert [i.code for i in plan.file_issues] == ["no_data_rows"]
    assert "no data rows" in plan.file_messages("en")[0]


def test_the_cli_refuses_a_header_only_file(store, tmp_path):
    path = str(store.path)
    store.close()
    f = tmp_path / "readings.csv"
    f.write_bytes(b"project_id,indicator_code,period_end,actual_value\n")
    done = subprocess.run([sys.executable, "-m", "pilotdash", "--store", path, "load", str(f)],
                          capture_output=True, text=True, env={"PILOTDASH_LANG": "en", "PATH": ""})
    assert done.returncode != 0
    assert "no data rows" in done.stdout + done.stderr
    assert "Nothing to change" not in done.stdout + done.stderr


# Years --------------------------------------------------------------------------------------

OLD_PROJECTS = ("project_id,name_zh,domain,pilot_type,province_code,batch_year,start_date,end_date,status\n"
                "H1,世行贷款农业项目,rural_revitalisation,basic,51,1985,1985-03-01,1992-12-31,completed\n"
                "H2,建国初期试点,education,basic,11,1949,1949-10-01,1999-12-31,completed\n")


def test_years_from_1949_are_accepted(store):
    plan = prepare(store, "projects.csv", OLD_PROJECTS.encode())
    assert plan.clean, plan.report("en").to_dict("records")
    apply(store, plan, "ana")
    lines = ("project_id,fiscal_year,source,category,allocated,disbursed,spent\n"
             "H1,1986,central,hardware,100,80,60\nH1,1999,local,training,10,10,5\n")
    plan = prepare(store, "budget_lines.csv", lines.encode())
    assert plan.clean, plan.report("en").to_dict("records")
    readings = "project_id,indicator_code,period_end,actual_value\nH1,P1,1990-12-31,40\nH2,I3,1955年6月30日,1\n"
    plan = prepare(store, "readings.csv", readings.encode())
    assert plan.clean, plan.report("en").to_dict("records")


def test_a_year_before_1949_is_refused(store):
    plan = prepare(store, "projects.csv", OLD_PROJECTS.replace("1949,1949-10-01", "1948,1948-10-01").encode())
    assert plan.counts.rejected == 1
    reasons = " ".join(plan.report("en")["Reason"])
    assert "1949" in reasons


def test_a_fiscal_year_outside_the_project_is_a_warning_not_a_refusal(store):
    # Project A runs 2024–2028.
    lines = "project_id,fiscal_year,source,category,allocated,disbursed,spent\nA,2031,central,hardware,1,1,1\n"
    plan = prepare(store, "budget_lines.csv", lines.encode())
    assert plan.clean and plan.counts.warnings == 1
    report = plan.report("en")
    assert report["Reason"].tolist() == ["The fiscal year is outside the project's years (2024–2028)."]
    assert report["Severity"].tolist() == ["Warning"]


def test_a_batch_year_after_the_planned_end_is_a_warning(store):
    plan = prepare(store, "projects.csv", OLD_PROJECTS.replace("1985,1985-03-01", "1995,1985-03-01").encode())
    assert plan.clean and plan.counts.warnings == 1


# The statistics portal's export ---------------------------------------------------------------

PORTAL = ("数据库：分省年度数据\r\n"
          "指标：地区生产总值(亿元)\r\n"
          "时间：最近5年\r\n"
          "地区,2023年,2022年,2021年,2020年,2019年\r\n"
          "北京市,43760.7,41610.9,41045.6,36102.6,35445.1\r\n"
          "天津市,16737.3,16311.3,15685.1,14083.7,14055.5\r\n"
          "河北省,43944.1,42370.4,40397.1,36206.9,34978.6\r\n"
          "\r\n"
          "注：1.本表按当年价格计算。2.2023年数据为初步核实数。\r\n"
          "数据来源：国家统计局\r\n").encode("gbk")


@pytest.mark.parametrize("lang, words", [("en", ["statistics-portal export", "分省年度数据", "地区生产总值(亿元)",
                                                  "readings template", "one row per pilot, indicator and period"]),
                                          ("zh", ["统计数据库导出", "分省年度数据", "实际值"])])
def test_a_portal_export_is_recognised_and_says_what_to_do(store, lang, words):
    plan = prepare(store, "分省年度数据.csv", PORTAL)
    assert not plan.readable and plan.portal_export
    message = plan.file_messages(lang)[0]
    for word in words:
        assert word in message
    assert "Unknown column" not in message


def test_a_portal_export_saved_as_xlsx_is_recognised(store):
    import io

    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = book.add_worksheet("Sheet1")
    for r, line in enumerate(PORTAL.decode("gbk").split("\r\n")):
        for c, cell in enumerate(line.split(",") if line else []):
            ws.write_string(r, c, cell)
    book.close()
    plan = prepare(store, "data.xlsx", buf.getvalue())
    assert plan.portal_export


# Rejected rows: apply the valid ones, fix the rest, upload them again ---------------------------

PROJECTS_WITH_PROBLEMS = (
    "项目编号,项目名称,领域,试点类型,省份代码,城市,批次,状态\n"
    "N1,襄阳市智慧城市试点,smart_city,basic,湖北,襄阳,2024,active\n"
    "N2,襄樊市数字政务试点,government_services,basic,襄樊,襄樊,2024,active\n"   # a renamed city as province
    "N3,某市乡村振兴试点,rural_revitalisation,basic,,某市,2024,active\n"         # the province left out
    "N4,杭州市教育试点,education,basic,浙江省,杭州,2024,active\n"
).encode("gbk")


def test_rejected_rows_file_re_uploads_cleanly_once_fixed(store):
    plan = prepare(store, "projects_2026.csv", PROJECTS_WITH_PROBLEMS)
    assert (plan.counts.inserts, plan.counts.rejected) == (2, 2)
    apply(store, plan, "ana", "valid_rows")

    rejected = plan.rejected_file("zh")
    text = rejected.decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    assert lines[0].startswith("项目编号,项目名称,领域,试点类型,省份代码,城市,批次,状态,")
    assert [line.split(",")[0] for line in lines[1:]] == ["N2", "N3"]
    assert "省份代码" in lines[1] and "无此省份代码" in lines[1]  # the reason, beside the row

    fixed = text.replace(",襄樊,襄樊,", ",42,襄阳,").replace(",,某市,", ",湖北省,某市,")
    again = prepare(store, plan.rejected_file_name(), fixed.encode("utf-8-sig"))
    assert again.clean, again.report("en").to_dict("records")
    assert (again.counts.inserts, again.counts.rejected) == (2, 0)
    apply(store, again, "ana")
    rows = store.rows("SELECT project_id, province_code FROM projects WHERE project_id LIKE 'N%' ORDER BY 1")
    assert rows == [("N1", "42"), ("N2", "42"), ("N3", "42"), ("N4", "33")]


# Never garbled, for any text of these alphabets ------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

# Words as they are written (random letter soup is not text in any language, and a two-byte
# scrap like "éè" is as much GBK as Western): a file's cells are words like these.
WESTERN_WORDS = ["café", "Zürich", "£5m", "(WLC £m)", "€ 12", "ações", "informações", "Ærø", "São Paulo",
                 "Málaga", "déjà", "–", "“quoted”", "naïve", "Genève", "50 °C", "± 5", "budget", "loan", "2026"]
CHINESE_WORDS = ["项目编号", "指标代码", "统计期末", "实际值", "数字经济", "试点", "浙江省", "杭州市", "王喆", "朱镕基",
                 "堃", "犇淼", "，", "。", "、", "2026年3月31日", "85%", "PJ-2024-001", "S1"]
WESTERN = st.lists(st.sampled_from(WESTERN_WORDS), min_size=1, max_size=12).map(" ".join)
CHINESE = st.lists(st.sampled_from(CHINESE_WORDS), min_size=1, max_size=12).map(",".join)


@settings(max_examples=150, deadline=None)
@given(text=WESTERN, encoding=st.sampled_from(["cp1252", "utf-8", "utf-16"]))
def test_western_text_is_read_exactly_or_refused(text, encoding):
    try:
        got, _ = decode(text.encode(encoding))
    except FileProblem:
        return
    assert got.lstrip("\ufeff") == text


@settings(max_examples=150, deadline=None)
@given(text=CHINESE, encoding=st.sampled_from(["gbk", "gb18030", "utf-8-sig"]))
def test_chinese_text_is_read_exactly_or_refused(text, encoding):
    try:
        got, _ = decode(text.encode(encoding))
    except FileProblem:
        return
    assert got.lstrip("\ufeff") == text
