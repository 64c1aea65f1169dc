"""Saved views 常用视图: a team's named links to views, kept in the store.

A saved view is only a link: a page's url path and the view's canonical URL parameters
(`ViewState.query_params()`). It is parsed again, strictly, when opened, so a saved view can
never carry more than a URL can; session state and sign-in state are never stored. Names are
trimmed, 1–60 characters, and unique ignoring case.

Who may, asked of the access policy (pilotdash/policy.py), here and not by hiding buttons: a
person sees their own views and those whose filters lie within their scope (`visible_to`: a view's
pilot, provinces or belts as a scope, `view_scope`; no such filter: the whole country); a view is
renamed or deleted only by its saver or an admin. Saving, renaming and deleting are audited, and a
refusal too. Only admins are shown who saved a view (the page's concern).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping

from . import audit, policy
from .errors import Problem
from .filters import FILTERS, PAGE_PARAMS
from .reference import provinces
from .scope import Scope
from .store import Store

NAME_MAX = 60

# The parameters a saved view may hold: exactly those of a view's URL.
_KNOWN = {"lang", "as_of", *FILTERS, *PAGE_PARAMS}


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
        raise Problem("views.name_empty")
    if len(name) > NAME_MAX:
        raise Problem("views.name_too_long", max=NAME_MAX, n=len(name))
    taken = cur.execute(
        "SELECT name FROM saved_views WHERE lower(name) = lower(?) AND view_id IS DISTINCT FROM ?",
        [name, exclude_id],
    ).fetchone()
    if taken:
        raise Problem("views.name_taken", name=taken[0])
    return name


def validate_name(store: Store, name: str, exclude_id: int | None = None) -> str:
    """The trimmed name, or Problem (views.name_*) saying why it cannot be used."""
    with store.read() as r:
        return _check_name(r, name, exclude_id)


def _owner(view: SavedView) -> policy.Resource:
    return policy.Resource(owner=view.saved_by)


def may_change(view: SavedView, by) -> bool:
    """Whether `by` (a people.Person, or None) may rename or delete `view`: its saver, an admin,
    or the single user of a dashboard without sign-in (the access policy's answer)."""
    return policy.allowed(by, "view_rename", _owner(view))


def view_scope(params: Mapping[str, str]) -> Scope:
    """What a view's filters show, as a scope: its pilot, else its cities, else its provinces,
    else its belts' provinces; none of them: the whole country."""
    def codes(name: str) -> list[str]:
        return [c.strip() for c in str(params.get(name) or "").split(",") if c.strip()]

    if codes("project"):
        return policy.scope_of("projects", codes("project"))
    if codes("city"):  # a prefecture office's view: seen within those cities (and their provinces)
        return policy.scope_of("cities", codes("city"))
    if codes("province"):
        return policy.scope_of("provinces", codes("province"))
    belts = set(codes("belt"))
    if belts:
        return policy.scope_of("provinces", [c for c, row in provinces().items() if row["belt"] in belts])
    return Scope.national()


def _changeable(store: Store, view_id: int, by, action: str) -> SavedView:
    """The view, when `by` may `action` it; else a refusal, audited (before the write). A view `by`
    may not see is answered as one that is gone (one answer for "not yours" and "not there")."""
    view = get(store, view_id)
    if view is None or not visible_to(store, by, view):
        raise policy.refuse_unseen(store, by, action, f"saved view #{view_id}",
                                   "outside_scope" if view else "not_found", "views.gone")
    if not policy.allowed(by, action, _owner(view)):
        raise policy.refuse(store, by, action, f"saved view #{view_id}", "views.not_yours", who=view.saved_by)
    return view


def _row(row: tuple) -> SavedView:
    view_id, name, page, params, saved_by, saved_at, updated_at = row
    try:
        loaded = json.loads(params)
    except ValueError:
        loaded = {}
    return SavedView(view_id, name, page, clean_params(loaded if isinstance(loaded, dict) else {}),
                     saved_by, saved_at, updated_at)


_COLUMNS = "view_id, name, page, params, saved_by, saved_at, updated_at"


def list_views(store: Store, person=None) -> list[SavedView]:
    """The saved views, the most recently saved or renamed first: every one, or with `person` those
    they may see (`visible_to`)."""
    rows = getattr(store, "base", store).rows(
        f"SELECT {_COLUMNS} FROM saved_views ORDER BY updated_at DESC, view_id DESC")
    views = [_row(r) for r in rows]
    return views if person is None else [v for v in views if visible_to(store, person, v)]


def visible_to(store: Store, person, view: SavedView) -> bool:
    """Whether `person` sees `view`: their own, or its filters lie within their scope."""
    return policy.allowed(person, "view_read",
                          policy.resource_for_scope(store, view_scope(view.params), owner=view.saved_by))


def get(store: Store, view_id: int) -> SavedView | None:
    rows = getattr(store, "base", store).rows(f"SELECT {_COLUMNS} FROM saved_views WHERE view_id = ?", [view_id])
    return _row(rows[0]) if rows else None


def save(store: Store, name: str, page: str, params: Mapping[str, object], by) -> SavedView:
    """Save a view under a new name, as `by` (a people.Person: its saver, "local" for the single
    user); the name is checked under the write lock, so two people cannot take it at once."""
    policy.require(store, by, "view_save", what=str(name)[:NAME_MAX])
    saved_by = "local" if by.single_user else by.email
    with store.writing(data_change=False) as cur:
        name = _check_name(cur, name)
        view_id = cur.execute("SELECT coalesce(max(view_id), 0) + 1 FROM saved_views").fetchone()[0]
        now = _now()
        cur.execute("INSERT INTO saved_views VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [view_id, name, page, json.dumps(clean_params(params), sort_keys=True), saved_by, now, now])
        audit.record(cur, by.email, "view_save", f"saved view #{view_id}", by.scope, {"name": name, "page": page})
    return get(store, view_id)


def rename(store: Store, view_id: int, name: str, by) -> SavedView:
    """Rename a view; `by` (a people.Person) must be its saver or an admin (`may_change`)."""
    before = _changeable(store, view_id, by, "view_rename")
    with store.writing(data_change=False) as cur:
        if not cur.execute("SELECT count(*) FROM saved_views WHERE view_id = ?", [view_id]).fetchone()[0]:
            raise Problem("views.gone")
        name = _check_name(cur, name, exclude_id=view_id)
        cur.execute("UPDATE saved_views SET name = ?, updated_at = ? WHERE view_id = ?",
                    [name, _now(), view_id])
        audit.record(cur, by.email, "view_rename", f"saved view #{view_id}", by.scope,
                     {"before": before.name, "after": name})
    return get(store, view_id)


def delete(store: Store, view_id: int, by) -> None:
    """Delete a view; `by` must be its saver or an admin (`may_change`)."""
    before = _changeable(store, view_id, by, "view_delete")
    with store.writing(data_change=False) as cur:
        if not cur.execute("SELECT count(*) FROM saved_views WHERE view_id = ?", [view_id]).fetchone()[0]:
            raise Problem("views.gone")
        cur.execute("DELETE FROM saved_views WHERE view_id = ?", [view_id])
        audit.record(cur, by.email, "view_delete", f"saved view #{view_id}", by.scope,
                     {"name": before.name, "page": before.page, "params": before.params})
