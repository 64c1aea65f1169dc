"""The Data page and the CLI on one store file (issue 11): a `load` from a terminal while a
dashboard session has the store in use is applied, and the session's next run shows it."""

from tests.test_store_processes import cli, reading_file


def shown(at) -> str:
    return " ".join(str(v) for df in at.dataframe for v in df.value.to_numpy().ravel())


def test_the_cli_loads_while_a_dashboard_session_is_open(app, fixture_store_path, tmp_path):
    at = app("data", lang="en").run()
    assert not at.exception
    assert "r.csv" not in shown(at)
    upload = reading_file(tmp_path, "r.csv", "2026-09-30", 77)
    done = cli(fixture_store_path, "load", str(upload), env={"PILOTDASH_USER": "terminal"})  # local:terminal
    assert done.returncode == 0, done.stderr
    at.run()
    assert not at.exception
    assert "r.csv" in shown(at) and "terminal" in shown(at)


def test_another_process_write_is_never_answered_from_the_query_cache(fixture_store_path):
    """ui.query keeps results per data version; the version is read from the store, so a write by
    another process (here a plain subprocess through the store) is seen on the next query."""
    import subprocess
    import sys

    import streamlit as st

    from pilotdash import ui
    from pilotdash.store import ROOT
    from tests import fixtures

    st.cache_resource.clear()
    try:
        before = ui.query("project_list", as_of=fixtures.AS_OF)
        code = ("import sys; from pilotdash.store import Store; s = Store(sys.argv[1]); "
                "s.write(lambda w: w.execute(\"UPDATE projects SET name_en = 'Elsewhere' WHERE project_id = 'A'\"))")
        subprocess.run([sys.executable, "-c", code, str(fixture_store_path)], check=True, cwd=ROOT,
                       env={**__import__("os").environ, "PYTHONPATH": str(ROOT)}, timeout=120)
        after = ui.query("project_list", as_of=fixtures.AS_OF)
        assert "Elsewhere" not in set(before["name_en"])
        assert after.set_index("project_id").loc["A", "name_en"] == "Elsewhere"
    finally:
        st.cache_resource.clear()

