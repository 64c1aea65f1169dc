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

from ..domain import ENUMS, LATER_MEASURES, TABLES


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
    # SQL a row must meet before `condition` is looked at: a cheap filter ahead of a costly
    # correlated condition, so DuckDB evaluates it for the few candidate rows rather than all
    # (a 1M-row readings upload spent 35 s in looks_like_fraction's median otherwise).
    only: str = "true"


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

# A reading of a %-unit indicator at most 1.5 where the pilot's other readings of it have a
# median above 5 looks like a fraction (fixed SQL over `_merged`, no input).
# A stored city's or county's code and name (the reference table's, fixed SQL) for a message.
_PLACE = ("(SELECT p.{column} || ' ' || p.label_zh FROM {table} p WHERE p.{column} = _merged.{column})")
_LOOKS_LIKE_FRACTION = (
    "NOT (actual_value <= 1.5"
    " AND (SELECT i.unit FROM indicators i WHERE i.indicator_code = _merged.indicator_code) = '%'"
    " AND (SELECT median(r.actual_value) FROM readings r WHERE r.project_id = _merged.project_id"
    " AND r.indicator_code = _merged.indicator_code AND r.period_end <> _merged.period_end) > 5)")
# Assessment 考核评价 (shared/domain.md "Assessment and grading"). A scheme's shape is a property
# of the whole tree, so its rules read the tree as it would be stored: the file's rows over the
# stored ones of the same scheme (`_SCHEME_TREE`, fixed SQL, no input).
_SCHEME_TREE = (
    "(SELECT scheme, item_code, parent_code, marks FROM _merged UNION ALL "
    "SELECT e.scheme, e.item_code, e.parent_code, e.marks FROM eval_items e WHERE NOT EXISTS "
    "(SELECT 1 FROM _merged x WHERE x.scheme = e.scheme AND x.item_code = e.item_code))"
)
_HAS_CHILD = f"EXISTS (SELECT 1 FROM {_SCHEME_TREE} c WHERE c.scheme = _merged.scheme AND c.parent_code = _merged.item_code)"
# The marks of the leaves below an item (children, or grandchildren through a parent row).
_LEAVES_BELOW = (
    f"(SELECT sum(l.marks) FROM {_SCHEME_TREE} l WHERE l.scheme = _merged.scheme AND NOT EXISTS "
    f"(SELECT 1 FROM {_SCHEME_TREE} k WHERE k.scheme = l.scheme AND k.parent_code = l.item_code) AND "
    f"(l.parent_code = _merged.item_code OR (SELECT m.parent_code FROM {_SCHEME_TREE} m WHERE m.scheme = l.scheme "
    f"AND m.item_code = l.parent_code LIMIT 1) = _merged.item_code))"
)
_LEAVES_OF_SCHEME = (
    f"(SELECT sum(l.marks) FROM {_SCHEME_TREE} l WHERE l.scheme = _merged.scheme AND NOT EXISTS "
    f"(SELECT 1 FROM {_SCHEME_TREE} k WHERE k.scheme = l.scheme AND k.parent_code = l.item_code))"
)
_GRANDPARENT_PARENT = (
    f"(SELECT g.parent_code FROM {_SCHEME_TREE} p JOIN {_SCHEME_TREE} g ON g.scheme = p.scheme "
    f"AND g.item_code = p.parent_code WHERE p.scheme = _merged.scheme AND p.item_code = _merged.parent_code LIMIT 1)"
)
_CODES = "({})".format(", ".join(f"'{c}'" for c in ENUMS["eval_measure"]))
_LATER = "({})".format(", ".join(f"'{c}'" for c in LATER_MEASURES))
_RESPONDENTS = "({})".format(", ".join(f"'{c}'" for c in ENUMS["respondent"]))
_ROUND_ITEM = ("(SELECT {} FROM eval_rounds r JOIN eval_items i ON i.scheme = r.scheme "
               "WHERE r.round_id = _merged.round_id AND i.item_code = _merged.item_code LIMIT 1)")

_ASSESSMENT = (
    Contract(
        "eval_items",
        "考核指标",
        (
            _c("scheme", "方案", key=True, required=True, example="2026"),
            _c("item_code", "指标编号", key=True, required=True, example="A1"),
            _c("parent_code", "上级编号", example="A"),
            _c("name_zh", "名称", required=True, example="资金到位率"),
            _c("name_en", "英文名称", example="Fund arrival rate"),
            _c("marks", "分值", "number", min=0, example="100"),
            _c("method", "计分方法", "enum", enum="eval_method", example="measure"),
            _c("method_arg", "计分依据", example="arrival_rate"),
            _c("veto", "一票否决", "enum", enum="yes_no", example="false"),
        ),
        rules=(
            Rule("unknown_parent", f"parent_code IS NULL OR EXISTS (SELECT 1 FROM {_SCHEME_TREE} t "
                 "WHERE t.scheme = _merged.scheme AND t.item_code = _merged.parent_code)", ("parent_code",)),
            Rule("scheme_too_deep", f"parent_code IS NULL OR {_GRANDPARENT_PARENT} IS NULL", ("parent_code",)),
            Rule("leaf_needs_method", f"{_HAS_CHILD} OR (method IS NOT NULL AND marks IS NOT NULL)", ("method", "marks")),
            Rule("parent_has_method", f"NOT {_HAS_CHILD} OR method IS NULL", ("method",)),
            Rule("parent_marks_mismatch", f"NOT {_HAS_CHILD} OR marks IS NULL OR round(marks - {_LEAVES_BELOW}, 6) = 0",
                 ("marks",)),
            Rule("scheme_marks_not_100", f"round(coalesce({_LEAVES_OF_SCHEME}, 0) - 100, 6) = 0", ("marks",)),
            Rule("unknown_indicator_arg", "method IS DISTINCT FROM 'indicator' OR method_arg IN "
                 "(SELECT indicator_code FROM indicators)", ("method_arg",)),
            Rule("unknown_measure_arg", f"method IS DISTINCT FROM 'measure' OR method_arg IN {_CODES}", ("method_arg",)),
            # Named by the scheme before its macro exists (the task work brings it): refused, and
            # accepted as soon as the store has the macro, without a change here.
            Rule("measure_not_available", f"method IS DISTINCT FROM 'measure' OR method_arg NOT IN {_LATER} OR "
                 "method_arg IN (SELECT function_name FROM duckdb_functions() WHERE function_type = 'macro')",
                 ("method_arg",)),
            Rule("unknown_respondent_arg", f"method IS DISTINCT FROM 'survey' OR method_arg IN {_RESPONDENTS}",
                 ("method_arg",)),
        ),
        example2={"item_code": "A", "parent_code": "", "name_zh": "决策", "name_en": "Decision", "marks": "",
                  "method": "", "method_arg": "", "veto": ""},
    ),
    Contract(
        "eval_rounds",
        "考核批次",
        (
            _c("round_id", "批次编号", key=True, required=True, example="2026Q2"),
            _c("name", "名称", required=True, example="2026年第二季度考核"),
            _c("kind", "类型", "enum", enum="round_kind", required=True, example="quarterly"),
            _c("period_start", "考核期开始", "date", required=True, example="2026-04-01"),
            _c("period_end", "考核期结束", "date", required=True, example="2026-06-30"),
            _c("scheme", "方案", required=True, example="2026"),
        ),
        rules=(
            Rule("end_before_start", "period_end >= period_start", ("period_end", "period_start")),
            Rule("unknown_scheme", "scheme IN (SELECT scheme FROM eval_items)", ("scheme",)),
        ),
        example2={"round_id": "2026A", "name": "2026年度总评", "kind": "annual", "period_start": "2026-01-01",
                  "period_end": "2026-12-31"},
    ),
    Contract(
        "eval_scores",
        "考核评分",
        (
            _c("round_id", "批次编号", key=True, required=True, example="2026Q2"),
            _c("project_id", "项目编号", key=True, **PROJECT_ID),
            _c("evaluator", "评价主体", "enum", enum="evaluator", key=True, required=True, example="self"),
            _c("item_code", "指标编号", key=True, required=True, example="A2"),
            _c("score", "得分", "number", required=True, min=0, example="4.5"),
            _c("evaluator_org", "评价机构", example="杭州市数据资源管理局"),
            _c("evidence", "佐证材料", example="领导小组会议纪要"),
        ),
        rules=(
            Rule("unknown_round", "round_id IN (SELECT round_id FROM eval_rounds)", ("round_id",)),
            Rule("not_a_manual_item", f"round_id NOT IN (SELECT round_id FROM eval_rounds) OR "
                 f"{_ROUND_ITEM.format('i.method')} = 'manual'", ("item_code",)),
            Rule("score_over_marks", f"score <= {_ROUND_ITEM.format('i.marks')}", ("score",)),
            Rule("org_required", "evaluator <> 'third_party' OR evaluator_org IS NOT NULL", ("evaluator_org",)),
        ),
        example2={"item_code": "A3", "score": "3"},
    ),
    Contract(
        "surveys",
        "满意度调查",
        (
            _c("project_id", "项目编号", key=True, **PROJECT_ID),
            _c("period_end", "统计期末", "date", key=True, required=True, example="2026-06-30"),
            _c("respondent", "调查对象", "enum", enum="respondent", key=True, required=True, example="public"),
            _c("sample_size", "样本量", "int", required=True, min=0, example="200"),
            _c("satisfied", "满意数", "int", required=True, min=0, example="184"),
        ),
        rules=(Rule("satisfied_over_sample", "satisfied <= sample_size", ("satisfied", "sample_size")),),
        example2={"respondent": "enterprise", "sample_size": "50", "satisfied": "43"},
    ),
)


# Tasks: the tree after the upload is the file's rows over the stored ones (a file may bring a
# whole tree, parents and children together). Walking up from a row: a1 is the row, a2 its parent,
# a3 its grandparent; a cycle returns to the row within three steps, a fourth level has a3's
# parent; walking down, c1 and c2 are its children and grandchildren: a stored node moved to
# another parent moves its subtree, which must still fit in three levels (a new node's children
# in the file are judged on their own rows).
_TASK_TREE = ("(SELECT task_id, project_id, parent_id FROM _merged m2 UNION ALL SELECT task_id, project_id, parent_id "
              "FROM tasks WHERE task_id NOT IN (SELECT task_id FROM _merged))")
_TASK_UP = (f"(SELECT {{}} FROM {_TASK_TREE} a1 LEFT JOIN {_TASK_TREE} a2 ON a2.task_id = a1.parent_id "
            f"LEFT JOIN {_TASK_TREE} a3 ON a3.task_id = a2.parent_id WHERE a1.task_id = _merged.task_id)")
_TASK_CYCLE = _TASK_UP.format("bool_or(a1.parent_id = a1.task_id OR a2.parent_id = a1.task_id OR a3.parent_id = a1.task_id)")
_TASK_LEVEL = _TASK_UP.format("max(1 + (a1.parent_id IS NOT NULL)::INT + (a2.parent_id IS NOT NULL)::INT "
                              "+ (a3.parent_id IS NOT NULL)::INT)")
_TASK_BELOW = (f"(SELECT coalesce(max(CASE WHEN c2.task_id IS NOT NULL THEN 2 ELSE 1 END), 0) FROM {_TASK_TREE} c1 "
               f"LEFT JOIN {_TASK_TREE} c2 ON c2.parent_id = c1.task_id "
               f"WHERE c1.parent_id = _merged.task_id AND c1.task_id <> _merged.task_id)")
_TASK_RULES = (
    Rule("end_before_start", "due_date >= start_date", ("due_date", "start_date")),
    Rule("weight_not_positive", "weight > 0", ("weight",)),
    Rule("parent_unknown", f"parent_id IS NULL OR parent_id IN (SELECT task_id FROM {_TASK_TREE} t)", ("parent_id",)),
    Rule("parent_other_pilot", f"parent_id IS NULL OR NOT EXISTS (SELECT 1 FROM {_TASK_TREE} t "
         "WHERE t.task_id = _merged.parent_id AND t.project_id <> _merged.project_id)", ("parent_id",)),
    Rule("task_cycle", f"parent_id IS NULL OR NOT coalesce({_TASK_CYCLE}, false)", ("parent_id",)),
    Rule("task_too_deep", f"coalesce({_TASK_CYCLE}, false) OR {_TASK_LEVEL} + CASE WHEN _hit AND parent_id IS DISTINCT FROM "
         f"parent_id__old THEN {_TASK_BELOW} ELSE 0 END <= 3", ("parent_id",)),
)
_ISSUE_RULES = (
    Rule("task_not_of_pilot", "task_id IS NULL OR EXISTS (SELECT 1 FROM tasks t WHERE t.task_id = _merged.task_id "
         "AND t.project_id = _merged.project_id)", ("task_id",)),
    Rule("end_before_start", "due_date >= raised_on", ("due_date", "raised_on")),
    Rule("end_before_start", "resolved_on >= raised_on", ("resolved_on", "raised_on")),
    Rule("verified_before_resolved", "verified_on IS NULL OR coalesce(verified_on >= resolved_on, false)", ("verified_on", "resolved_on")),
    Rule("verified_by_missing", "verified_on IS NULL OR verified_by IS NOT NULL", ("verified_by",)),
)
_REVIEW_RULES = (
    Rule("unknown_risk", "risk_id IN (SELECT risk_id FROM risks)", ("risk_id",)),
    Rule("review_before_identified", "reviewed_on >= (SELECT r.identified_on FROM risks r WHERE r.risk_id = _merged.risk_id)",
         ("reviewed_on",)),
)
# A stored risk's score and status are what it was when identified: its first review. Changing them
# by a risk upload would rewrite that history; later states come as risk reviews (risk_reviews).
_RISK_RULES = (
    Rule("risk_history_fixed", "NOT _hit OR (probability = probability__old AND impact = impact__old "
         "AND status = status__old AND identified_on IS NOT DISTINCT FROM identified_on__old)", ("status",)),
)

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
                # optional: the day the current status began; before it the pilot counts as active
                _c("status_date", "状态日期", "date", example=""),
                _c("city_code", "城市代码", ref="cities", example="3301"),
                _c("county_code", "区县代码", ref="counties", example="330106"),
            ),
            rules=(Rule("end_before_start", "end_date >= start_date", ("end_date", "start_date")),
                   Rule("status_before_start", "status_date >= start_date", ("status_date", "start_date")),
                   # The pilot as it would be stored: a new province with the stored city and county
                   # (a file giving the province alone). Else a prefecture office could move its
                   # pilot to any province, out of its provincial office's sight, keeping the city
                   # that makes it its own. Checked after the scope, so another office's pilot's
                   # place is never named.
                   Rule("city_outside_province", "city_code IS NULL OR left(city_code, 2) = province_code",
                        ("city_code", "province_code"), arg=_PLACE.format(table="cities", column="city_code")),
                   Rule("county_outside_province", "county_code IS NULL OR left(county_code, 2) = province_code",
                        ("county_code", "province_code"), arg=_PLACE.format(table="counties", column="county_code"))),
            warnings=(Rule("batch_after_end", "batch_year <= year(end_date)", ("batch_year", "end_date")),
                      Rule("status_date_active", "status <> 'active' OR status_date IS NULL", ("status_date", "status"))),
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
            # a percentage typed or formatted as a fraction (0.935 for 93.5%): the pilot's other
            # readings of the indicator say which it is; the message offers the ×100 value
            warnings=(Rule("looks_like_fraction", _LOOKS_LIKE_FRACTION, ("actual_value", "indicator_code"),
                           arg="regexp_replace(CAST(round(actual_value * 100, 6) AS VARCHAR), '\\.0$', '')",
                           only="actual_value <= 1.5"),),
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
            rules=_RISK_RULES,
            example2={"risk_id": "RK-002", "category": "management", "description": "跨部门协调不畅", "probability": "2", "impact": "3", "status": "mitigated"},
        ),
        *_ASSESSMENT,
        Contract(
            "risk_reviews",
            "风险复盘",
            (
                _c("risk_id", "风险编号", key=True, required=True, example="RK-001"),
                _c("reviewed_on", "复盘日期", "date", key=True, required=True, example="2026-04-15"),
                _c("probability", "可能性", "int", required=True, min=1, max=5, example="2"),
                _c("impact", "影响程度", "int", required=True, min=1, max=5, example="4"),
                _c("status", "状态", "enum", enum="risk_status", required=True, example="open"),
                _c("strategy", "应对策略", "enum", enum="risk_strategy", example="mitigate"),
                _c("note", "说明", example="接口标准已发布，仍有两个部门未对接"),
            ),
            rules=_REVIEW_RULES,
            example2={"reviewed_on": "2026-07-15", "probability": "1", "status": "mitigated"},
        ),
        Contract(
            "tasks",
            "任务",
            (
                _c("task_id", "任务编号", key=True, required=True, example="TK-001"),
                _c("project_id", "项目编号", **PROJECT_ID),
                _c("parent_id", "上级任务", example=""),
                _c("name", "名称", required=True, example="数据共享平台建设"),
                _c("owner", "责任人", example="王芳"),
                _c("start_date", "开始日期", "date", example="2026-01-01"),
                _c("due_date", "计划完成日期", "date", required=True, example="2026-12-31"),
                _c("done_date", "实际完成日期", "date", example=""),
                _c("weight", "权重", "number", required=True, default=1, example="1"),
                _c("progress", "进度", "number", min=0, max=100, pct=True, example="40"),
                _c("deliverable", "交付标准", example="平台上线并接入十个部门"),
            ),
            rules=_TASK_RULES,
            example2={"task_id": "TK-002", "parent_id": "TK-001", "name": "完成接口标准", "weight": "2",
                      "due_date": "2026-06-30", "progress": "80", "deliverable": "标准文本印发"},
        ),
        Contract(
            "issues",
            "问题",
            (
                _c("issue_id", "问题编号", key=True, required=True, example="IS-001"),
                _c("project_id", "项目编号", **PROJECT_ID),
                _c("task_id", "任务编号", example="TK-002"),
                _c("source", "来源", "enum", enum="issue_source", required=True, example="inspection"),
                _c("description", "描述", required=True, example="部门数据接口未按期开放"),
                _c("raised_on", "提出日期", "date", required=True, example="2026-05-10"),
                _c("owner", "责任人", example="李强"),
                _c("due_date", "整改期限", "date", example="2026-07-31"),
                _c("resolved_on", "整改完成日期", "date", example=""),
                _c("verified_on", "销号日期", "date", example=""),
                _c("verified_by", "销号人", example=""),
            ),
            rules=_ISSUE_RULES,
            example2={"issue_id": "IS-002", "task_id": "", "source": "meeting", "description": "培训覆盖不足",
                      "resolved_on": "2026-06-20", "verified_on": "2026-06-30", "verified_by": "赵敏"},
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
