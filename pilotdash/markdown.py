"""Someone else's text inside Markdown: Streamlit's alerts, captions and labels, and the robots'
Markdown messages render what they are given, so a pilot's name, a file name, a saved view's name,
a reason or a URL value would otherwise become a link to another site or an image the reader's
browser fetches. `escape` makes it text: every ASCII punctuation character backslash-escaped (the
CommonMark escape, so brackets, parentheses, `!`, `<`, `*`, `#`, `:` and the rest show as they
are and an address is not turned into a link), line breaks folded into one line."""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")


def escape(text: object) -> str:
    """`text` as Markdown that shows exactly its characters, on one line."""
    return _PUNCTUATION.sub(r"\\\1", _BREAKS.sub(" ", "" if text is None else str(text)))


# The robots' Markdown (企业微信, 钉钉) is a subset that does not promise CommonMark's backslash
# escapes, so there each character that starts a link, an image, emphasis, a heading, code or a
# table, and the colon of an address (a bare http:// is a link there), becomes its full-width
# twin: read the same, mean nothing.
_ROBOT = str.maketrans({"[": "［", "]": "］", "(": "（", ")": "）", "<": "＜", ">": "＞", "*": "＊",
                        "_": "＿", "`": "｀", "#": "＃", "!": "！", "~": "～", "|": "｜", ":": "：", "\\": "＼"})


def robot_text(text: object) -> str:
    """`text` for a robot's Markdown message: shown as it is, on one line."""
    return _BREAKS.sub(" ", "" if text is None else str(text)).translate(_ROBOT)


def escape_values(values: dict[str, object]) -> dict[str, str]:
    """A translation's values, each escaped (the translation's own words are trusted Markdown)."""
    return {k: escape(v) for k, v in values.items()}
