"""The definitions document is made from the Definitions page's registry and words, and the
committed copies are current (`python -m pilotdash definitions --format md [--lang zh]`)."""

import pytest

from pilotdash import definitions_doc as definitions
from pilotdash.i18n import t
from pilotdash.store import ROOT


@pytest.mark.parametrize("lang", sorted(definitions.DOCUMENTS))
def test_the_committed_document_is_current(lang):
    committed = (ROOT / definitions.DOCUMENTS[lang]).read_text(encoding="utf-8")
    assert committed == definitions.markdown(lang), (
        f"run: .venv/bin/python -m pilotdash definitions --format md --lang {lang} > {definitions.DOCUMENTS[lang]}")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_measure_and_threshold_is_in_it(lang):
    doc = definitions.markdown(lang)
    for _, measures in definitions.MEASURES:
        for measure in measures:
            assert t(f"definitions.{measure}.name", lang) in doc
    for name in definitions.THRESHOLD_ORDER:
        assert f"`{name}`" in doc
    assert "domain.md" not in doc  # the product carries its own definitions
