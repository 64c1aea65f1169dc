"""Deterministic demo data: a plausible national pilot programme, written as data-contract CSVs.

`generate(out_dir, scale, seed)` writes the eight upload tables (`<table>.csv`, UTF-8, English
headers = the store's column names) that `store.build()` loads. Everything is drawn from one
`random.Random(seed)` in a fixed order and dated relative to `DATA_DATE`, never today, so the
same arguments always give byte-identical files and the committed `data/demo` can be checked
against the generator.

The data is shaped for the dashboard's questions rather than uniform noise: each project gets a
hidden *tier* (good / fair / poor, east better than west) and, for the weaker tiers, the flags
that make the health measure amber or red (an overdue milestone, indicators behind, low
execution, an open orange or red risk). Indicator readings are calibrated against the target
that the store will apply on `DATA_DATE`, computed here with the same precedence as
`measures.sql`, so the met / near / behind mix is the one intended.

Rows are written as they are made, one project at a time, so `scale=100` (16,000 projects,
over three million readings) needs little memory.
"""

from __future__ import annotations

import csv
import math
from bisect import bisect_left, bisect_right
import random
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from . import places
from .domain import ENUMS, TABLES

DATA_DATE = date(2026, 9, 30)
PROJECTS_PER_SCALE = 160

COLUMNS: dict[str, tuple[str, ...]] = {
    "indicators": ("indicator_code", "name_zh", "name_en", "category", "unit", "direction", "national_target"),
    "projects": (
        "project_id", "name_zh", "name_en", "domain", "pilot_type", "province_code", "city",
        "lead_unit", "batch_year", "start_date", "end_date", "status", "status_date",
    ),
    "phases": ("project_id", "phase", "planned_start", "planned_end", "actual_start", "actual_end"),
    "milestones": ("milestone_id", "project_id", "phase", "name", "kind", "due_date", "done_date"),
    "targets": ("indicator_code", "target_value", "project_id", "province_code", "belt", "phase"),
    "readings": ("project_id", "indicator_code", "period_end", "actual_value"),
    "budget_lines": ("project_id", "fiscal_year", "source", "category", "allocated", "disbursed", "spent"),
    "risks": (
        "risk_id", "project_id", "category", "description", "probability", "impact", "status",
        "owner", "identified_on",
    ),
    "eval_items": ("scheme", "item_code", "parent_code", "name_zh", "name_en", "marks", "method", "method_arg", "veto"),
    "eval_rounds": ("round_id", "name", "kind", "period_start", "period_end", "scheme"),
    "eval_scores": ("round_id", "project_id", "evaluator", "item_code", "score", "evaluator_org", "evidence"),
    "surveys": ("project_id", "period_end", "respondent", "sample_size", "satisfied"),
    "risk_reviews": ("risk_id", "reviewed_on", "probability", "impact", "status", "strategy", "note"),
    "tasks": (
        "task_id", "project_id", "parent_id", "name", "owner", "start_date", "due_date", "done_date", "weight",
        "progress", "deliverable",
    ),
    "issues": (
        "issue_id", "project_id", "task_id", "source", "description", "raised_on", "owner", "due_date",
        "resolved_on", "verified_on", "verified_by",
    ),
    "cases": ("case_id", "project_id", "title", "kind", "maturity", "recommended_on", "standard_level"),
    "adoptions": ("case_id", "province_code", "city_code", "adopted_on", "note"),
}
# Written after the others from the projects and risks already written, with their own generator.
WORK_TABLES = ("risk_reviews", "tasks", "issues")
# Written after the projects (add_places), from their own random generator.
PLACE_COLUMNS = ("city_code", "county_code")

# Indicators ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    code: str
    name_zh: str
    name_en: str
    category: str
    unit: str
    direction: str
    national_target: float
    decimals: int
    baseline: tuple[float, float]  # where a new pilot typically starts, in the indicator's unit
    monthly: bool = False  # platform statistics are reported monthly, surveys and reviews quarterly

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


INDICATORS: tuple[Indicator, ...] = (
    Indicator("P1", "跨部门政策协同率", "Cross-department policy coordination rate", "policy_innovation", "%", "higher", 80, 1, (40, 60)),
    Indicator("P2", "政策执行弹性指数", "Policy execution flexibility index", "policy_innovation", "%", "higher", 50, 1, (20, 35)),
    Indicator("P3", "政策冲突解决率", "Policy conflict resolution rate", "policy_innovation", "%", "higher", 90, 1, (55, 75)),
    Indicator("I1", "行业数据共享率", "Industry data sharing rate", "industry_breakthrough", "%", "higher", 60, 1, (20, 40)),
    Indicator("I2", "产业链协同效率提升率", "Supply-chain coordination efficiency gain", "industry_breakthrough", "%", "higher", 30, 1, (5, 12)),
    Indicator("I3", "新业态培育数量", "New business models fostered", "industry_breakthrough", "个", "higher", 5, 0, (0, 1)),
    Indicator("S1", "“一网通办”覆盖率", "One-stop online service coverage", "public_services", "%", "higher", 100, 1, (50, 80), monthly=True),
    Indicator("S2", "群众办事跑动次数减少率", "Reduction in in-person trips", "public_services", "%", "higher", 70, 1, (20, 40), monthly=True),
    Indicator("S3", "公共服务满意度", "Public service satisfaction", "public_services", "%", "higher", 90, 1, (70, 82)),
    Indicator("G1", "矛盾纠纷化解率", "Dispute resolution rate", "governance", "%", "higher", 90, 1, (65, 80)),
    Indicator("G2", "应急响应时间缩短率", "Emergency response time reduction", "governance", "%", "higher", 50, 1, (10, 25)),
    Indicator("G3", "风险防控覆盖率", "Risk prevention coverage", "governance", "%", "higher", 95, 1, (60, 80)),
    Indicator("R1", "财政资金使用效率", "Fiscal fund use efficiency", "resource_efficiency", "%", "higher", 85, 1, (60, 75)),
    Indicator("R2", "人才投入产出比", "Talent input-output ratio", "resource_efficiency", "1:x", "higher", 5, 2, (1.5, 3)),
    Indicator("R3", "技术支撑覆盖率", "Technology support coverage", "resource_efficiency", "%", "higher", 90, 1, (50, 70)),
    Indicator("E1", "群众平均跑动次数", "In-person trips per case", "service_efficiency", "次", "lower", 0.3, 2, (1.2, 2.5), monthly=True),
    Indicator("E2", "企业开办时间", "Days to open a business", "service_efficiency", "工作日", "lower", 1, 1, (5, 15), monthly=True),
    Indicator("E3", "审批环节数量", "Approval steps", "service_efficiency", "个", "lower", 5, 0, (10, 20), monthly=True),
    Indicator("E4", "办理差错率", "Processing error rate", "service_efficiency", "%", "lower", 0.5, 2, (1.5, 3.5), monthly=True),
)
INDICATOR_BY_CODE = {ind.code: ind for ind in INDICATORS}

# The indicators a project in each domain reports first, most relevant first.
DOMAIN_INDICATORS: dict[str, tuple[str, ...]] = {
    "digital_economy": ("I1", "I2", "I3", "P1", "R1", "R2", "R3", "S1"),
    "green_low_carbon": ("I2", "I3", "P1", "P2", "R1", "R3", "G3", "R2"),
    "social_governance": ("G1", "G2", "G3", "P1", "P3", "S3", "E4", "S2"),
    "government_services": ("S1", "S2", "S3", "E1", "E2", "E3", "E4", "P1", "R3"),
    "smart_city": ("S1", "S3", "G2", "G3", "R3", "I1", "E1", "P1"),
    "rural_revitalisation": ("I3", "S3", "G1", "R1", "R2", "P1", "S1", "I2"),
    "healthcare": ("S3", "S2", "E1", "E4", "R3", "I1", "G3", "R1"),
    "education": ("S3", "R2", "R3", "I1", "P1", "S1", "R1"),
    "digital_finance": ("I1", "I2", "I3", "E2", "E4", "G3", "R1", "P2"),
    "emergency_management": ("G2", "G3", "G1", "P1", "R3", "S3", "E4"),
    "industrial_internet": ("I1", "I2", "I3", "R2", "R3", "E2", "P2", "R1"),
}

# Targets: the plan's differentiated values (seed 000 §3.3-3.4). Keys are
# (indicator, province, belt, phase); the catalogue's national targets are restated unscoped.
_PHASED_NATIONAL = {
    ("I1", "launch"): 40, ("I1", "deepening"): 50,
    ("P1", "launch"): 60, ("P1", "deepening"): 70,
    ("S1", "launch"): 80, ("S1", "deepening"): 90,
    ("S2", "launch"): 40, ("S2", "deepening"): 55,
    ("G3", "launch"): 80, ("G3", "deepening"): 90,
    ("R3", "launch"): 70,
    ("E1", "launch"): 1.0, ("E1", "deepening"): 0.6,
    ("E2", "launch"): 5, ("E2", "deepening"): 3,
}
# Belt targets come with their own phase values wherever a national phase target exists, since
# (belt, any) outranks (national, phase) and would otherwise tighten the launch target.
_BELT = {
    ("P1", "east", None): 85, ("P1", "east", "launch"): 65, ("P1", "east", "deepening"): 75,
    ("P1", "west", None): 70, ("P1", "west", "launch"): 50, ("P1", "west", "deepening"): 60,
    ("I1", "east", None): 70, ("I1", "east", "launch"): 45, ("I1", "east", "deepening"): 55,
    ("I1", "central", None): 55, ("I1", "central", "launch"): 35, ("I1", "central", "deepening"): 45,
    ("I1", "west", None): 50, ("I1", "west", "launch"): 30, ("I1", "west", "deepening"): 40,
    ("S1", "west", None): 95, ("S1", "west", "launch"): 70, ("S1", "west", "deepening"): 85,
    ("S2", "east", None): 75, ("S2", "east", "launch"): 45, ("S2", "east", "deepening"): 60,
    ("S2", "west", None): 60, ("S2", "west", "launch"): 35, ("S2", "west", "deepening"): 45,
    ("R1", "east", None): 90,
    ("R3", "west", None): 80, ("R3", "west", "launch"): 60,
    ("G3", "west", None): 90, ("G3", "west", "launch"): 75, ("G3", "west", "deepening"): 85,
    ("E2", "east", None): 0.5, ("E2", "east", "launch"): 3, ("E2", "east", "deepening"): 1.5,
    ("E2", "west", None): 3, ("E2", "west", "launch"): 8, ("E2", "west", "deepening"): 5,
}
_PROVINCE = {
    ("S2", "33"): 85,  # Zhejiang's "run at most once" reform
    ("E1", "33"): 0.2,
    ("E2", "31"): 0.5,
    ("I1", "44"): 75,
    ("I1", "52"): 70,  # Guizhou, the national big-data pilot zone
    ("S1", "54"): 85,
    ("G2", "63"): 40,
}

TargetKey = tuple[str, "str | None", "str | None", "str | None", "str | None"]  # code, project, province, belt, phase


def _fixed_targets() -> list[tuple[TargetKey, float]]:
    rows: list[tuple[TargetKey, float]] = [((i.code, None, None, None, None), i.national_target) for i in INDICATORS]
    rows += [((code, None, None, None, phase), v) for (code, phase), v in _PHASED_NATIONAL.items()]
    rows += [((code, None, None, belt, phase), v) for (code, belt, phase), v in _BELT.items()]
    rows += [((code, None, prov, None, None), v) for (code, prov), v in _PROVINCE.items()]
    return rows


def applicable_target(targets: dict[TargetKey, float], code: str, project_id: str, province: str, belt: str, phase: str) -> float:
    """The target the store applies (measures.sql `applicable_targets`), most specific first."""
    for key in (
        (code, project_id, None, None, phase), (code, project_id, None, None, None),
        (code, None, province, None, phase), (code, None, province, None, None),
        (code, None, None, belt, phase), (code, None, None, belt, None),
        (code, None, None, None, phase), (code, None, None, None, None),
    ):
        if key in targets:
            return targets[key]
    return INDICATOR_BY_CODE[code].national_target


# Places, names and words ----------------------------------------------------------------------

CITIES: dict[str, tuple[tuple[str, str], ...]] = {
    "11": (("海淀区", "Haidian District"), ("朝阳区", "Chaoyang District"), ("通州区", "Tongzhou District"), ("大兴区", "Daxing District")),
    "12": (("滨海新区", "Binhai New Area"), ("南开区", "Nankai District"), ("西青区", "Xiqing District")),
    "13": (("石家庄市", "Shijiazhuang"), ("雄安新区", "Xiong'an New Area"), ("唐山市", "Tangshan"), ("保定市", "Baoding")),
    "14": (("太原市", "Taiyuan"), ("大同市", "Datong"), ("长治市", "Changzhi")),
    "15": (("呼和浩特市", "Hohhot"), ("包头市", "Baotou"), ("鄂尔多斯市", "Ordos")),
    "21": (("沈阳市", "Shenyang"), ("大连市", "Dalian"), ("鞍山市", "Anshan")),
    "22": (("长春市", "Changchun"), ("吉林市", "Jilin City"), ("延边朝鲜族自治州", "Yanbian")),
    "23": (("哈尔滨市", "Harbin"), ("大庆市", "Daqing"), ("齐齐哈尔市", "Qiqihar")),
    "31": (("浦东新区", "Pudong New Area"), ("徐汇区", "Xuhui District"), ("闵行区", "Minhang District"), ("嘉定区", "Jiading District")),
    "32": (("南京市", "Nanjing"), ("苏州市", "Suzhou"), ("无锡市", "Wuxi"), ("南通市", "Nantong")),
    "33": (("杭州市", "Hangzhou"), ("宁波市", "Ningbo"), ("温州市", "Wenzhou"), ("嘉兴市", "Jiaxing")),
    "34": (("合肥市", "Hefei"), ("芜湖市", "Wuhu"), ("蚌埠市", "Bengbu")),
    "35": (("福州市", "Fuzhou"), ("厦门市", "Xiamen"), ("泉州市", "Quanzhou")),
    "36": (("南昌市", "Nanchang"), ("赣州市", "Ganzhou"), ("九江市", "Jiujiang")),
    "37": (("济南市", "Jinan"), ("青岛市", "Qingdao"), ("烟台市", "Yantai"), ("潍坊市", "Weifang")),
    "41": (("郑州市", "Zhengzhou"), ("洛阳市", "Luoyang"), ("许昌市", "Xuchang")),
    "42": (("武汉市", "Wuhan"), ("宜昌市", "Yichang"), ("襄阳市", "Xiangyang")),
    "43": (("长沙市", "Changsha"), ("株洲市", "Zhuzhou"), ("岳阳市", "Yueyang")),
    "44": (("广州市", "Guangzhou"), ("深圳市", "Shenzhen"), ("佛山市", "Foshan"), ("东莞市", "Dongguan")),
    "45": (("南宁市", "Nanning"), ("柳州市", "Liuzhou"), ("桂林市", "Guilin")),
    "46": (("海口市", "Haikou"), ("三亚市", "Sanya"), ("儋州市", "Danzhou")),
    "50": (("两江新区", "Liangjiang New Area"), ("渝中区", "Yuzhong District"), ("永川区", "Yongchuan District")),
    "51": (("成都市", "Chengdu"), ("绵阳市", "Mianyang"), ("宜宾市", "Yibin")),
    "52": (("贵阳市", "Guiyang"), ("遵义市", "Zunyi"), ("六盘水市", "Liupanshui")),
    "53": (("昆明市", "Kunming"), ("曲靖市", "Qujing"), ("大理白族自治州", "Dali")),
    "54": (("拉萨市", "Lhasa"), ("日喀则市", "Shigatse"), ("林芝市", "Nyingchi")),
    "61": (("西安市", "Xi'an"), ("宝鸡市", "Baoji"), ("咸阳市", "Xianyang")),
    "62": (("兰州市", "Lanzhou"), ("天水市", "Tianshui"), ("酒泉市", "Jiuquan")),
    "63": (("西宁市", "Xining"), ("海东市", "Haidong"), ("格尔木市", "Golmud")),
    "64": (("银川市", "Yinchuan"), ("石嘴山市", "Shizuishan"), ("中卫市", "Zhongwei")),
    "65": (("乌鲁木齐市", "Ürümqi"), ("克拉玛依市", "Karamay"), ("喀什地区", "Kashgar")),
}
MUNICIPALITIES = ("11", "12", "31", "50")
_AUTONOMOUS_REGIONS = {"15": "内蒙古自治区", "45": "广西壮族自治区", "54": "西藏自治区", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区"}

TOPICS: dict[str, tuple[tuple[str, str], ...]] = {
    "digital_economy": (("数字经济创新发展", "Digital Economy Innovation"), ("数据要素市场化配置改革", "Data Factor Market Reform")),
    "green_low_carbon": (("绿色低碳转型", "Green and Low-Carbon Transition"), ("碳达峰碳中和", "Carbon Peaking and Neutrality")),
    "social_governance": (("市域社会治理现代化", "Municipal Social Governance Modernisation"), ("基层智慧治理", "Smart Grassroots Governance")),
    "government_services": (("“一网通办”政务服务", "One-Stop Government Services"), ("营商环境创新", "Business Environment Innovation")),
    "smart_city": (("新型智慧城市建设", "New-Type Smart City"), ("城市运行“一网统管”", "Unified City Operations Management")),
    "rural_revitalisation": (("数字乡村", "Digital Countryside"), ("乡村振兴示范", "Rural Revitalisation Demonstration")),
    "healthcare": (("智慧医疗", "Smart Healthcare"), ("紧密型医疗卫生共同体", "Integrated Health Community")),
    "education": (("智慧教育", "Smart Education"), ("教育数字化转型", "Education Digital Transformation")),
    "digital_finance": (("数字普惠金融", "Digital Inclusive Finance"), ("金融科技创新监管", "Fintech Innovation Supervision")),
    "emergency_management": (("应急管理数字化", "Digital Emergency Management"), ("城市安全风险综合监测预警", "Urban Safety Risk Monitoring")),
    "industrial_internet": (("工业互联网创新应用", "Industrial Internet Innovation"), ("制造业数字化转型", "Manufacturing Digital Transformation")),
}

# (city-level unit, province-level unit) per domain; the development and reform commission can
# lead any pilot.
LEAD_UNITS: dict[str, tuple[str, str]] = {
    "digital_economy": ("数据局", "数据局"),
    "green_low_carbon": ("生态环境局", "生态环境厅"),
    "social_governance": ("委政法委", "委政法委"),
    "government_services": ("政务服务和数据管理局", "政务服务管理办公室"),
    "smart_city": ("大数据管理局", "大数据发展管理局"),
    "rural_revitalisation": ("农业农村局", "农业农村厅"),
    "healthcare": ("卫生健康委员会", "卫生健康委员会"),
    "education": ("教育局", "教育厅"),
    "digital_finance": ("地方金融管理局", "地方金融管理局"),
    "emergency_management": ("应急管理局", "应急管理厅"),
    "industrial_internet": ("工业和信息化局", "工业和信息化厅"),
}

MILESTONES: dict[str, tuple[tuple[str, str], ...]] = {
    "launch": (
        ("organisation", "成立试点工作领导小组"),
        ("organisation", "印发试点实施方案"),
        ("progress", "完成平台需求调研与总体设计"),
        ("progress", "核心系统上线试运行"),
        ("risk", "完成风险评估并制定应急预案"),
        ("organisation", "建立跨部门联席会议机制"),
    ),
    "deepening": (
        ("progress", "实现跨部门数据共享交换"),
        ("progress", "完成系统集成联调"),
        ("outcome", "形成阶段性试点成果报告"),
        ("outcome", "通过第三方中期评估"),
        ("benefit", "开展试点效益中期评估"),
        ("risk", "开展风险复盘与整改"),
    ),
    "promotion": (
        ("outcome", "形成可复制推广经验清单"),
        ("outcome", "发布试点地方标准"),
        ("benefit", "完成试点效益评估报告"),
        ("organisation", "召开试点总结推广会"),
        ("progress", "在全省（区、市）推广应用"),
        ("risk", "完成试点风险终期评估"),
    ),
}

RISK_DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "policy": ("上级政策调整导致试点任务边界变化", "配套政策出台滞后", "跨部门政策衔接不畅"),
    "technical": ("数据接口标准不统一，系统对接延误", "核心平台性能不足", "网络安全与数据泄露风险", "老旧系统改造难度大"),
    "market": ("社会资本参与意愿不足", "供应商交付能力不足", "产业链上下游协同不足"),
    "social": ("群众对新服务模式接受度低", "数字鸿沟导致老年群体使用困难", "试点舆情风险"),
    "management": ("专业人才短缺", "项目管理机制不健全", "资金拨付流程较长", "部门职责分工不清"),
    "external": ("自然灾害影响项目进度", "宏观经济波动影响地方财力", "突发公共卫生事件影响实施"),
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧"
GIVEN_NAMES = ("伟", "芳", "娜", "敏", "静", "磊", "强", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "华", "平", "刚",
               "建华", "志强", "晓东", "海燕", "丽华", "文博", "子涵", "国栋", "雪梅", "振宇")

# Probability and impact pairs per risk level, so every level is reachable on purpose.
RISK_PAIRS: dict[str, tuple[tuple[int, int], ...]] = {
    "low": ((1, 1), (1, 2), (2, 1), (1, 3), (3, 1)),
    "yellow": ((2, 2), (2, 3), (3, 2), (1, 4), (4, 1), (1, 5)),
    "orange": ((2, 4), (4, 2), (3, 3), (3, 4), (4, 3), (2, 5)),
    "red": ((3, 5), (5, 3), (4, 4), (4, 5), (5, 4)),
}

# Mix of the programme ---------------------------------------------------------------------------

BELT_WEIGHT = {"east": 1.7, "central": 1.1, "west": 0.85}  # pilots per province, relative
BATCH_SHARE = {2021: 0.25, 2022: 0.26, 2023: 0.21, 2024: 0.16, 2025: 0.12}
PILOT_TYPE_WEIGHT = {"basic": 0.45, "exploratory": 0.35, "demonstration": 0.20}
# Planned length in months; seed 001's 18-month unit projects are the short basic ones.
DURATION = {"basic": (18, 48), "exploratory": (36, 60), "demonstration": (48, 60)}
TIER_WEIGHT = {"east": (0.54, 0.38, 0.08), "central": (0.42, 0.43, 0.15), "west": (0.32, 0.46, 0.22)}
TIER_DECK = 50
# Seed 000: 25% of central/western and 12% of eastern pilots withdrew in 2022; other batches less.
WITHDRAWAL = {2021: (0.04, 0.08), 2022: (0.12, 0.25), 2023: (0.03, 0.06), 2024: (0.03, 0.05), 2025: (0.01, 0.02)}
SUSPENSION = 0.06
# One project in this many overspends on one line: a few per scale unit, as in real audits.
OVERSPEND_EVERY = 40
PROJECT_TARGET_EVERY = 20
PROJECT_PHASE_TARGET_EVERY = 60
# Local matching per unit of central money (seed 003: 1:1, 1:1.5 in the east).
# How far a belt's pilots are ahead of the average in the share of indicators met.
BELT_LEAD = {"east": 0.1, "central": 0.0, "west": -0.12}
MATCHING = {"east": (1.25, 1.7), "central": (0.85, 1.1), "west": (0.6, 1.0)}
BUDGET_TOTAL = {"basic": (300, 900), "exploratory": (600, 2000), "demonstration": (1200, 4000)}
CATEGORY_WEIGHT = {"hardware": 0.35, "software": 0.25, "integration": 0.2, "training": 0.08, "reserve": 0.05, "operations": 0.15}
PHASE_SHARE = {"launch": (0.0, 0.35), "deepening": (0.35, 0.65), "promotion": (0.65, 1.0)}
MILESTONE_PHASE_SHARE = (("launch", 0.42), ("deepening", 0.30), ("promotion", 0.28))


def _month_end(d: date) -> date:
    nxt = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, min(d.day, 28))


class _Calendar:
    """Month or quarter ends from the first batch year to DATA_DATE, computed once: building dates
    per reading would dominate the run time at large scales."""

    def __init__(self, monthly: bool):
        d = _month_end(date(min(BATCH_SHARE), 1, 1))
        ends = []
        while d <= DATA_DATE:
            if monthly or d.month % 3 == 0:
                ends.append(d)
            d = _month_end(d + timedelta(days=1))
        self.days = [d.toordinal() for d in ends]
        self.iso = [d.isoformat() for d in ends]

    def between(self, first: date, last: date) -> range:
        """Indexes of the period ends on or after `first` and on or before `last`."""
        return range(bisect_left(self.days, first.toordinal()), bisect_right(self.days, last.toordinal()))


CALENDARS = {monthly: _Calendar(monthly) for monthly in (False, True)}


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _amount(x: float) -> str:
    return f"{x:.2f}"


@dataclass
class Province:
    code: str
    name_zh: str
    name_en: str
    belt: str

    @property
    def full_name(self) -> str:
        if self.code in _AUTONOMOUS_REGIONS:
            return _AUTONOMOUS_REGIONS[self.code]
        return self.name_zh + ("市" if self.code in MUNICIPALITIES else "省")


def _provinces() -> list[Province]:
    with resources.files(__package__).joinpath("reference", "provinces.csv").open(encoding="utf-8") as f:
        return [Province(r["province_code"], r["name_zh"], r["name_en"], r["belt"]) for r in csv.DictReader(f)]


@dataclass
class Phase:
    phase: str
    planned_start: date
    planned_end: date
    actual_start: date | None = None
    actual_end: date | None = None


@dataclass
class Project:
    project_id: str
    seq: int  # position in the whole run, for the every-n-th choices
    province: Province
    domain: str
    pilot_type: str
    batch_year: int
    start: date
    end: date
    status: str = "active"
    stop: date | None = None  # withdrawal or suspension date
    tier: str = "good"
    flags: set[str] = field(default_factory=set)
    phases: list[Phase] = field(default_factory=list)
    phase_now: str = "launch"


# The generator ------------------------------------------------------------------------------------


class _Generator:
    def __init__(self, writers: dict[str, Any], scale: int, seed: int):
        self.w = writers
        self.rng = random.Random(seed)
        # status dates draw from their own generator, so every other demo row stays as it was
        self.status_rng = random.Random(f"status_date:{seed}")
        self.rng_seed = seed
        self.scale = scale
        self.provinces = _provinces()
        self.targets: dict[TargetKey, float] = {}
        self.counts = {t: 0 for t in TABLES}
        self.tier_decks: dict[str, list[str]] = {belt: [] for belt in ENUMS["belt"]}

    def emit(self, table: str, row: tuple) -> None:
        self.w[table].writerow(row)
        self.counts[table] += 1

    def run(self) -> dict[str, int]:
        for ind in INDICATORS:
            self.emit("indicators", (ind.code, ind.name_zh, ind.name_en, ind.category, ind.unit, ind.direction, f"{ind.national_target:g}"))
        for key, value in _fixed_targets():
            self._add_target(key, value)
        made = []
        for project in self._projects():
            self._project(project)
            made.append(project)
        _assessment(self, made)
        return self.counts

    def _add_target(self, key: TargetKey, value: float) -> None:
        self.targets[key] = value
        code, project_id, province, belt, phase = key
        self.emit("targets", (code, f"{value:g}", project_id, province, belt, phase))

    # Which projects ------------------------------------------------------------------------

    def _spread(self, items: list, weights: list[float], n: int) -> list:
        """Every item `scale` times (so a small run covers them all), the rest by weight, shuffled."""
        out = [x for x in items for _ in range(self.scale)]
        out += self.rng.choices(items, weights, k=n - len(out))
        self.rng.shuffle(out)
        return out

    def _projects(self):
        n = PROJECTS_PER_SCALE * self.scale
        provinces = self._spread(self.provinces, [BELT_WEIGHT[p.belt] for p in self.provinces], n)
        domains = self._spread(list(ENUMS["domain"]), [1.0] * len(ENUMS["domain"]), n)
        types = self.rng.choices(list(PILOT_TYPE_WEIGHT), list(PILOT_TYPE_WEIGHT.values()), k=n)
        seq = 0
        for year, share in BATCH_SHARE.items():
            count = round(n * share) if year != 2025 else n - seq
            for k in range(1, count + 1):
                start = date(year, 1, 1) + timedelta(days=self.rng.randint(45, 330))
                months = self.rng.randint(*DURATION[types[seq]])
                yield Project(
                    project_id=f"PJ-{year}-{k:04d}", seq=seq, province=provinces[seq], domain=domains[seq],
                    pilot_type=types[seq], batch_year=year, start=start,
                    end=_add_months(start, months) - timedelta(days=1),
                )
                seq += 1

    # One project ---------------------------------------------------------------------------

    def _project(self, p: Project) -> None:
        self._status(p)
        self._tier(p)
        self._phases(p)
        self._write_project(p)
        self._milestones(p)
        self._indicators(p)
        self._budget(p)
        self._risks(p)

    def _status(self, p: Project) -> None:
        rng = self.rng
        east = p.province.belt == "east"
        withdraw_p = WITHDRAWAL[p.batch_year][0 if east else 1]
        latest = min(DATA_DATE, p.end) - timedelta(days=30)
        if rng.random() < withdraw_p and latest > p.start + timedelta(days=150):
            p.status = "withdrawn"
            p.stop = p.start + timedelta(days=rng.randint(150, min(720, (latest - p.start).days)))
        elif rng.random() < SUSPENSION and p.end > DATA_DATE:
            p.status = "suspended"
            p.stop = DATA_DATE - timedelta(days=rng.randint(60, 400))
            p.stop = max(p.stop, p.start + timedelta(days=90))

    def _tier(self, p: Project) -> None:
        """The project's hidden quality, and the health flags that quality is meant to raise."""
        rng = self.rng
        if p.status in ("withdrawn", "suspended"):
            p.tier = "poor"
        else:
            p.tier = self._deal_tier(p.province.belt)
        if p.tier == "good" and rng.random() < 0.06:
            p.flags.add(rng.choice(("indicator_behind", "orange_risk")))  # one item to watch
        elif p.tier == "fair":
            options = ("indicator_behind", "indicator_behind", "overdue", "low_execution", "orange_risk")
            p.flags.update(rng.sample(options, rng.randint(1, 2)))
        elif p.tier == "poor":
            options = ("off_track", "off_track", "overdue_30d", "overdue_30d", "red_risk", "indicator_behind", "low_execution")
            p.flags.update(rng.sample(options, rng.randint(1, 3)))
        if p.seq % OVERSPEND_EVERY == OVERSPEND_EVERY // 2:
            p.flags.add("overspend")

    def _deal_tier(self, belt: str) -> str:
        """Tiers are dealt from a shuffled deck per belt rather than drawn independently, so that
        even 160 projects show the intended gap between the belts instead of a lucky draw."""
        deck = self.tier_decks[belt]
        if not deck:
            for tier, weight in zip(("good", "fair", "poor"), TIER_WEIGHT[belt]):
                deck += [tier] * round(weight * TIER_DECK)
            self.rng.shuffle(deck)
        return deck.pop()

    def _phases(self, p: Project) -> None:
        rng = self.rng
        length = (p.end - p.start).days
        slip_max = {"good": 20, "fair": 60, "poor": 120}[p.tier]
        late_start = rng.random() < (0.15 if p.tier == "good" else 0.35)
        actual = p.start + timedelta(days=rng.randint(20, 100) if late_start else 0)
        for name, (a, b) in PHASE_SHARE.items():
            ph = Phase(name, p.start + timedelta(days=round(length * a)), p.start + timedelta(days=round(length * b)))
            if name != "launch":
                ph.planned_start += timedelta(days=1)
            p.phases.append(ph)
            if actual is None or actual > DATA_DATE or (p.stop and actual > p.stop):
                actual = None
                continue
            ph.actual_start = actual
            end = max(ph.planned_end + timedelta(days=rng.randint(-10, slip_max)), actual + timedelta(days=30))
            if p.stop and end >= p.stop:
                ph.actual_end = p.stop if p.status == "withdrawn" else None
                actual = None
            elif end <= DATA_DATE:
                ph.actual_end = end
                actual = end + timedelta(days=1)
            else:
                actual = None
        if p.status == "active" and p.phases[-1].actual_end is not None:
            p.status = "completed"
        p.phase_now = self._phase_on(p, DATA_DATE)

    def _status_date(self, p: Project) -> str | None:
        """The day a completed, withdrawn or suspended pilot's status began (its last phase's end,
        or the day it stopped), so a past date shows it active; about a quarter leave it empty
        ("it always held"), as offices that never recorded the day do."""
        if p.status == "active":
            return None
        began = p.phases[-1].actual_end if p.status == "completed" else p.stop
        if began is None or self.status_rng.random() < 0.25:
            return None
        return began.isoformat()

    @staticmethod
    def _phase_on(p: Project, on: date) -> str:
        """The phase measures.sql `project_phase` gives: actual dates where known, else planned."""
        windows = [(ph.actual_start or ph.planned_start, ph.actual_end or ph.planned_end, n, ph.phase)
                   for n, ph in enumerate(p.phases)]
        if max(w[1] for w in windows) < on:
            return "promotion"
        started = [w for w in windows if w[0] <= on]
        return max(started)[3] if started else "launch"

    def _write_project(self, p: Project) -> None:
        rng = self.rng
        topic_zh, topic_en = rng.choice(TOPICS[p.domain])
        prov = p.province
        if rng.random() < 0.15 and prov.code not in MUNICIPALITIES:
            city, place_zh, place_en = None, prov.full_name, prov.name_en
            unit = rng.choice((LEAD_UNITS[p.domain][1], "发展和改革委员会"))
        else:
            city, place_en = rng.choice(CITIES[prov.code])
            if prov.code in MUNICIPALITIES:  # a district is named with its city: 北京市海淀区
                place_zh, place_en = prov.full_name + city, f"{prov.name_en} {place_en}"
            else:
                place_zh = city
            unit = rng.choice((LEAD_UNITS[p.domain][0], LEAD_UNITS[p.domain][0], "发展和改革委员会", "人民政府办公室"))
        # A party committee's commission is named after the committee: 中共杭州市委政法委.
        lead = ("中共" if unit.startswith("委") else "") + place_zh + unit
        name_en = f"{place_en} {topic_en} Pilot" if rng.random() < 0.85 else None
        self.emit("projects", (
            p.project_id, f"{place_zh}{topic_zh}试点项目", name_en, p.domain, p.pilot_type, prov.code, city,
            lead, p.batch_year, p.start.isoformat(), p.end.isoformat(), p.status, self._status_date(p),
        ))
        for ph in p.phases:
            self.emit("phases", (p.project_id, ph.phase, _iso(ph.planned_start), _iso(ph.planned_end),
                                 _iso(ph.actual_start), _iso(ph.actual_end)))

    # Milestones --------------------------------------------------------------------------------

    def _milestones(self, p: Project) -> None:
        rng = self.rng
        total = rng.randint(6, 10)
        plan: list[tuple[Phase, str, str, date]] = []
        for ph, (_, share) in zip(p.phases, MILESTONE_PHASE_SHARE):
            k = max(1, round(total * share + rng.uniform(-0.5, 0.5)))
            picks = [MILESTONES[ph.phase][0]] if ph.phase == "launch" else []
            rest = [m for m in MILESTONES[ph.phase] if m not in picks]
            picks += rng.sample(rest, k - len(picks))
            span = (ph.planned_end - ph.planned_start).days
            for i, (kind, name) in enumerate(picks):
                due = ph.planned_start + timedelta(days=round(span * (i + 0.7) / k + rng.uniform(-10, 10)))
                plan.append((ph, kind, name, _month_end(min(due, ph.planned_end))))
        done = [self._done_date(p, due) for _, _, _, due in plan]
        self._force_overdue(p, plan, done)
        for n, ((ph, kind, name, due), d) in enumerate(zip(plan, done), start=1):
            mid = f"MS-{p.project_id[3:]}-{n:02d}"
            self.emit("milestones", (mid, p.project_id, ph.phase, name, kind, due.isoformat(), _iso(d)))

    def _done_date(self, p: Project, due: date) -> date | None:
        rng = self.rng
        cutoff = min(DATA_DATE, p.stop) if p.stop else DATA_DATE
        if due > cutoff:
            # A good team sometimes finishes the next milestone early.
            soon = due <= cutoff + timedelta(days=90)
            if p.stop is None and p.tier == "good" and soon and rng.random() < 0.3:
                return max(p.start, cutoff - timedelta(days=rng.randint(0, 30)))
            return None
        late_share, late_max = {"good": (0.2, 35), "fair": (0.35, 75), "poor": (0.5, 150)}[p.tier]
        if rng.random() >= late_share:
            return max(p.start, due - timedelta(days=rng.randint(0, 20)))
        finished = due + timedelta(days=rng.randint(3, late_max))
        if finished <= cutoff:
            return finished
        if p.tier == "poor":
            return None
        # Good and fair teams do not leave a milestone open for a month: they close it late.
        if p.tier == "fair" and due >= DATA_DATE - timedelta(days=30):
            return None
        return due + timedelta(days=rng.randint(0, (cutoff - due).days))

    def _force_overdue(self, p: Project, plan: list, done: list) -> None:
        """Give the project the overdue milestone its flags call for."""
        rng = self.rng
        if "overdue_30d" in p.flags:
            old = [i for i, (_, _, _, due) in enumerate(plan) if due < DATA_DATE - timedelta(days=45)]
            if old:
                done[rng.choice(old[len(old) // 2:])] = None
        if "overdue" in p.flags:
            # Only a milestone that was due soon anyway can plausibly have slipped to overdue.
            window = (DATA_DATE - timedelta(days=30), DATA_DATE + timedelta(days=180))
            upcoming = [i for i, (_, _, _, due) in enumerate(plan) if window[0] <= due <= window[1]]
            if upcoming:
                i = upcoming[0]
                ph, kind, name, _ = plan[i]
                plan[i] = (ph, kind, name, DATA_DATE - timedelta(days=rng.randint(5, 28)))
                done[i] = None

    # Indicators, targets and readings ---------------------------------------------------------

    def _indicators(self, p: Project) -> None:
        rng = self.rng
        core = DOMAIN_INDICATORS[p.domain]
        n = rng.randint(8, 12)
        codes = list(core[: min(n, len(core))])
        others = [i.code for i in INDICATORS if i.code not in codes]
        codes += rng.sample(others, n - len(codes))
        if p.seq % PROJECT_TARGET_EVERY == 3:
            self._project_target(p, codes[0], None)
        if p.seq % PROJECT_PHASE_TARGET_EVERY == 7:
            self._project_target(p, codes[1], p.phase_now)
        statuses = self._intended_statuses(p, len(codes))
        for code, status in zip(codes, statuses):
            target = applicable_target(self.targets, code, p.project_id, p.province.code, p.province.belt, p.phase_now)
            self._readings(p, INDICATOR_BY_CODE[code], target, status)

    def _project_target(self, p: Project, code: str, phase: str | None) -> None:
        base = applicable_target(self.targets, code, p.project_id, p.province.code, p.province.belt, p.phase_now)
        value = round(base * self.rng.uniform(0.85, 1.15), INDICATOR_BY_CODE[code].decimals)
        if INDICATOR_BY_CODE[code].is_percent:
            value = min(value, 100.0)
        self._add_target((code, p.project_id, None, None, phase), max(value, 0.1))

    def _intended_statuses(self, p: Project, n: int) -> list[str]:
        """met / near / behind per indicator, shaped by the project's tier and flags."""
        rng = self.rng
        met_share = {"good": 0.6, "fair": 0.5, "poor": 0.38}[p.tier] + BELT_LEAD[p.province.belt]
        behind = 0
        if "off_track" in p.flags and p.phase_now != "launch":
            behind = rng.randint(math.ceil(0.55 * n), n)
        elif "indicator_behind" in p.flags or p.tier == "poor":
            behind = rng.randint(1, max(1, n // 3))
        statuses = ["behind"] * behind
        statuses += ["met" if rng.random() < met_share else "near" for _ in range(n - behind)]
        rng.shuffle(statuses)
        return statuses

    def _final_value(self, p: Project, ind: Indicator, target: float, status: str) -> float:
        """The value to report on the last period so that the store gives `status`."""
        rng = self.rng
        lag = {"east": 0.0, "central": 0.03, "west": 0.06}[p.province.belt]
        achievement = {
            "met": rng.uniform(1.0, 1.18 - lag),
            "near": rng.uniform(0.905, 0.99),
            "behind": rng.uniform(0.55 - lag, 0.87),
        }[status]
        value = target * achievement if ind.direction == "higher" else target / achievement
        # Round towards the intended side of the threshold, so a met value stays met.
        up = (status != "behind") == (ind.direction == "higher")
        scale = 10 ** ind.decimals
        value = (math.ceil if up else math.floor)(value * scale - 1e-9 * (1 if up else -1)) / scale
        if ind.is_percent:
            value = min(value, 100.0)
        return max(value, 0.0 if ind.direction == "higher" else 1 / scale)

    def _readings(self, p: Project, ind: Indicator, target: float, status: str) -> None:
        rng = self.rng
        last = DATA_DATE if p.status != "withdrawn" else p.stop
        calendar = CALENDARS[ind.monthly]
        ends = calendar.between(p.start, last)
        if not ends:
            return
        final = self._final_value(p, ind, target, status)
        lo, hi = ind.baseline
        belt_shift = {"east": 0.15, "central": 0.0, "west": -0.15}[p.province.belt]
        base = lo + (hi - lo) * min(1.0, max(0.0, rng.random() + belt_shift))
        # A suspended project stops improving: its later readings hover at the suspension level.
        ramp_end = p.stop if p.status == "suspended" else last
        start = p.start.toordinal()
        span = max(1, ramp_end.toordinal() - start)
        wobble = 0.04 * abs(final - base) + 0.5 / 10 ** ind.decimals
        ceiling = 100.0 if ind.is_percent else math.inf
        fmt = f"{{:.{ind.decimals}f}}".format
        # The loop runs once per reading (millions at scale 100), hence the bound methods.
        chance, gauss, days, iso = rng.random, rng.gauss, calendar.days, calendar.iso
        rows = []
        for i in ends[:-1]:
            if chance() < 0.03:
                continue  # a missed report
            progress = (days[i] - start) / span
            value = base + (final - base) * (progress**0.8 if progress < 1.0 else 1.0) + gauss(0, wobble)
            value = 0.0 if value < 0.0 else ceiling if value > ceiling else value
            rows.append((p.project_id, ind.code, iso[i], fmt(value)))
        rows.append((p.project_id, ind.code, iso[ends[-1]], fmt(final)))
        self.w["readings"].writerows(rows)
        self.counts["readings"] += len(rows)

    # Money ------------------------------------------------------------------------------------

    def _budget(self, p: Project) -> None:
        rng = self.rng
        belt = p.province.belt
        total = rng.uniform(*BUDGET_TOTAL[p.pilot_type]) * {"east": 1.25, "central": 1.0, "west": 0.85}[belt]
        local = rng.uniform(*MATCHING[belt])
        social_share = rng.uniform(0.1, 0.35) if rng.random() < (0.6 if p.pilot_type == "demonstration" else 0.3) else 0.0
        central = total / (1 + local + social_share)
        by_source = {"central": central, "local": central * local, "social": central * social_share}
        last_year = p.stop.year if p.status == "withdrawn" else p.end.year
        years = list(range(p.start.year, last_year + 1))
        year_weight = [self._active_months(p, y) * (1.3 if y == p.start.year else 1.0) for y in years]
        weight_sum = sum(year_weight)
        low_year = rng.choice([y for y in years if y < DATA_DATE.year] or [None])
        overspend_year = rng.choice([y for y in years if y <= DATA_DATE.year])
        lines = []
        for year, yw in zip(years, year_weight):
            categories = self._categories(p, year)
            cw_sum = sum(w for _, w in categories)
            execution = self._execution(p, year, low_year)
            for category, cw in categories:
                for source, amount in by_source.items():
                    if amount <= 0 or (source == "social" and category in ("training", "reserve")):
                        continue
                    allocated = round(amount * yw / weight_sum * cw / cw_sum, 2)
                    lines.append(self._line(p, year, source, category, allocated, execution))
        if "overspend" in p.flags:
            self._overspend(lines, overspend_year)
        self.w["budget_lines"].writerows(
            (p.project_id, y, s, c, _amount(a), _amount(d), _amount(sp)) for y, s, c, a, d, sp in lines
        )
        self.counts["budget_lines"] += len(lines)

    @staticmethod
    def _active_months(p: Project, year: int) -> int:
        first = max(p.start, date(year, 1, 1))
        last = min(p.end, date(year, 12, 31))
        return max(1, (last.year - first.year) * 12 + last.month - first.month + 1)

    def _categories(self, p: Project, year: int) -> list[tuple[str, float]]:
        """Build-out money first (hardware, integration), running costs later."""
        rng = self.rng
        if year == p.start.year:
            pool = ("hardware", "software", "integration", "training", "reserve")
        elif year >= p.end.year:
            pool = ("operations", "training", "software", "reserve")
        else:
            pool = ("software", "integration", "training", "operations", "hardware", "reserve")
        chosen = [c for c in pool if rng.random() < 0.7] or [pool[0]]
        if len(chosen) == 1:
            chosen.append(next(c for c in pool if c != chosen[0]))
        return [(c, CATEGORY_WEIGHT[c] * rng.uniform(0.7, 1.3)) for c in ENUMS["budget_category"] if c in chosen]

    def _execution(self, p: Project, year: int, low_year: int | None) -> tuple[float, float]:
        """(arrival, execution) for a fiscal year: closed years nearly done, this year partial."""
        rng = self.rng
        if year > DATA_DATE.year:
            return 0.0, 0.0
        if p.status == "withdrawn" and year == p.stop.year:
            return rng.uniform(0.5, 0.8), rng.uniform(0.4, 0.7)
        if year == DATA_DATE.year:
            if p.status == "suspended":
                return rng.uniform(0.3, 0.6), rng.uniform(0.2, 0.5)
            return rng.uniform(0.6, 0.9), rng.uniform(0.5, 0.85)
        if "low_execution" in p.flags and year == low_year:
            return rng.uniform(0.85, 0.98), rng.uniform(0.6, 0.8)
        floor = {"good": 0.89, "fair": 0.88, "poor": 0.82}[p.tier]
        return rng.uniform(0.92, 1.0), rng.uniform(floor, 0.99)

    def _line(self, p: Project, year: int, source: str, category: str, allocated: float, execution: tuple[float, float]):
        rng = self.rng
        arrival, spend = execution
        cap = 1.0
        if arrival and rng.random() < 0.005:
            arrival = cap = rng.uniform(1.0, 1.03)  # a top-up arrives above plan now and then
        disbursed = round(allocated * min(cap, max(0.0, arrival + rng.uniform(-0.03, 0.03))), 2) if arrival else 0.0
        spent = round(disbursed * min(1.0, max(0.0, spend + rng.uniform(-0.03, 0.03))), 2) if spend else 0.0
        return (year, source, category, allocated, disbursed, spent)

    def _overspend(self, lines: list, year: int) -> None:
        candidates = [i for i, line in enumerate(lines) if line[0] == year and line[4] > 0]
        if candidates:
            i = self.rng.choice(candidates)
            y, s, c, a, d, _ = lines[i]
            lines[i] = (y, s, c, a, d, round(d * self.rng.uniform(1.03, 1.12), 2))

    # Risks --------------------------------------------------------------------------------------

    def _risks(self, p: Project) -> None:
        rng = self.rng
        levels = rng.choices(("low", "yellow", "orange", "red"), (0.3, 0.35, 0.25, 0.1), k=rng.randint(1, 4))
        if "red_risk" in p.flags:
            levels[0] = "red"
        if "orange_risk" in p.flags:
            levels[0] = "orange"
        last = {"withdrawn": p.stop, "completed": p.phases[-1].actual_end}.get(p.status, DATA_DATE)
        for n, level in enumerate(levels, start=1):
            category = rng.choice(ENUMS["risk_category"])
            probability, impact = rng.choice(RISK_PAIRS[level])
            forced = n == 1 and ({"red_risk", "orange_risk"} & p.flags)
            status = "open" if forced else self._risk_status(level)
            if p.status == "completed" and status == "open":
                status = "closed"  # a closed-out pilot has closed its risk register
            identified = p.start + timedelta(days=rng.randint(0, max(0, (last - p.start).days)))
            owner = rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)
            self.emit("risks", (
                f"RK-{p.project_id[3:]}-{n:02d}", p.project_id, category, rng.choice(RISK_DESCRIPTIONS[category]),
                probability, impact, status, owner, identified.isoformat(),
            ))

    def _risk_status(self, level: str) -> str:
        """Serious risks stay open only where the project's flags say so."""
        status = self.rng.choices(("open", "mitigated", "closed"), (0.45, 0.3, 0.25))[0]
        if status == "open" and level in ("orange", "red"):
            return "mitigated"
        return status


# Assessment 考核评价 ---------------------------------------------------------------------------------
# A default scheme shaped like 财预〔2020〕10号 (决策 / 过程 / 产出 / 效益 / 满意度, 21 leaves, 100 marks):
# (code, parent, name_zh, name_en, marks, method, argument, veto). Risk prevention is the veto item,
# scored by the evaluators: as an indicator leaf, every pilot without a G3 reading would score 0
# and be vetoed, which says nothing about its risks.
DEMO_SCHEME = "CY2020-10"
SCHEME_ITEMS: tuple[tuple, ...] = (
    ("A", None, "决策", "Decision", 15, None, None, None),
    ("A1", "A", "项目立项", "Project approval", 8, None, None, None),
    ("A11", "A1", "立项依据充分性", "Soundness of the rationale", 4, "manual", None, "false"),
    ("A12", "A1", "绩效目标合理性", "Reasonableness of the performance goals", 4, "manual", None, "false"),
    ("A2", "A", "资金投入", "Funding", 7, None, None, None),
    ("A21", "A2", "资金到位率", "Fund arrival rate", 4, "measure", "arrival_rate", "false"),
    ("A22", "A2", "地方配套落实情况", "Local matching in place", 3, "manual", None, "false"),
    ("B", None, "过程", "Process", 25, None, None, None),
    ("B1", "B", "资金管理", "Fund management", 12, None, None, None),
    ("B11", "B1", "资金执行率", "Fund execution rate", 6, "measure", "execution_rate", "false"),
    ("B12", "B1", "资金使用率", "Fund utilisation", 3, "measure", "utilisation", "false"),
    ("B13", "B1", "财务管理制度健全性", "Financial management rules", 3, "manual", None, "false"),
    ("B2", "B", "组织实施", "Implementation", 13, None, None, None),
    ("B21", "B2", "里程碑完成率", "Milestone completion", 5, "measure", "milestone_completion", "false"),
    ("B22", "B2", "进度绩效指数", "Schedule performance (SPI)", 4, "measure", "spi", "false"),
    ("B23", "B2", "成本绩效指数", "Cost performance (CPI)", 4, "measure", "cpi", "false"),
    ("C", None, "产出", "Output", 25, None, None, None),
    ("C1", "C", "产出数量", "Output quantity", 10, None, None, None),
    ("C11", "C1", "跨部门政策协同率", "Cross-department policy coordination rate", 5, "indicator", "P1", "false"),
    ("C12", "C1", "技术支撑覆盖率", "Technology support coverage", 5, "indicator", "R3", "false"),
    ("C2", "C", "产出质量", "Output quality", 15, None, None, None),
    ("C21", "C2", "指标达标率", "Share of targets met", 8, "measure", "share_met", "false"),
    ("C22", "C2", "风险防控覆盖率", "Risk prevention coverage", 4, "indicator", "G3", "false"),
    ("C23", "C2", "成果质量", "Quality of the results", 3, "manual", None, "false"),
    ("D", None, "效益", "Benefit", 20, None, None, None),
    ("D1", "D", "社会效益", "Social benefit", 10, None, None, None),
    ("D11", "D1", "经济社会效益", "Economic and social benefit", 5, "manual", None, "false"),
    ("D12", "D1", "重大风险防控", "Prevention of major risks", 5, "manual", None, "true"),
    ("D2", "D", "可持续影响", "Lasting effect", 10, None, None, None),
    ("D21", "D2", "经验可复制推广", "Experience that can be replicated", 5, "manual", None, "false"),
    ("D22", "D2", "长效机制建设", "Lasting mechanisms", 5, "manual", None, "false"),
    ("E", None, "满意度", "Satisfaction", 15, None, None, None),
    ("E1", "E", "群众满意度", "Public satisfaction", 8, "survey", "public", "false"),
    ("E2", "E", "企业满意度", "Enterprise satisfaction", 7, "survey", "enterprise", "false"),
)
# (round id, zh name, kind, period start, period end)
DEMO_ROUNDS: tuple[tuple[str, str, str, date, date], ...] = (
    ("2025A", "2025年度总评", "annual", date(2025, 1, 1), date(2025, 12, 31)),
    ("2026Q1", "2026年第一季度考核", "quarterly", date(2026, 1, 1), date(2026, 3, 31)),
    ("2026Q2", "2026年第二季度考核", "quarterly", date(2026, 4, 1), date(2026, 6, 30)),
    ("2026Q3", "2026年第三季度考核", "quarterly", date(2026, 7, 1), date(2026, 9, 30)),
)
THIRD_PARTIES = ("中国信息通信研究院", "国家信息中心", "中国电子技术标准化研究院")
EVIDENCE = ("会议纪要", "实施方案", "财务报表", "验收报告", "工作台账", "现场核查记录")
# How well an evaluator rates a pilot of each tier (share of the marks, before noise).
_TIER_SHARE = {"good": 0.9, "fair": 0.78, "poor": 0.62}


def _assessment(g: "_Generator", projects: list[Project]) -> None:
    """The scheme, the rounds, evaluators' scores of the manual leaves and satisfaction surveys.
    Drawn from their own generator, so every other demo row stays as it was."""
    rng = random.Random(f"assessment:{g.scale}:{g.rng_seed}")
    for code, parent, zh, en, marks, method, arg, veto in SCHEME_ITEMS:
        g.emit("eval_items", (DEMO_SCHEME, code, parent, zh, en, f"{marks:g}", method, arg, veto))
    for round_id, name, kind, start, end in DEMO_ROUNDS:
        g.emit("eval_rounds", (round_id, name, kind, _iso(start), _iso(end), DEMO_SCHEME))
    manual = [(code, marks, veto == "true") for code, _p, _z, _e, marks, method, _a, veto in SCHEME_ITEMS if method == "manual"]
    for p in projects:
        running = p.status in ("active", "suspended")
        for round_id, _name, kind, _start, end in DEMO_ROUNDS:
            if not running or p.start > end:
                continue
            base = _TIER_SHARE[p.tier]
            evaluators = ["self"]
            if rng.random() < 0.85:
                evaluators.append("department")
            if kind == "annual" or rng.random() < 0.3:
                evaluators.append("third_party")
            org = rng.choice(THIRD_PARTIES)
            # Some units rate themselves far above what the others see (自评虚高).
            inflated = rng.random() < 0.25
            for evaluator in evaluators:
                lift = (0.4 if inflated else 0.06) if evaluator == "self" else (-0.12 if inflated else 0.0)
                who = {"self": p.province.name_zh + "试点单位", "department": p.province.name_zh + "主管部门",
                       "third_party": org}[evaluator]
                skip = evaluator != "self" and rng.random() < 0.05  # an evaluation left incomplete
                for i, (code, marks, veto) in enumerate(manual):
                    if skip and i == len(manual) - 1:
                        continue
                    share = min(1.0, max(0.0, rng.gauss(base + lift, 0.08)))
                    if veto and p.tier == "poor" and evaluator != "self" and rng.random() < 0.3:
                        share = rng.uniform(0.2, 0.55)  # a major risk left unprevented: the veto
                    g.emit("eval_scores", (round_id, p.project_id, evaluator, code, f"{round(marks * share * 2) / 2:g}",
                                           who, rng.choice(EVIDENCE)))
        if not running:
            continue
        for end in (date(2025, 6, 30), date(2025, 12, 31), date(2026, 6, 30)):
            if p.start > end:
                continue
            for respondent, centre in (("public", 0.91), ("enterprise", 0.87)):
                if rng.random() < 0.1:
                    continue
                sample = rng.choice((0, 60, 120, 200, 300)) if rng.random() < 0.03 else rng.choice((60, 120, 200, 300))
                rate = min(1.0, max(0.5, rng.gauss(centre - (0.08 if p.tier == "poor" else 0), 0.05)))
                g.emit("surveys", (p.project_id, _iso(end), respondent, sample, round(sample * rate)))


def generate(out_dir: Path, scale: int = 1, seed: int = 20260930) -> dict[str, int]:
    """Write the eight data-contract CSVs for `scale` × 160 projects into `out_dir`.

    Returns the number of data rows written per table."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        writers = {}
        for table in TABLES:
            if table in WORK_TABLES:
                continue
            f = stack.enter_context(open(out_dir / f"{table}.csv", "w", encoding="utf-8", newline=""))
            writers[table] = csv.writer(f, lineterminator="\n")
            writers[table].writerow(COLUMNS[table])
        counts = _Generator(writers, scale, seed).run()
    counts.update(_work(out_dir, seed))
    counts.update(promotion_and_places(out_dir, seed))
    return {t: counts.get(t, 0) for t in TABLES}


# Tasks, issues and risk reviews (issue 24) -----------------------------------------------------
# Drawn from their own generator (random.Random(f"tasks:{seed}")), after the other tables are
# written and from what they hold, so every row of the other tables stays exactly as it was.

GOALS = ("试点总体目标：形成可复制推广的制度成果", "试点总体目标：建成协同高效的运行机制")
SUB_PROJECTS = ("组织保障与制度建设", "数据共享平台建设", "业务流程再造", "标准规范制定", "应用场景推广", "评估与经验总结")
ACTIONS = ("制定实施方案", "成立工作专班", "完成需求调研", "接口标准发布", "平台上线试运行", "部门数据对接",
           "开展业务培训", "形成典型案例", "完成中期评估", "编制推广指南", "召开现场推进会", "完成系统等保测评")
DELIVERABLES = ("印发正式文件", "通过专家评审", "上线并稳定运行三个月", "形成书面报告", "覆盖全部牵头部门", "完成验收")
ISSUE_TEXT = {
    "meeting": "推进会指出跨部门协调机制运行不畅",
    "inspection": "督查发现部分任务台账更新不及时",
    "warning": "预警事项整改措施落实不到位",
    "assessment": "季度考核反映资金执行进度偏慢",
    "third_party": "第三方评估指出数据质量有待提升",
    "public": "群众反映线上办事流程仍需多次提交材料",
}
REVIEW_NOTES = ("应对措施按计划推进", "风险有所上升，已加强监测", "已召开专题会研究", "风险基本受控")


def _work(out_dir: Path, seed: int) -> dict[str, int]:
    rng = random.Random(f"tasks:{seed}")
    with open(out_dir / "projects.csv", encoding="utf-8", newline="") as f:
        projects = list(csv.DictReader(f))
    with open(out_dir / "risks.csv", encoding="utf-8", newline="") as f:
        risks = list(csv.DictReader(f))
    counts = dict.fromkeys(WORK_TABLES, 0)
    with ExitStack() as stack:
        writers = {}
        for table in WORK_TABLES:
            f = stack.enter_context(open(out_dir / f"{table}.csv", "w", encoding="utf-8", newline=""))
            writers[table] = csv.writer(f, lineterminator="\n")
            writers[table].writerow(COLUMNS[table])

        def emit(table: str, row: tuple) -> None:
            writers[table].writerow(row)
            counts[table] += 1

        for r in risks:
            _reviews(rng, r, emit)
        for p in projects:
            leaves = _tasks(rng, p, emit)
            _issues(rng, p, leaves, emit)
    return counts


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def _window(p: dict) -> tuple[date, date]:
    start, end = date.fromisoformat(p["start_date"]), date.fromisoformat(p["end_date"])
    return start, max(end, start + timedelta(days=180))


def _tasks(rng: random.Random, p: dict, emit) -> list[tuple[str, date, date]]:
    """A three-level tree of 10–40 nodes: the goal, 3–5 sub-projects splitting the pilot's window,
    each with 2–7 actions; actions due before the data date are mostly done on time."""
    start, end = _window(p)
    pid = p["project_id"]
    running = p["status"] in ("active", "suspended")
    n_sub = rng.randint(3, 5)
    goal = f"TK-{pid[3:]}-G"
    nodes: list[tuple] = []
    leaves: list[tuple[str, date, date]] = []
    span = (end - start).days
    for s in range(n_sub):
        s_start = start + timedelta(days=span * s // n_sub)
        s_end = start + timedelta(days=span * (s + 1) // n_sub)
        sub_id = f"{goal}{s + 1}"
        n_act = min(rng.randint(2, 7), 39 - len(nodes) - 1 - 2 * (n_sub - s - 1))  # at most 40 nodes
        for a in range(n_act):
            a_start = s_start + timedelta(days=(s_end - s_start).days * a // (n_act + 1))
            a_due = min(s_end, a_start + timedelta(days=rng.randint(30, 240)))
            done, progress = _action_outcome(rng, p, a_start, a_due, running)
            tid = f"{sub_id}-{a + 1}"
            nodes.append((tid, pid, sub_id, rng.choice(ACTIONS), _person(rng), a_start.isoformat(), a_due.isoformat(),
                          _iso(done), rng.choice(("1", "1", "2", "0.5")), progress, rng.choice(DELIVERABLES)))
            leaves.append((tid, a_start, a_due))
        done_dates = [n[7] for n in nodes[len(nodes) - n_act:]]
        sub_done = max(done_dates) if all(done_dates) else None  # done when every action is
        nodes.insert(len(nodes) - n_act, (sub_id, pid, goal, SUB_PROJECTS[s % len(SUB_PROJECTS)], _person(rng),
                                          s_start.isoformat(), s_end.isoformat(), sub_done, "1", None,
                                          rng.choice(DELIVERABLES)))
    subs_done = [n[7] for n in nodes if n[2] == goal]
    emit("tasks", (goal, pid, None, rng.choice(GOALS), p["lead_unit"], start.isoformat(), end.isoformat(),
                   max(subs_done) if all(subs_done) else None, "1", None, "试点目标全部实现并通过终期考核"))
    for node in nodes:
        emit("tasks", node)
    return leaves


def _action_outcome(rng: random.Random, p: dict, start: date, due: date, running: bool) -> tuple[date | None, str | None]:
    """When an action was done and its reported progress: past actions are done (some late); an
    action overdue by more than 30 days is rare (it turns a pilot amber), a recent one less so."""
    past_due = (DATA_DATE - due).days
    overdue_share = 0.01 if past_due > 30 else 0.25
    if p["status"] == "completed" or (past_due > 0 and rng.random() >= overdue_share):
        late = rng.random() < 0.15
        done = due + timedelta(days=rng.randint(1, 40)) if late else due - timedelta(days=rng.randint(0, 20))
        return min(max(done, start), DATA_DATE), "100"
    if start > DATA_DATE:
        return None, None
    planned = min(1.0, (DATA_DATE - start).days / max(1, (due - start).days))
    behind = rng.random() < 0.2
    value = planned * 100 * (rng.uniform(0.4, 0.75) if behind else rng.uniform(0.9, 1.05))
    return None, f"{min(95.0, max(0.0, value)):.0f}"


def _issues(rng: random.Random, p: dict, leaves: list[tuple[str, date, date]], emit) -> None:
    """0–6 issues a started pilot, from every source; most resolved and signed off within weeks."""
    start, _ = _window(p)
    if start >= DATA_DATE:
        return
    pid = p["project_id"]
    sources = ENUMS["issue_source"]
    for n in range(rng.randint(0, 6)):
        source = sources[(n + rng.randint(0, 5)) % len(sources)]
        raised = start + timedelta(days=rng.randint(0, (DATA_DATE - start).days))
        due = raised + timedelta(days=rng.choice((30, 45, 60, 90)))
        resolved = verified = None
        roll = rng.random()
        if roll < 0.7 or p["status"] == "completed":
            resolved = raised + timedelta(days=rng.randint(5, (due - raised).days + 20))
            if resolved > DATA_DATE:
                resolved = None
            elif rng.random() < 0.85:
                verified = resolved + timedelta(days=rng.randint(1, 30))
                verified = verified if verified <= DATA_DATE else None
        elif due < DATA_DATE - timedelta(days=30) and roll < 0.98:
            resolved = due - timedelta(days=rng.randint(0, 10))  # resolved, waiting to be signed off
        task = rng.choice(leaves)[0] if leaves and rng.random() < 0.6 else None
        emit("issues", (f"IS-{pid[3:]}-{n + 1:02d}", pid, task, source, ISSUE_TEXT[source], raised.isoformat(),
                        _person(rng), due.isoformat(), _iso(resolved), _iso(verified),
                        _person(rng) if verified else None))


def _reviews(rng: random.Random, r: dict, emit) -> None:
    """Quarterly reviews from the identification on: the score drifts a step now and then, the
    last review keeps the state the risk row has (so the programme's health stays what the other
    tables intend), and some open risks miss their last review (review overdue)."""
    if not r["identified_on"]:
        return
    on = date.fromisoformat(r["identified_on"]) + timedelta(days=91)
    p, i, status = int(r["probability"]), int(r["impact"]), r["status"]
    stop = DATA_DATE - timedelta(days=rng.choice((0, 0, 0, 120)) if status == "open" else 0)
    dates = []
    while on <= stop:
        dates.append(on)
        on += timedelta(days=91)
    for k, day in enumerate(dates):
        last = k == len(dates) - 1
        prob = p if last else max(1, min(5, p + rng.choice((0, 0, 0, 1, -1))))
        emit("risk_reviews", (r["risk_id"], day.isoformat(), prob, i, status,
                              rng.choice(ENUMS["risk_strategy"]), rng.choice(REVIEW_NOTES)))


# Places, cases and adoptions (issue 25) -----------------------------------------------------------
# Drawn from their own random generators after the rest is written, so every row above stays
# exactly what it was: the projects file gains its city and county codes, the cases and adoptions
# files their rows.

# New areas that are no division of their own: the counties they lie in.
NEW_AREAS = {"雄安新区": ("130638", "130629", "130632"), "两江新区": ("500105", "500112", "500109")}
COUNTY_SHARE = 0.6  # a city pilot run in one of the city's counties
# For a pilot counting for conversion (promotion phase or completed): the chance of a case, then
# its furthest maturity; deepening pilots sometimes have a draft or evaluated case already.
CASE_SHARE = 0.8
MATURITY_WEIGHT = {"draft": 0.15, "evaluated": 0.2, "recommended": 0.3, "adopted": 0.35}
EARLY_CASE_SHARE = 0.3
CASE_TITLES = {"mechanism": "协同工作机制", "technology": "技术解决方案", "model": "建设运营模式",
               "standard": "标准规范"}
ADOPTION_NOTES = ("全省推广", "在本地政务服务中复制应用", "纳入省级推广清单", "结合本地实际推广应用")


def _place_codes(rng: random.Random, province: str, city: str | None) -> tuple[str | None, str | None]:
    """A demo pilot's city and county codes from its written city (None: a provincial pilot)."""
    if not city:
        return None, None
    if city in NEW_AREAS:
        county = rng.choice(NEW_AREAS[city])
        return places.counties()[county].city_code, county
    found = places.resolve(province, None if province in MUNICIPALITIES else city,
                           city if province in MUNICIPALITIES else None)
    if found.problems:  # a county-level city written as the pilot's city (格尔木市)
        found = places.resolve(province, None, city)
    city_code, county = found.city_code, found.county_code
    if county is None and city_code is not None and rng.random() < COUNTY_SHARE:
        county = rng.choice(places.counties_of(city_code))
    return city_code, county


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _phase_on(windows: list[dict[str, str]], on: date) -> tuple[str, date | None]:
    """(phase on `on`, the promotion phase's start) from a pilot's phases.csv rows, as
    measures.sql's project_phase: the last phase started; after every end, promotion."""
    started, ends, promotion_start = None, [], None
    for w in windows:
        start = date.fromisoformat(w["actual_start"] or w["planned_start"])
        end = w["actual_end"] or w["planned_end"]
        ends.append(date.fromisoformat(end) if end else None)
        if w["phase"] == "promotion":
            promotion_start = start
        if start <= on:
            started = w["phase"]
    if ends and None not in ends and max(ends) < on:
        return "promotion", promotion_start
    return started or "launch", promotion_start


def promotion_and_places(out_dir: Path, seed: int) -> dict[str, int]:
    """The projects' city and county codes (projects.csv rewritten with two more columns), and the
    cases and adoptions of the pilots (cases.csv, adoptions.csv)."""
    rng = random.Random(f"places:{seed}")
    projects = _rows(out_dir / "projects.csv")
    for p in projects:
        p["city_code"], p["county_code"] = _place_codes(rng, p["province_code"], p["city"] or None)
    with open(out_dir / "projects.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow((*COLUMNS["projects"], *PLACE_COLUMNS))
        w.writerows([p[c] for c in (*COLUMNS["projects"], *PLACE_COLUMNS)] for p in projects)
    phases: dict[str, list[dict[str, str]]] = {}
    for row in _rows(out_dir / "phases.csv"):
        phases.setdefault(row["project_id"], []).append(row)
    rng = random.Random(f"cases:{seed}")
    provinces = sorted(places.division_provinces())
    cities_of: dict[str, list[str]] = {}
    for c in places.cities().values():
        cities_of.setdefault(c.province_code, []).append(c.code)
    counts = {"cases": 0, "adoptions": 0}
    with open(out_dir / "cases.csv", "w", encoding="utf-8", newline="") as cf, \
            open(out_dir / "adoptions.csv", "w", encoding="utf-8", newline="") as af:
        cases, adoptions = csv.writer(cf, lineterminator="\n"), csv.writer(af, lineterminator="\n")
        cases.writerow(COLUMNS["cases"])
        adoptions.writerow(COLUMNS["adoptions"])
        for p in projects:
            if p["status"] == "withdrawn":
                continue
            phase, promotion_start = _phase_on(phases.get(p["project_id"], []), DATA_DATE)
            if phase == "promotion" or p["status"] == "completed":
                if rng.random() >= CASE_SHARE:
                    continue
                top = rng.choices(list(MATURITY_WEIGHT), list(MATURITY_WEIGHT.values()))[0]
            elif phase == "deepening" and rng.random() < EARLY_CASE_SHARE:
                top = rng.choice(("draft", "evaluated"))
            else:
                continue
            place = p["name_zh"].removesuffix("试点项目")
            kinds = rng.sample(ENUMS["case_kind"], rng.randint(1, 2))
            for n, kind in enumerate(kinds, start=1):
                reached = ENUMS["case_maturity"][: ENUMS["case_maturity"].index(top) + 1]
                maturity = top if n == 1 else rng.choice(reached)
                recommended = None
                if maturity in ("recommended", "adopted"):
                    first = promotion_start or date.fromisoformat(p["start_date"])
                    span = max(0, (DATA_DATE - first).days - 60)
                    recommended = first + timedelta(days=rng.randint(0, span))
                level = (rng.choice(("local", "local", "industry", "national")) if kind == "standard"
                         else ("local" if rng.random() < 0.2 else "none"))
                case_id = f"CS-{p['project_id'][3:]}-{n}"
                cases.writerow((case_id, p["project_id"], place + CASE_TITLES[kind], kind, maturity,
                                _iso(recommended), level))
                counts["cases"] += 1
                if maturity != "adopted":
                    continue
                others = [c for c in provinces if c != p["province_code"]]
                for province in [p["province_code"], *rng.sample(others, rng.randint(0, 3))]:
                    city = rng.choice(sorted(cities_of[province])) if rng.random() < 0.5 else None
                    wait = rng.randint(30, max(30, (DATA_DATE - recommended).days))
                    adopted = recommended + timedelta(days=wait)
                    adoptions.writerow((case_id, province, city, _iso(min(adopted, DATA_DATE)),
                                        rng.choice(ADOPTION_NOTES)))
                    counts["adoptions"] += 1
    return counts
