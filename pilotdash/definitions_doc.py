"""The Definitions page as a document, one per language (`python -m pilotdash definitions
--format md`; docs/definitions*.md are made by it, and a test keeps them current): the measures of
`pilotdash.definitions` with the names the pages show them under (`pilotdash.measures`)."""

from __future__ import annotations

from .definitions import CHOICES, MEASURES, THRESHOLD_ORDER, rule_key, threshold_words
from .domain import THRESHOLDS
from .i18n import t
from .measures import shown_as

# The committed documents, one per language (README links them).
DOCUMENTS = {"en": "docs/definitions.md", "zh": "docs/definitions.zh.md"}


def markdown(lang: str) -> str:
    """The Definitions page's measures and thresholds as a Markdown document, from the same
    registry and words (`python -m pilotdash definitions --format md`; docs/definitions*.md are
    made by it, and a test keeps them current)."""
    words = threshold_words(lang)
    lines = [f"# {t('page.definitions', lang)}", "", t("definitions.intro", lang), ""]
    for group, measures in MEASURES:
        lines += [f"## {t(f'definitions.group.{group}', lang)}", ""]
        for measure in measures:
            lines += [f"### {t(f'definitions.{measure}.name', lang)}", "", t(rule_key(measure), lang, **words), ""]
            if shown := shown_as(measure):
                names = t("phases.list_sep", lang).join(t(k, lang) for k in shown)
                lines += [f"*{t('view.shown_as', lang, names=names)}*", ""]
            if measure in CHOICES:
                lines += [f"**{t('definitions.choice_label', lang)}**: "
                          f"{t(f'definitions.{measure}.choice', lang, **words)}", ""]
    lines += [f"## {t('definitions.thresholds', lang)}", "", t("definitions.thresholds_note", lang), "",
              f"| {t('definitions.threshold', lang)} | THRESHOLDS | {t('definitions.value', lang)} |",
              "|---|---|---|"]
    lines += [f"| {t(f'definitions.th.{name}', lang)} | `{name}` | {THRESHOLDS[name]:g} |" for name in THRESHOLD_ORDER]
    return "\n".join(lines) + "\n"
