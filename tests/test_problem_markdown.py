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
