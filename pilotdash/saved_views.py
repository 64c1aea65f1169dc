"""Saved views 常用视图: a team's named links to views, kept in the store.

A saved view is only a link: a page's url path and the view's canonical URL parameters
(`ViewState.query_params()`). It is parsed again, strictly, when opened, so a saved view can
never carry more than a URL can; session state and sign-in state are never stored. Names are
trimmed, 1–60 characters, and unique ignoring case. Everyone sees the list; a view is renamed or
deleted only by the person who saved it or an admin (checked here, in the write, not by hiding
the buttons).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping

from .filters import FILTERS, PAGE_PARAMS
from .store import Store

NAME_MAX = 60

# The parameters a saved view may hold: exactly those of a view's URL.
_KNOWN = {"lang", "as_of", *FILTERS, *PAGE_PARAMS}


class ViewNameError(ValueError):
    """A name that cannot be saved; `key` and `values` are its translated message."""

    def __init__(self, key: str, **values: object):
        super().__init__(key)
        self.key = key
        self.values = values


@dataclasses.dataclass(frozen=True)
class SavedView:
    view_id: int
    name: str
    page: str
    params: dict[str, str]
    saved_by: str
    saved_at: dt.datetime
    updated_at: dt.datetime


def clean_params(params: Mapping[str, object]) -> dict[str, str]:
    """Only a view's URL parameters, as text; anything else is dropped."""
    return {str(k): str(v) for k, v in params.items() if k in _KNOWN and v not in (None, "")}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


def _check_name(cur, name: str, exclude_id: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ViewNameError("views.name_empty")
    if len(name) > NAME_MAX:
        raise ViewNameError("views.name_too_long", max=NAME_MAX, n=len(name))
    taken = cur.execute(
        "SELECT name FROM saved_views WHERE lower(name) = lower(?) AND view_id IS DISTINCT FROM ?",
        [name, exclude_id],
    ).fetchone()
    if taken:
        raise ViewNameError("views.name_taken", name=taken[0])
    return name


def validate_name(store: Store, name: str, exclude_id: int | None = None) -> str:
    """The trimmed name, or ViewNameError saying why it cannot be used."""
    with store.read() as r:
        return _check_name(r, name, exclude_id)


def may_change(view: SavedView, by) -> bool:
    """Whether `by` (a people.Person, or None) may rename or delete `view`: its saver, an admin,
    or the single user of a dashboard without sign-in."""
    if by is None or by.disabled:
        return False
    return by.single_user or by.may("admin") or view.saved_by.strip().lower() == by.email.strip().lower()


def _check_owner(cur, view_id: int, by) -> None:
    rows = cur.execute(f"SELECT {_COLUMNS} FROM saved_views WHERE view_id = ?", [view_id]).fetchall()
    if not rows:
        raise ViewNameError("views.gone")
    view = _row(rows[0])
    if not may_change(view, by):
        raise ViewNameError("views.not_yours", who=view.saved_by)


def _row(row: tuple) -> SavedView:
    view_id, name, page, params, saved_by, saved_at, updated_at = row
    try:
        loaded = json.loads(params)
    except ValueError:
        loaded = {}
    return SavedView(view_id, name, page, clean_params(loaded if isinstance(loaded, dict) else {}),
                     saved_by, saved_at, updated_at)


_COLUMNS = "view_id, name, page, params, saved_by, saved_at, updated_at"


def list_views(store: Store) -> list[SavedView]:
    """Every saved view, the most recently saved or renamed first."""
    rows = store.rows(f"SELECT {_COLUMNS} FROM saved_views ORDER BY updated_at DESC, view_id DESC")
    return [_row(r) for r in rows]


def get(store: Store, view_id: int) -> SavedView | None:
    rows = store.rows(f"SELECT {_COLUMNS} FROM saved_views WHERE view_id = ?", [view_id])
    return _row(rows[0]) if rows else None


def save(store: Store, name: str, page: str, params: Mapping[str, object], saved_by: str) -> SavedView:
    """Save a view under a new name (checked under the write lock, so two people cannot take
    the same name at once)."""
    with store.writing(data_change=False) as cur:
        name = _check_name(cur, name)
        view_id = cur.execute("SELECT coalesce(max(view_id), 0) + 1 FROM saved_views").fetchone()[0]
        now = _now()
        cur.execute("INSERT INTO saved_views VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [view_id, name, page, json.dumps(clean_params(params), sort_keys=True),
                     saved_by or "local", now, now])
    return get(store, view_id)


def rename(store: Store, view_id: int, name: str, by) -> SavedView:
    """Rename a view; `by` (a people.Person) must be its saver or an admin (`may_change`)."""
    with store.writing(data_change=False) as cur:
        _check_owner(cur, view_id, by)
        name = _check_name(cur, name, exclude_id=view_id)
        cur.execute("UPDATE saved_views SET name = ?, updated_at = ? WHERE view_id = ?",
                    [name, _now(), view_id])
    return get(store, view_id)


def delete(store: Store, view_id: int, by) -> None:
    """Delete a view; `by` must be its saver or an admin (`may_change`)."""
    with store.writing(data_change=False) as cur:
        _check_owner(cur, view_id, by)
        cur.execute("DELETE FROM saved_views WHERE view_id = ?", [view_id])
