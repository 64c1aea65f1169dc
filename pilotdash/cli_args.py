"""What the command families share (`cli`, `ingest.commands`, `warnings.commands`, ...): the
store a read command opens, limited to the --as person's scope, and the mark of a command that
honours --as. Its own module, so that `cli` imports the families and none of them imports `cli`."""

from __future__ import annotations

import argparse

from . import scope as scope_mod
from .store import open_store


def reading_store(args: argparse.Namespace, build_if_missing: bool = True):
    """The store for a read command: limited to the --as person's scope when one was given."""
    store = open_store(args.store, build_if_missing=build_if_missing)
    person = getattr(args, "person", None)
    return scope_mod.limited(store, person.scope) if person is not None else store


def reads_as(func):
    """Mark a command that honours --as (it opens its store with `reading_store`)."""
    func.reads_as = True
    return func
