"""A tab set without a key is known to the browser by its place in the page: when a notice above
it comes or goes between two runs (an upload's scores still being updated, a one-run notice), the
browser draws it afresh on its first tab, and whatever the person was doing in another tab (a
rollback in the Data page's History, a sign-off in an Issues tab) vanishes under them. The CI run
of session 9 caught it (tests/browser/test_data.py::test_upload_apply_and_roll_back). So every tab
set a person works in has a key; only the preview's row tabs, which hold tables and open on the
tab with rows each time, may be drawn afresh."""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
REDRAWN_ON_PURPOSE = {"pilotdash/ui/upload_forms.py"}  # row_tabs: tables only, opens where the rows are


def _tab_sets_without_key(root=ROOT):
    for path in [*root.glob("pilotdash/**/*.py"), *root.glob("pages/*.py"), root / "app.py"]:
        if not path.exists():
            continue
        relative = str(path.relative_to(root))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "tabs"
                    and not any(k.arg == "key" for k in node.keywords) and relative not in REDRAWN_ON_PURPOSE):
                yield f"{relative}:{node.lineno}"


def test_every_tab_set_a_person_works_in_has_a_key():
    assert list(_tab_sets_without_key()) == []


def test_the_check_finds_an_unkeyed_tab_set(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "p.py").write_text('a, b = st.tabs(["x", "y"])\nc, d = st.tabs(["x", "y"], key="k")\n')
    assert list(_tab_sets_without_key(tmp_path)) == ["pages/p.py:1"]
