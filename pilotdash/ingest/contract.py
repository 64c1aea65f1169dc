"""The data contract: for each upload table, its columns, headers, types, key, rules.

The single source for templates, header recognition and validation. The headers (English
snake_case and the Chinese name from shared/domain.md) are a public interface that analysts keep
in their files for years, so they live here as constants and not in the translation table,
where rewording a label would silently break old files.

Column kinds: text, int, number, date, enum (codes of `domain.ENUMS[enum]`). `key` columns form
the natural key; `required` columns must have a value in every stored row (empty key scope
columns of targets mean "any"). `ref` names what a value must exist in: projects, indicators or
provinces; cities and counties take a code or a name, matched within the row's province
(`pilotdash.places.resolve`, in validate's `_resolve_places`). `pct` numbers may be written with a trailing `%`.
Row rules are SQL conditions over one merged row (the file's values over the stored row's), fixed
constants of this module, never user input; a row failing a rule is rejected (or, for warnings,
reported only).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..domain import TABLES


@dataclass(frozen=True)
class Column:
    name: str
    zh: str
    kind: str = "text"
    enum: str | None = None
    key: bool = False
    required: bool = False
    default: object = None
    min: float | None = None
    max: float | None = None
    ref: str | None = None
    pct: bool = False
    example: str = ""

    @property
    def sql_type(self) -> str:
        return {"text": "VARCHAR", "enum": "VARCHAR", "int": "INTEGER", "number": "DOUBLE", "date": "DATE"}[self.kind]


@dataclass(frozen=True)
class Rule:
    code: str  # translation key suffix: ingest.err.<code> or ingest.warn.<code>
    condition: str  # SQL over the merged row; the row passes when it is true or NULL
    columns: tuple[str, ...]  # the columns the message points at (first is shown)
    arg: str = ""  # SQL for the message's {arg} (a warning's default: the second column's value)


@dataclass(frozen=True)
class Contract:
    table: str
    zh: str
    columns: tuple[Column, ...]
    rules: tuple[Rule, ...] = ()
    warnings: tuple[Rule, ...] = ()
    # A second example row, so the example file shows two rows of the same project.
    example2: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.key)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def nullable_key(self) -> bool:
        """Whether a key column may be empty (targets' scope), so keys match with IS NOT DISTINCT FROM."""
        return any(c.key and not c.required for c in self.columns)


def _c(name: str, zh: str, kind: str = "text", **kw: object) -> Column:
    return Column(name, zh, kind, **kw)  # type: ignore[arg-type]


# Years: any from the People's Republic's founding on (programmes and loans go back to the 1980s);
# values implausible for the row (a fiscal year outside the project's years) are warnings.
YEAR_MIN, YEAR_MAX = 1949, 2100
# The stored project's start or end year, for a row rule over `_merged` (fixed SQL, no input).
_PROJECT_YEAR = "SELECT year(p.{}_date) FROM projects p WHERE p.project_id = _merged.project_id"

PROJECT_ID = dict(ref="projects", required=True, example="PJ-2024-001")

CONTRACTS: dict[str, Contract] = {
    c.table: c
    for c in (
        Contract(
            "indicators",
            "指标",
            (
                _c("indicator_code", "指标代码", key=True, required=True, example="S1"),
                _c("name_zh", "指标名称", required=True, example="“一网通办”覆盖率"),
                _c("name_en", "英文名称", example="One-stop online service coverage"),
                _c("category", "类别", "enum", enum="indicator_category", required=True, example="public_services"),
                _c("unit", "单位", required=True, example="%"),
                _c("direction", "方向", "enum", enum="direction", required=True, example="higher"),
                _c("national_target", "全国目标值", "number", min=0, pct=True, example="100"),
            ),
            rules=(Rule("pct_out_of_range", "unit <> '%' OR national_target BETWEEN 0 AND 100", ("national_target",)),),
        ),
        Contract(
            "projects",
            "项目",
            (
                _c("project_id", "项目编号", key=True, required=True, example="PJ-2024-001"),
                _c("name_zh", "项目名称", required=True, example="杭州市数字政务试点"),
                _c("name_en", "英文名称", example="Hangzhou digital government pilot"),
                _c("domain", "领域", "enum", enum="domain", required=True, example="government_services"),
                _c("pilot_type", "试点类型", "enum", enum="pilot_type", required=True, example="demonstration"),
                _c("province_code", "省份代码", ref="provinces", required=True, example="33"),
                _c("city", "城市", example="杭州"),
                _c("lead_unit", "牵头单位", example="杭州市数据资源管理局"),
                _c("batch_year", "批次", "int", min=YEAR_MIN, max=YEAR_MAX, example="2024"),
                _c("start_date", "开始日期", "date", example="2024-03-01"),
                _c("end_date", "计划结束日期", "date", example="2028-12-31"),
                _c("status", "状态", "enum", enum="project_status", required=True, example="active"),
                _c("city_code", "城市代码", ref="cities", example="3301"),
                _c("county_code", "区县代码", ref="counties", example="330106"),
            ),
            rules=(Rule("end_before_start", "end_date >= start_date", ("end_date", "start_date")),),
            warnings=(Rule("batch_after_end", "batch_year <= year(end_date)", ("batch_year", "end_date")),),
        ),
        Contract(
            "phases",
            "阶段",
            (
                _c("project_id", "项目编号", key=True, **PROJECT_ID),
                _c("phase", "阶段", "enum", enum="phase", key=True, required=True, example="launch"),
                _c("planned_start", "计划开始", "date", example="2024-03-01"),
                _c("planned_end", "计划结束", "date", example="2025-12-31"),
                _c("actual_start", "实际开始", "date", example="2024-03-15"),
                _c("actual_end", "实际结束", "date", example=""),
            ),
            rules=(
                Rule("end_before_start", "planned_end >= planned_start", ("planned_end", "planned_start")),
                Rule("end_before_start", "actual_end >= actual_start", ("actual_end", "actual_start")),
            ),
            example2={"phase": "deepening", "planned_start": "2026-01-01", "planned_end": "2027-06-30", "actual_start": ""},
        ),
        Contract(
            "milestones",
            "里程碑",
            (
                _c("milestone_id", "里程碑编号", key=True, required=True, example="MS-001"),
                _c("project_id", "项目编号", **PROJECT_ID),
                _c("phase", "阶段", "enum", enum="phase", example="launch"),
                _c("name", "名称", required=True, example="工作机制建立"),
                _c("kind", "类型", "enum", enum="milestone_kind", required=True, example="organisation"),
                _c("due_date", "计划完成日期", "date", required=True, example="2024-06-30"),
                _c("done_date", "实际完成日期", "date", example="2024-06-20"),
            ),
            example2={"milestone_id": "MS-002", "name": "平台上线", "kind": "progress", "due_date": "2025-06-30", "done_date": ""},
        ),
        Contract(
            "targets",
            "目标值",
            (
                _c("indicator_code", "指标代码", key=True, required=True, ref="indicators", example="S1"),
                _c("target_value", "目标值", "number", required=True, min=0, pct=True, example="95"),
                _c("project_id", "项目编号", key=True, ref="projects", example=""),
                _c("province_code", "省份代码", key=True, ref="provinces", example="33"),
                _c("belt", "地带", "enum", enum="belt", key=True, example=""),
                _c("phase", "阶段", "enum", enum="phase", key=True, example="deepening"),
            ),
            example2={"target_value": "100", "phase": ""},
        ),
        Contract(
            "readings",
            "实际值",
            (
                _c("project_id", "项目编号", key=True, **PROJECT_ID),
                _c("indicator_code", "指标代码", key=True, required=True, ref="indicators", example="S1"),
                _c("period_end", "统计期末", "date", key=True, required=True, example="2026-03-31"),
                _c("actual_value", "实际值", "number", required=True, min=0, pct=True, example="87.5"),
            ),
            example2={"period_end": "2026-06-30", "actual_value": "91.2"},
        ),
        Contract(
            "budget_lines",
            "资金",
            (
                _c("project_id", "项目编号", key=True, **PROJECT_ID),
                _c("fiscal_year", "年度", "int", key=True, required=True, min=YEAR_MIN, max=YEAR_MAX, example="2026"),
                _c("source", "资金来源", "enum", enum="source", key=True, required=True, example="central"),
                _c("category", "支出类别", "enum", enum="budget_category", key=True, required=True, example="software"),
                _c("allocated", "计划金额", "number", required=True, default=0, min=0, example="500"),
                _c("disbursed", "到位金额", "number", required=True, default=0, min=0, example="400"),
                _c("spent", "支出金额", "number", required=True, default=0, min=0, example="320.5"),
            ),
            warnings=(
                Rule("fiscal_year_outside_project", f"fiscal_year BETWEEN coalesce(({_PROJECT_YEAR.format('start')}), fiscal_year) "
                     f"AND coalesce(({_PROJECT_YEAR.format('end')}), fiscal_year)", ("fiscal_year",),
                     arg=f"concat_ws('–', ({_PROJECT_YEAR.format('start')}), ({_PROJECT_YEAR.format('end')}))"),
                Rule("spent_over_disbursed", "spent <= disbursed", ("spent", "disbursed")),
                Rule("disbursed_over_allocated", "disbursed <= allocated", ("disbursed", "allocated")),
            ),
            example2={"source": "local", "allocated": "500", "disbursed": "250", "spent": "100"},
        ),
        Contract(
            "risks",
            "风险",
            (
                _c("risk_id", "风险编号", key=True, required=True, example="RK-001"),
                _c("project_id", "项目编号", **PROJECT_ID),
                _c("category", "风险类别", "enum", enum="risk_category", required=True, example="technical"),
                _c("description", "描述", example="数据接口标准不统一"),
                _c("probability", "可能性", "int", required=True, min=1, max=5, example="3"),
                _c("impact", "影响程度", "int", required=True, min=1, max=5, example="4"),
                _c("status", "状态", "enum", enum="risk_status", required=True, example="open"),
                _c("owner", "责任人", example="张伟"),
                _c("identified_on", "识别日期", "date", example="2026-01-15"),
            ),
            example2={"risk_id": "RK-002", "category": "management", "description": "跨部门协调不畅", "probability": "2", "impact": "3", "status": "mitigated"},
        ),
        Contract(
            "cases",
            "案例",
            (
                _c("case_id", "案例编号", key=True, required=True, example="CS-001"),
                _c("project_id", "项目编号", **PROJECT_ID),
                _c("title", "标题", required=True, example="“一网通办”跨部门协同机制"),
                _c("kind", "类型", "enum", enum="case_kind", required=True, example="mechanism"),
                _c("maturity", "成熟度", "enum", enum="case_maturity", required=True, example="recommended"),
                _c("recommended_on", "推荐日期", "date", example="2026-03-31"),
                _c("standard_level", "标准层级", "enum", enum="standard_level", example="local"),
            ),
            rules=(Rule("recommended_on_required", "maturity NOT IN ('recommended', 'adopted') OR recommended_on IS NOT NULL",
                        ("recommended_on", "maturity")),),
            example2={"case_id": "CS-002", "title": "政务数据共享交换技术规范", "kind": "standard", "maturity": "draft",
                      "recommended_on": "", "standard_level": "none"},
        ),
        Contract(
            "adoptions",
            "推广应用",
            (
                _c("case_id", "案例编号", key=True, required=True, ref="cases", example="CS-001"),
                _c("province_code", "省份代码", key=True, required=True, ref="provinces", example="32"),
                _c("city_code", "城市代码", key=True, ref="cities", example="3205"),
                _c("adopted_on", "推广日期", "date", required=True, example="2026-06-30"),
                _c("note", "说明", example="在苏州市政务服务中推广应用"),
            ),
            example2={"province_code": "51", "city_code": "", "adopted_on": "2026-09-15", "note": "全省推广"},
        ),
    )
}

assert tuple(sorted(CONTRACTS)) == tuple(sorted(TABLES)), "every upload table needs a contract"


def contract(table: str) -> Contract:
    if table not in CONTRACTS:
        raise KeyError(table)
    return CONTRACTS[table]
