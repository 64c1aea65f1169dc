"""The package's layers, written down once and checked: every import of every module (those
inside functions included, read with `ast`, not by importing) points down or sideways, never up;
nothing below ui imports Streamlit; no module imports Streamlit's private parts; and the modules
import each other without a circle.

Layers, bottom to top (CONTRIBUTING.md "Layers"): the pure domain ← the store ← the services ←
ui ← the top (pages, app.py, the CLI, hosting's server, the benchmark). A module is placed by its
longest prefix in LAYERS, so a new package (`pilotdash.tasks`) is placed by its name at once.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

DOMAIN, STORE, SERVICES, UI, TOP = range(5)
NAMES = ("domain", "store", "services", "ui", "top")

LAYERS = {
    # the pure domain: words, numbers, rules; no data, no I/O beyond reading the package's files
    "pilotdash": DOMAIN,  # the package's own __init__
    "pilotdash.domain": DOMAIN,
    "pilotdash.measures": DOMAIN,
    "pilotdash.i18n": DOMAIN,
    "pilotdash.filters": DOMAIN,
    "pilotdash.charts": DOMAIN,
    "pilotdash.errors": DOMAIN,
    "pilotdash.columns": DOMAIN,
    "pilotdash.definitions": DOMAIN,
    "pilotdash.definitions_doc": DOMAIN,
    "pilotdash.reference": DOMAIN,
    "pilotdash.config": DOMAIN,
    "pilotdash.slides": DOMAIN,  # which chart and numbers a slide shows: pure
    # the store: the one boundary to DuckDB, and what reads are made of
    "pilotdash.schema": STORE,
    "pilotdash.events": STORE,
    "pilotdash.scope": STORE,
    "pilotdash.snapshots": STORE,
    "pilotdash.named_queries": STORE,
    "pilotdash.store": STORE,
    "pilotdash.hosting": STORE,
    "pilotdash.hosting.lake": STORE,
    "pilotdash.hosting.pgcluster": STORE,
    "pilotdash.ingest.bulk": STORE,  # the contract CSVs into a writer: what `build` fills a store with
    # the services: what the dashboard and the CLI do with the data, without Streamlit
    "pilotdash.ingest": SERVICES,
    "pilotdash.submissions": SERVICES,
    "pilotdash.people": SERVICES,
    "pilotdash.policy": SERVICES,
    "pilotdash.audit": SERVICES,
    "pilotdash.access": SERVICES,
    "pilotdash.saved_views": SERVICES,
    "pilotdash.warnings": SERVICES,
    "pilotdash.exports": SERVICES,
    "pilotdash.meetings": SERVICES,
    "pilotdash.demo": SERVICES,
    "pilotdash.assessment": SERVICES,
    "pilotdash.tasks": SERVICES,
    "pilotdash.cases": SERVICES,
    # ui: everything that draws with Streamlit
    "pilotdash.ui": UI,
    "pilotdash.warnings.forms": UI,
    "pilotdash.warnings.view": UI,
    # the top: what runs
    "pilotdash.__main__": TOP,
    "pilotdash.cli": TOP,
    "pilotdash.cli_args": TOP,
    "pilotdash.people_commands": TOP,
    "pilotdash.submission_commands": TOP,
    "pilotdash.ingest.commands": TOP,
    "pilotdash.warnings.commands": TOP,
    "pilotdash.hosting.serve": TOP,
    "app": TOP,
    "pages": TOP,
    "bench": TOP,
}

# Streamlit's private parts: renamed or gone in any release, silently (issue 19).
PRIVATE = ("streamlit.runtime", "streamlit.elements", "streamlit.web", "streamlit.source_util",
           "streamlit.commands", "streamlit.navigation")


def layer(module: str) -> int:
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        if (prefix := ".".join(parts[:n])) in LAYERS:
            return LAYERS[prefix]
    raise KeyError(f"{module} has no layer: add it (or its package) to LAYERS in tests/test_layers.py")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def sources() -> dict[str, Path]:
    files = [*(ROOT / "pilotdash").rglob("*.py"), ROOT / "app.py", *(ROOT / "pages").glob("*.py"),
             *(ROOT / "bench").rglob("*.py")]
    return {module_name(p): p for p in sorted(files)}


def imports(module: str, path: Path) -> list[tuple[str, int]]:
    """Every module `module` imports (as a dotted name: `from .x import y` gives `pkg.x.y`, which
    names a module or a name in one), with its line, wherever the import statement is."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join([*base, *([node.module] if node.module else [])])
            else:
                origin = node.module or ""
            found += [(f"{origin}.{alias.name}", node.lineno) for alias in node.names]
    return found


def resolve(name: str, known: dict[str, Path]) -> str | None:
    """The module of ours a dotted import name lands in (`pilotdash.store.Store` → pilotdash.store)."""
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        if (prefix := ".".join(parts[:n])) in known:
            return prefix
    return None


SOURCES = sources()
GRAPH = {m: [(resolve(name, SOURCES), name, line) for name, line in imports(m, p)] for m, p in SOURCES.items()}


def test_every_module_has_a_layer():
    for module in SOURCES:
        layer(module)


def test_no_import_points_up():
    upward = [
        f"{SOURCES[m].relative_to(ROOT)}:{line}: {m} ({NAMES[layer(m)]}) imports {target} ({NAMES[layer(target)]})"
        for m, edges in GRAPH.items() for target, _, line in edges
        if target is not None and layer(target) > layer(m)
    ]
    assert upward == []


def test_nothing_below_ui_imports_streamlit():
    below = [
        f"{SOURCES[m].relative_to(ROOT)}:{line}: {name}"
        for m, edges in GRAPH.items() if layer(m) < UI
        for _, name, line in edges if name == "streamlit" or name.startswith("streamlit.")
    ]
    assert below == []


def test_no_streamlit_private_api():
    private = [
        f"{SOURCES[m].relative_to(ROOT)}:{line}: {name}"
        for m, edges in GRAPH.items()
        for _, name, line in edges if name.startswith(PRIVATE) or "._" in name and name.startswith("streamlit")
    ]
    assert private == []


def test_no_import_circles():
    edges = {m: {t for t, _, _ in out if t is not None and t != m and not m.startswith(t + ".")}
             for m, out in GRAPH.items()}
    # A package's __init__ importing its own modules is the package, not a circle.
    circles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(edges.get(m, ())):
            if state.get(t) == 1:
                circles.append(stack[stack.index(t):] + [t])
            elif t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            visit(m)
    assert circles == []


@pytest.mark.parametrize("upward", ["pilotdash.ui", "streamlit"])
def test_the_contract_can_fail(tmp_path, upward):
    # The check itself: a store module importing ui (or Streamlit), even inside a function, is found.
    path = tmp_path / "store.py"
    path.write_text(f"def f():\n    import {upward}\n", encoding="utf-8")
    names = [name for name, _ in imports("pilotdash.store", path)]
    assert names == [upward]
    target = resolve(upward, SOURCES)
    assert (target is not None and layer(target) > STORE) or upward == "streamlit"
