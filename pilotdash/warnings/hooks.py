"""What follows every data change for the warnings (subscribed to `pilotdash.events` when this
module is imported, which importing anything of `pilotdash.warnings` does): the warnings are
recomputed for the default as-of date, in the same process, after the change's transaction has
committed, and new notices are handed to a background delivery. Nothing here may fail or hold up
the change: any error is logged and left for the next recompute
(`python -m pilotdash warnings recompute`)."""

from __future__ import annotations

import atexit
import logging
import threading

from .. import events
from ..assessment import scoring
from . import ledger, notify

log = logging.getLogger(__name__)
_deliveries: list[threading.Thread] = []


@events.on_data_change(order=events.SCORES)
def rescore_after_data_change(store, deliver: bool = True, tables: tuple[str, ...] = ()) -> None:
    """The assessment rounds first: a pilot's latest grade is a warning condition and part of
    health, which the snapshots hold. `tables`: what a write outside the uploads changed (the
    uploads and rollbacks since the last scoring are read from the upload log); nothing named and
    no upload: everything may have."""
    try:
        scoring.rescore(store, tables)
    except Exception:  # never fail an upload that has already committed
        log.exception("scoring the assessment rounds after a data change failed")


@events.on_data_change(order=events.WARNINGS)
def after_data_change(store, deliver: bool = True, tables: tuple[str, ...] = ()) -> None:
    """The warnings for the default as-of date, and their notices handed to a background delivery."""
    try:
        result = ledger.recompute(store)
    except Exception:  # never fail an upload that has already committed
        log.exception("recomputing the warnings after a data change failed")
        return
    if deliver and result.notices:
        thread = threading.Thread(target=_deliver, args=(store,), name="warning-delivery", daemon=True)
        _deliveries.append(thread)
        thread.start()


def _deliver(store) -> None:
    try:
        notify.deliver_due(store)
    except Exception:
        log.exception("delivering warning notices failed; they stay pending")


def wait_for_deliveries(timeout: float = 30.0) -> None:
    """Wait for background deliveries started in this process (tests; and at exit, so a CLI
    upload does not end in the middle of a send: a notice sent but not yet marked would go twice)."""
    while _deliveries:
        _deliveries.pop().join(timeout)


atexit.register(wait_for_deliveries)
