"""A fixture store small enough to check every measure by hand.

As of D = 2026-06-30 (the numbers in the tests' comments are worked out from these rows):

    project  province  belt     phase on D   status     notes
    A        11        east     deepening    active     amber: overdue 15 d, behind, low exec, SPI
    B        51        west     launch       active     red: overdue 91 d, overspend
    C        14        central  promotion    withdrawn  red: open red risk
    D        11        east     launch       suspended  no data at all: green, every ratio "—"
"""

from __future__ import annotations

import atexit
import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from pilotdash.store import Store

AS_OF = dt.date(2026, 6, 30)

INDICATORS = [
    # code, name_zh, name_en, category, unit, direction, national_target
    ("P1", "跨部门政策协同率", "Cross-department policy coordination rate", "policy_innovation", "%", "higher", 80),
    ("I1", "行业数据共享率", "Industry data sharing rate", "industry_breakthrough", "%", "higher", 60),
    ("I3", "新业态培育数量", "New business models fostered", "industry_breakthrough", "个", "higher", 5),
    ("E1", "群众平均跑动次数", "In-person trips per case", "service_efficiency", "次", "lower", 0.3),
]

PROJECTS = [
    # id, name_zh, name_en, domain, pilot_type, province, city, lead_unit, batch, start, end, status
    ("A", "北京数字经济试点", "Beijing digital economy pilot", "digital_economy", "basic", "11", "北京",
     "北京市发展和改革委员会", 2024, "2024-01-01", "2028-12-31", "active"),
    ("B", "成都智慧城市试点", "Chengdu smart city pilot", "smart_city", "exploratory", "51", "成都",
     "成都市大数据管理局", 2025, "2025-01-01", "2029-12-31", "active"),
    ("C", "太原医疗健康试点", None, "healthcare", "demonstration", "14", "太原",
     "太原市卫生健康委员会", 2023, "2023-01-01", "2025-12-31", "withdrawn"),
    ("D", "北京教育试点", "Beijing education pilot", "education", "basic", "11", "北京",
     "北京市教育委员会", 2025, "2025-06-01", "2029-12-31", "suspended"),
]

PHASES = [
    # project, phase, planned_start, planned_end, actual_start, actual_end
    ("A", "launch", "2024-01-01", "2025-06-30", "2024-01-01", "2025-08-31"),
    ("A", "deepening", "2025-07-01", "2026-12-31", "2025-09-01", None),
    ("A", "promotion", "2027-01-01", "2028-12-31", None, None),
    ("B", "launch", "2025-01-01", "2026-12-31", "2025-01-01", None),
    ("B", "deepening", "2027-01-01", "2027-12-31", None, None),
    ("C", "launch", "2023-01-01", "2023-12-31", "2023-01-01", "2023-12-31"),
    ("C", "deepening", "2024-01-01", "2024-12-31", "2024-01-01", "2024-12-31"),
    ("C", "promotion", "2025-01-01", "2025-12-31", "2025-01-01", "2025-12-31"),
]

MILESTONES = [
    # id, project, phase, name, kind, due, done
    ("m1", "A", "launch", "领导小组成立", "organisation", "2025-06-30", "2025-06-15"),  # on time
    ("m2", "A", "deepening", "平台上线", "progress", "2025-12-31", "2026-02-01"),  # late
    ("m3", "A", "deepening", "中期评估", "outcome", "2026-06-15", None),  # overdue 15 days
    ("m4", "A", "promotion", "经验推广", "benefit", "2026-12-31", None),  # upcoming
    ("m5", "B", "launch", "方案批复", "organisation", "2026-03-31", None),  # overdue 91 days
    ("m6", "B", "launch", "风险排查", "risk", "2026-06-30", "2026-07-15"),  # due on D: upcoming
]

TARGETS = [
    # indicator, value, project, province, belt, phase
    ("E1", 0.25, None, None, "east", None),
    ("P1", 75, None, None, "west", None),
    ("I3", 0, "A", None, None, None),
]

READINGS = [
    # project, indicator, period_end, actual
    ("A", "P1", "2026-03-31", 60),
    ("A", "P1", "2026-06-30", 66),
    ("A", "P1", "2026-09-30", 99),  # after D: not counted
    ("A", "E1", "2026-06-30", 0.3),
    ("A", "I3", "2026-06-30", 3),
    ("A", "I1", "2026-06-30", 65),
    ("B", "E1", "2026-05-31", 0),
    ("B", "P1", "2026-06-30", 74),
    ("B", "I3", "2026-06-30", 1),
    ("B", "I1", "2026-09-30", 50),  # only after D: no data on D
    ("C", "I1", "2025-12-31", 70),
    ("C", "P1", "2025-12-31", 50),
]

BUDGET_LINES = [
    # project, year, source, category, allocated, disbursed, spent
    ("A", 2025, "central", "hardware", 100, 100, 80),
    ("A", 2026, "local", "software", 100, 50, 20),
    ("A", 2027, "central", "reserve", 50, 0, 0),  # after D's year: in BAC only
    ("B", 2026, "central", "software", 200, 100, 120),  # overspend
    ("B", 2026, "social", "training", 0, 0, 0),
    ("C", 2024, "central", "hardware", 0, 0, 0),
]

RISKS = [
    # id, project, category, description, probability, impact, status, owner, identified_on
    ("r1", "A", "policy", "政策调整", 3, 5, "mitigated", "张三", "2025-03-01"),  # 15, not open
    ("r2", "A", "technical", "系统集成延期", 2, 4, "open", "李四", "2025-09-01"),  # 8 orange, open
    ("r3", "A", "market", "供应商退出", 5, 5, "open", "王五", "2026-08-01"),  # after D
    ("r4", "B", "social", "群众接受度", 1, 3, "open", "赵六", "2026-01-10"),  # 3 low
    ("r5", "C", "management", "牵头单位变更", 4, 4, "open", "钱七", "2025-06-01"),  # 16 red
]

ROWS = {
    "indicators": INDICATORS,
    "projects": PROJECTS,
    "phases": PHASES,
    "milestones": MILESTONES,
    "targets": TARGETS,
    "readings": READINGS,
    "budget_lines": BUDGET_LINES,
    "risks": RISKS,
}


def fill(store: Store, rows: dict[str, list[tuple]] = ROWS) -> Store:
    with store.writing() as cur:
        for table, table_rows in rows.items():
            if table_rows:
                # the table's first columns: columns added later (a projects' city_code) stay empty
                names = [r[0] for r in cur.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND NOT internal "
                    "ORDER BY column_index", [table]).fetchall()][: len(table_rows[0])]
                marks = ", ".join("?" for _ in table_rows[0])
                cur.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", table_rows)
    return store


def run_named(path: Path, name: str, params: dict) -> pd.DataFrame:
    """Named query `name` on the store at `path` (opened and closed around it)."""
    from pilotdash import named_queries
    from pilotdash.store import open_store

    store = open_store(path)
    try:
        return named_queries.run(store, name, params)
    finally:
        store.close()


def make_store(path: Path) -> Store:
    """The fixture store at `path`. Built once per test process and schema (the macros follow
    THRESHOLDS, which a test may change) and copied: about 900 tests take a fresh one, and
    building it (schema, macros, rows) costs 5-8 times a copy. The copy then gets a data version
    of its own, as a build would, so no cache keyed by the version mistakes it for another's."""
    path = Path(path)
    if path.exists():  # filling a store that is already there: what the build did
        return fill(Store(path))
    from pilotdash.schema import schema_digest

    digest = schema_digest()
    if digest not in _templates:
        if not _templates:
            _template_dir.append(Path(tempfile.mkdtemp(prefix="pilotdash-fixture-")))
            atexit.register(shutil.rmtree, _template_dir[0], True)
        template = _template_dir[0] / f"fixture-{digest}.duckdb"
        fill(Store(template)).close()
        _templates[digest] = template
    shutil.copyfile(_templates[digest], path)
    store = Store(path)
    with store.writing():  # bumps the data version
        pass
    return store


_templates: dict[str, Path] = {}  # schema digest -> the fixture store built for it
_template_dir: list[Path] = []  # made on first use, removed when the process ends


def write_config(path, **sections: dict) -> None:
    """The dashboard's configuration file (`pilotdash.config`) with these sections, e.g.
    write_config(p, auth={...}, pilotdash={"first_admin": "x@example.cn"}). Strings, numbers and
    booleans only: what the tests configure."""
    def value(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, float)):
            return repr(v)
        return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = []
    for name, values in sections.items():
        lines.append(f"[{name}]")
        lines += [f"{k} = {value(v)}" for k, v in values.items()]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
