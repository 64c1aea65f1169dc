"""The one error type a person is told about: a code (a translation key) and its values.

Every refusal and every failure that reaches a page, the CLI or a mail is a `Problem`, so a page
shows `exc.text(lang)` and the CLI prints `str(exc)` (English) without knowing which module raised
it. `retry` marks what may work a moment later (the store busy, the hosted database gone away).

    raise Problem("access.not_allowed", action="approve")
    raise Problem("store.busy", retry=True)
"""

from __future__ import annotations

from .i18n import t
from .markdown import escape_values


class Problem(Exception):
    def __init__(self, code: str, *, retry: bool = False, **values: object):
        self.code = code
        self.values = values
        self.retry = retry
        super().__init__(code)

    def text(self, lang: str) -> str:
        """The message in `lang` (zh or en), as plain text (the CLI, a mail)."""
        return t(self.code, lang, **self.values)

    def markdown(self, lang: str) -> str:
        """The message for a page element that reads Markdown (st.error, st.warning): its values
        (a name, a file's name, a key someone typed) escaped, so they show as written and never
        become a link or an image; the translation's own words as they are."""
        return t(self.code, lang, **escape_values(self.values))

    def __str__(self) -> str:
        return self.text("en")


class WriterBusy(Problem):
    """Another write holds the store longer than the bounded wait (`store.writer_busy`); told
    apart from other problems where a caller simply tries again (a snapshot left to be built
    later, a test that holds the writer). Raised by both engines: the file and the lake."""
