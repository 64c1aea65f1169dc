"""A refusal's values can be someone else's text (a row's key in a later upload, a file's name):
the Data page shows a Problem in st.warning / st.error, which read Markdown, so its values are
escaped there and shown as written, never as a link or an image the reader's browser fetches."""

from pilotdash.errors import Problem
from pilotdash.ui import upload_forms

KEY = "CS-1](https://evil.example/p.png)"


def test_a_later_uploads_key_is_shown_as_text_not_as_a_link(monkeypatch):
    monkeypatch.setattr(upload_forms, "lang", lambda: "en")  # outside a page run: no view to read
    words = upload_forms.error_text(Problem("ingest.err.later_dependents", upload_id=3, later="#5, #7", keys=f"![x]({KEY}"))
    assert "](https" not in words and "!\\[x\\]" in words
    assert "#3" in words or "\\#3" in words  # the translation's own words stay as they are


def test_every_page_element_that_reads_markdown_gets_the_escaped_problem():
    # Problem.markdown is what st.error/st.warning get on every page (warnings forms, people
    # forms, saved views, tasks and issues, the store's notices); the CLI and mail keep .text.
    problem = Problem("ingest.err.later_dependents", upload_id=3, later="#5", keys=f"![x]({KEY}")
    for lang in ("en", "zh"):
        assert "](https" in problem.text(lang)  # as typed, for plain-text readers
        assert "](https" not in problem.markdown(lang) and "!\\[x\\]" in problem.markdown(lang)


def test_no_page_shows_a_problem_as_markdown_unescaped():
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[1]
    shown = re.compile(r"st\.(error|warning|info|success|toast|markdown|caption)\([^)]*\.text\(")
    offenders = [f"{p.relative_to(root)}:{i}" for p in [*root.glob("pilotdash/**/*.py"), *root.glob("pages/*.py"), root / "app.py"]
                 for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if shown.search(line)]
    assert offenders == []
