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

import contextlib
import logging
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
    cannot follow from it; nothing named means anything may have changed."""
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
