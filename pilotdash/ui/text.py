"""Words for codes, names and dates in the view's language, worked out once per distinct value."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from ..i18n import fmt_date, label, t
from ..markdown import escape as plain  # ui.plain: anyone's text inside a Markdown element
from .state import lang


def label_column(frame: pd.DataFrame, column: str, field: str) -> pd.Series:
    """The words for a column of codes: each distinct code looked up once."""
    language = lang()
    codes = frame[column]
    words = {code: label(field, code, language) for code in codes.dropna().unique()}
    return codes.map(words).where(codes.notna(), label(field, None, language))


def health_badge(code: str, language: str | None = None) -> str:
    """Health in words with a shape, so it never rests on colour alone (in `language`, or the
    view's: a download made after the run has no view)."""
    symbol = {"red": "✖", "amber": "▲", "green": "✔"}.get(code, "·")
    return f"{symbol} {label('health', code, language or lang())}"


def reasons_text(reasons: Sequence[str], language: str | None = None) -> str:
    language = language or lang()
    return "；".join(t(f"reason.{r}", language) for r in reasons) if language == "zh" else \
        "; ".join(t(f"reason.{r}", language) for r in reasons)


def project_name(row: pd.Series) -> str:
    name_en = row.get("name_en")
    if lang() == "en" and isinstance(name_en, str) and name_en:
        return name_en
    return row["name_zh"]


def local_names(frame: pd.DataFrame, language: str | None = None, zh: str = "name_zh",
                en: str = "name_en") -> pd.Series:
    """Column `en` of each row where the view is in English and it holds a name, else column
    `zh` (pilots, indicators, provinces: the one rule for a name in the view's language)."""
    chinese = frame[zh]
    if (language or lang()) != "en" or en not in frame:
        return chinese
    english = frame[en]
    return english.where(english.notna() & (english.astype("string").str.len() > 0), chinese)


def project_names(frame: pd.DataFrame, language: str | None = None) -> list[str]:
    """`local_names` of every row as a list, in one pass (tables may hold 16,000 pilots)."""
    return local_names(frame, language).tolist()


def words(values: pd.Series | pd.DataFrame | Iterable[object], word: Callable[[object], str]) -> list[str]:
    """`word(v)` for each value, worked out once per distinct value: a table of 160,000 rows
    holds a few dozen codes, and each lookup of the view's language costs a session-state read.
    A DataFrame gives `word` each row's values as a tuple."""
    if isinstance(values, (pd.Series, pd.DataFrame)) and len(values):
        frame = values.to_frame() if isinstance(values, pd.Series) else values
        key, size = np.zeros(len(frame), dtype=np.int64), 1
        for column in range(frame.shape[1]):
            codes, uniques = pd.factorize(frame.iloc[:, column], use_na_sentinel=True)
            size *= len(uniques) + 1
            key = key * (len(uniques) + 1) + (codes + 1)
        if size < 2 ** 62:
            _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
            keys = list(frame.iloc[first].itertuples(index=False, name=None))  # the values themselves
            texts = [word(k[0] if isinstance(values, pd.Series) else k) for k in keys]
            return np.asarray(texts, dtype=object)[inverse.ravel()].tolist()
        values = values.tolist() if isinstance(values, pd.Series) else frame.itertuples(index=False, name=None)
    memo: dict[object, str] = {}
    return [memo[v] if v in memo else memo.setdefault(v, word(v)) for v in values]


def date_texts(values: pd.Series) -> list[str]:
    """`date_text` of every value of a column."""
    language = lang()
    return words(values, lambda d: fmt_date(d, language))


def date_text(value: object) -> str:
    return fmt_date(value, lang())


def count(value: object) -> str:
    return f"{int(value):,}" if not pd.isna(value) else "—"
