"""The one "data changed" event: what follows every change of the data, whoever made it.

The file build, the lake build, every applied upload, approval and rollback call
`data_changed(store)` after their write has committed; what must follow a change subscribes
once, when its module is imported: the assessment rounds' scores (`pilotdash.assessment.scoring`),
the measure snapshots (`pilotdash.snapshots`) and the warnings (`pilotdash.warnings.hooks`). So
every way of changing the data refreshes the same things, and the store never imports the
services that react to it. Subscribers run by their `order`, then in the order they subscribed:
the scores first (a new score moves the data version, which makes every snapshot stale: built
before it, the snapshots were built twice, 5 s at 100x), the snapshots next (they read the
grades), the warnings last (they read both). One that fails is logged and the others still run:
the change itself is already stored.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import threading
from collections.abc import Callable, Iterator

log = logging.getLogger(__name__)

Subscriber = Callable[..., None]  # (store, deliver: bool, tables: tuple[str, ...])
_subscribers: list[Subscriber] = []
_orders: dict[tuple[str, str], int] = {}

# The orders of the subscribers that come with the package (see the module docstring).
SCORES, SNAPSHOTS, WARNINGS = 10, 20, 30


def on_data_change(fn: Subscriber | None = None, *, order: int = 50):
    """Subscribe `fn(store, deliver, tables)` (once, however often its module is reloaded by name);
    as `@on_data_change` or `@on_data_change(order=N)`: lower orders run first."""
    if fn is None:
        return lambda f: on_data_change(f, order=order)
    key = (fn.__module__, fn.__qualname__)
    _orders[key] = order
    _subscribers[:] = [s for s in _subscribers if (s.__module__, s.__qualname__) != key]
    _subscribers.append(fn)
    _subscribers.sort(key=lambda s: _orders.get((s.__module__, s.__qualname__), 50))  # stable
    return fn


def data_changed(store, deliver: bool = True, tables: tuple[str, ...] = ()) -> None:
    """After a committed change: every subscriber, in order. `deliver=False` (a build) computes
    without sending anything (no notices mailed for a store built afresh). `tables`: what a write
    outside the uploads changed (an issue resolved in place), so a subscriber may skip work that
    cannot follow from it; nothing named means anything may have changed. Inside `deferred()` (on
    this thread) the change is kept for its block to run later instead."""
    # Followed on the whole store, whoever's view of it made the change: the warnings are raised
    # programme-wide at the programme's default date (each subscriber's notices are limited to
    # its own scope when sent), never at one office's default date over every pilot.
    store = getattr(store, "base", store)
    kept = getattr(_local, "deferred", None)
    if kept is not None:
        kept.changes.append((store, deliver, tuple(tables)))
        return
    _run(store, deliver, tables)


def _run(store, deliver: bool, tables: tuple[str, ...]) -> None:
    for fn in list(_subscribers):
        try:
            fn(store, deliver, tables)
        except Exception:  # never fail a change that has already committed
            log.exception("%s.%s after a data change failed", fn.__module__, fn.__qualname__)


@contextlib.contextmanager
def replaced(*subscribers: Subscriber) -> Iterator[None]:
    """Within the block only `subscribers` follow a change (a benchmark timing one of them apart
    from the others); afterwards those subscribed before."""
    kept = list(_subscribers)
    _subscribers[:] = list(subscribers)
    try:
        yield
    finally:
        _subscribers[:] = kept


# Following a change after the answer -------------------------------------------------------------
#
# What follows a large upload takes longer than the upload (at 100x a 1M-row file is stored in
# ~6 s; scoring its rounds, the snapshots and the warnings take ~15 s more). The Data page answers
# the analyst when the rows are stored and runs the rest in a background thread: `deferred()`
# collects the changes its block makes, `Deferred.in_background` runs them. One follow-up at a
# time in a process (they write; the store lets one writer in anyway), and `following()` says
# whether one is under way, so pages can say their warnings and scores are being brought up to
# date. The changes stored while one is under way wait for it, and the next to begin follows them
# all at once (each follow-up reads the data as it then is: three uploads at month's end are
# followed twice, not three times, ~15 s each at 100x). Whoever else changes data (the CLI, the
# build) follows at once, as before.

_local = threading.local()
_one_at_a_time = threading.Lock()
_state_lock = threading.Lock()
_started: list[threading.Thread] = []
_under_way = 0
# the follow-ups asked for and not yet begun, with what to do after each: the next to begin takes all
_waiting: list[tuple[tuple[object, bool, tuple[str, ...]], Callable[[], None] | None]] = []
_exit_waits: list[bool] = []  # whether the process's exit waits for follow-ups (registered once)
EXIT_WAIT = 120.0  # seconds the exit waits for them: a 100x upload is followed in ~15 s


class Deferred:
    """The changes a `deferred()` block committed, to be followed later."""

    def __init__(self) -> None:
        self.changes: list[tuple[object, bool, tuple[str, ...]]] = []

    def merged(self) -> tuple[object, bool, tuple[str, ...]] | None:
        """One follow-up for all of them (a cascade rollback is several changes of one store):
        delivered if any was, and all tables if any named none."""
        if not self.changes:
            return None
        store = self.changes[0][0]
        deliver = any(d for _, d, _ in self.changes)
        named = [t for _, _, t in self.changes]
        tables = () if any(not t for t in named) else tuple(dict.fromkeys(x for t in named for x in t))
        return store, deliver, tables

    def in_background(self, on_done: Callable[[], None] | None = None) -> threading.Thread | None:
        """Run the follow-up in a thread, then `on_done` (a page's caches cleared); None when the
        block changed nothing."""
        merged = self.merged()
        if merged is None:
            return None
        global _under_way
        thread = threading.Thread(target=_follow, name="data-change-follow-up", daemon=True)
        with _state_lock:
            _under_way += 1
            _waiting.append((merged, on_done))
            # a server follows changes for weeks: only the threads still running are kept
            _started[:] = [t for t in _started if t.is_alive()] + [thread]
            thread.start()  # started before settle() can see it
            if not _exit_waits:
                # A daemon thread is cut off at exit: a server stopped just after an upload lost
                # its scores, snapshots and warnings, and a DuckDB connection still in use by the
                # thread aborted the process. Registered now, not on import, because exit
                # handlers run last-registered first: this wait runs before the store closes its
                # lingering handles and before the warnings' deliveries are waited for, both
                # registered when their modules were imported, and both of which a follow-up uses.
                atexit.register(settle, EXIT_WAIT)
                _exit_waits.append(True)
        return thread


def _follow() -> None:
    global _under_way
    try:
        with _one_at_a_time:
            with _state_lock:  # every change stored by now: followed together (none left: done)
                taken, _waiting[:] = list(_waiting), []
            by_store: dict[int, Deferred] = {}
            for (store, deliver, tables), _ in taken:
                by_store.setdefault(id(store), Deferred()).changes.append((store, deliver, tables))
            for kept in by_store.values():
                _run(*kept.merged())
        # before following() says it is done: a page drawn in between read the results of
        # before the follow-up, without the notice that says they are being brought up to date
        for _, on_done in taken:
            if on_done is not None:
                try:
                    on_done()
                except Exception:
                    log.exception("after following a data change")
    finally:
        with _state_lock:
            _under_way -= 1


@contextlib.contextmanager
def deferred() -> Iterator[Deferred]:
    """Within the block, on this thread, the changes' follow-ups are kept, not run (see above)."""
    kept = Deferred()
    outer = getattr(_local, "deferred", None)
    _local.deferred = kept
    try:
        yield kept
    finally:
        _local.deferred = outer


def following() -> bool:
    """Whether a change's follow-up is under way in this process."""
    with _state_lock:
        return _under_way > 0


def settle(timeout: float = 120.0) -> None:
    """Wait for the follow-ups started in this process (tests; the process's exit)."""
    while True:
        with _state_lock:
            if not _started:
                return
            thread = _started.pop()
        thread.join(timeout)
