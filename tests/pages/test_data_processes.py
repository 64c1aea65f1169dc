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
    done = cli(fixture_store_path, "load", str(upload), "--user", "terminal")
    assert done.returncode == 0, done.stderr
    at.run()
    assert not at.exception
    assert "r.csv" in shown(at) and "terminal" in shown(at)
