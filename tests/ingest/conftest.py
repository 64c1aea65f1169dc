"""Ingest tests run on the hand-checkable fixture store (tests/fixtures.py): projects A–D,
indicators P1, I1 (%), I3 (count), E1 (trips)."""

import pytest

from pilotdash.domain import TABLES


@pytest.fixture
def checksums(store):
    """A function returning every upload table's checksum plus the log's, to prove nothing changed."""

    def snap():
        return {t: store.table_checksum(t) for t in (*TABLES, "upload_log", "upload_changes")}

    return snap
