"""One test per class of bad input: the message says what and where, and the store is unchanged."""

import pytest

from pilotdash.errors import Problem
from pilotdash.ingest.apply import apply
from pilotdash.ingest.plan import prepare


def refused(store, checksums, text, table=None, name="upload.csv", encoding="utf-8"):
    """Prepare the file, try to apply it (clean-only), and prove nothing was written."""
    before = checksums()
    plan = prepare(store, name, text.encode(encoding) if isinstance(text, str) else text, table)
    with pytest.raises(Problem):
        apply(store, plan, "tester")
    assert checksums() == before
    return plan


def lines(plan, lang="en"):
    """The report as (row, column, value, reason) tuples."""
    return [tuple(r[:4]) for r in plan.report(lang).itertuples(index=False, name=None)]


def test_missing_required_column(store, checksums):
    plan = refused(store, checksums, "project_id,period_end,actual_value\nA,2026-06-30,1\n")
    assert plan.table == "readings"
    assert lines(plan)[0][3] == "Required column missing for Readings: indicator_code."
    assert lines(plan, "zh")[0][3] == "实际值缺少必需的列：指标代码。"


def test_unknown_column(store, checksums):
    plan = refused(store, checksums, "project_id,indicator_code,period_end,actual_value,remark\nA,P1,2026-06-30,1,x\n",
                   table="readings")
    assert lines(plan)[0][1] == "remark"
    assert "Unknown column “remark” for Readings" in lines(plan)[0][3]


def test_wrong_types(store, checksums):
    plan = refused(store, checksums,
                   "risk_id,project_id,category,probability,impact,status,identified_on\n"
                   "r9,A,policy,three,2,open,2026-02-30\n")
    assert lines(plan) == [
        (2, "probability", "three", "Not a whole number."),
        (2, "identified_on", "2026-02-30", "Not a date. Write e.g. 2026-09-30, 2026/9/30 or 2026年9月30日."),
    ]


def test_forms_analysts_type_are_accepted_and_normalised(store):
    text = ("项目编号,年度,资金来源,支出类别,计划金额,到位金额,支出金额\n"
            'A,２０２６,中央财政,硬件,"1,234.5",１００,0\n'
            "A,2026.0,local,SOFTWARE,  300 ,１,２３４.５,1\n")
    plan = prepare(store, "funds.csv", text.encode("gb18030"))
    assert plan.table == "budget_lines"
    assert plan.counts.rejected == 1  # row 3: an unquoted thousands comma splits the cell
    assert lines(plan)[0][0] == 3
    row = plan.preview("insert", "en").iloc[0]
    assert (row["fiscal_year"], row["source"], row["category"], row["allocated"], row["disbursed"]) == (
        2026, "central", "hardware", 1234.5, 100.0)

    dates = "project_id,indicator_code,period_end,actual_value\nA,P1,2026/9/30,85%\nB,P1,2026年3月31日,７０.５\n"
    plan = prepare(store, "r.csv", dates.encode())
    got = plan.preview("insert", "en")[["period_end", "actual_value"]].astype(str).values.tolist()
    assert got == [["2026-03-31", "70.5"]]
    assert plan.counts.updates == 1  # A/P1/2026-09-30 exists with 99 → 85
    assert plan.updates("en").iloc[0][["Before", "After"]].tolist() == ["99.0", "85.0"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("project_id,fiscal_year,source,category,allocated\nA,2026,central,software,-5\n",
         (2, "allocated", "-5.0", "Must not be below 0.")),
        ("risk_id,project_id,category,probability,impact,status\nr9,A,policy,6,2,open\n",
         (2, "probability", "6", "Must be between 1–5.")),
        ("project_id,indicator_code,period_end,actual_value\nA,I1,2026-06-30,120\n",
         (2, "actual_value", "120.0", "A percentage indicator must be within 0–100.")),
        ("project_id,fiscal_year,source,category\nA,2026,state,software\n",
         (2, "source", "state", "Unknown value. Allowed: central, local, social (or their Chinese words).")),
    ],
    ids=["negative_amount", "probability", "percentage", "enum"],
)
def test_values_outside_their_domain(store, checksums, text, expected):
    plan = refused(store, checksums, text)
    assert lines(plan) == [expected]


def test_a_count_indicator_may_exceed_100(store):
    plan = prepare(store, "r.csv", b"project_id,indicator_code,period_end,actual_value\nA,I3,2026-12-31,120\n")
    assert plan.clean


def test_unknown_references(store, checksums):
    plan = refused(store, checksums,
                   "indicator_code,target_value,project_id,province_code\nZZ,1,A,11\nP1,1,Q,11\nP1,1,,99\nP1,1,,浙江\n")
    assert lines(plan) == [
        (2, "indicator_code", "ZZ", "No such indicator, in the store or in this file."),
        (3, "project_id", "Q", "No such project, in the store or in this file."),
        (4, "province_code", "99", "No such province code (GB/T 2260, e.g. 33 or 浙江)."),
    ]
    assert plan.counts.inserts == 1  # 浙江 is read as province 33


def test_project_file_may_reference_its_own_rows_only_through_the_store(store):
    text = ("project_id,name_zh,domain,pilot_type,province_code,status\n"
            "E,新项目,education,basic,33,active\n")
    plan = prepare(store, "p.csv", text.encode())
    assert plan.clean and plan.counts.inserts == 1


def test_duplicate_keys(store, checksums):
    plan = refused(store, checksums,
                   "project_id,indicator_code,period_end,actual_value\nA,P1,2026-12-31,71\nB,P1,2026-12-31,71\nA,P1,2026/12/31,72\n")
    assert lines(plan) == [
        (2, "project_id, indicator_code, period_end", None, "The same key appears in several rows of the file: rows 2, 4."),
        (4, "project_id, indicator_code, period_end", None, "The same key appears in several rows of the file: rows 2, 4."),
    ]


def test_duplicate_targets_scope_counts_empty_as_any(store, checksums):
    plan = refused(store, checksums, "indicator_code,target_value,belt\nP1,80,\nP1,85,\n")
    assert plan.counts.rejected == 2


def test_budget_warnings_do_not_reject(store):
    plan = prepare(store, "b.csv", b"project_id,fiscal_year,source,category,allocated,disbursed,spent\n"
                                   b"A,2026,local,software,100,120,130\n")
    assert plan.clean and plan.counts.warnings == 1
    reasons = [r[3] for r in lines(plan)]
    assert reasons == ["Spent is more than disbursed (120.0): an overspend.",
                       "Disbursed is more than allocated (100.0)."]


def test_new_row_needs_required_columns(store, checksums):
    plan = refused(store, checksums, "milestone_id,done_date\nm3,2026-07-01\nm99,2026-07-01\n")
    assert plan.table == "milestones"
    assert plan.counts.updates == 1
    assert (3, "project_id") == lines(plan)[0][:2]
    assert "adds a new record" in lines(plan)[0][3]


def test_end_before_start(store, checksums):
    plan = refused(store, checksums, "project_id,phase,planned_start,planned_end\nA,launch,2024-01-01,2023-12-31\n")
    assert lines(plan) == [(2, "planned_end", "2023-12-31", "The end date is before the start date (planned_start).")]


def test_file_too_large(store, checksums, monkeypatch):
    monkeypatch.setenv("PILOTDASH_MAX_UPLOAD_MB", "0.001")
    plan = refused(store, checksums, "x" * 2000)
    assert lines(plan)[0][3].startswith("The file is 0.0 MB; the limit is 0 MB.")


def test_not_text(store, checksums):
    plan = refused(store, checksums, b"\x81\x30\xff\xfe\x00\x00abc")
    assert plan.file_issues[0].code in ("bad_encoding", "binary_file")


def test_ambiguous_table_asks(store, checksums):
    plan = refused(store, checksums, "indicator_code\nP1\n")
    assert plan.table is None and plan.candidates == ["indicators", "targets"]
    assert prepare(store, "targets_2026.csv", b"indicator_code\nP1\n").table == "targets"
    assert "Choose the table" in lines(plan)[0][3]
