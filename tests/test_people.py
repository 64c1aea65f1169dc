"""People: roles, validation with clear messages, every change audited in its own transaction,
the first admin from configuration, current() in and out of sign-in, for_cli."""

import json
import os

import pytest
import streamlit as st

from pilotdash import audit, people, policy
from pilotdash.errors import Problem
from pilotdash.people import Person
from pilotdash.ui import sign_in
from tests import fixtures
from pilotdash.scope import Scope
from pilotdash.store import Store

ADMIN = people.local_admin()
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "id",
    "client_secret": "secret",
    "server_metadata_url": "https://login.example.cn/.well-known/openid-configuration",
}


def audit_rows(store):
    return store.rows("SELECT who, action, what FROM audit_log ORDER BY audit_id")


@pytest.fixture(autouse=True)
def config(tmp_path, monkeypatch):
    """The configuration file these tests write (none yet: single-user mode)."""
    path = tmp_path / "secrets.toml"
    monkeypatch.setenv("PILOTDASH_CONFIG", str(path))
    return path


def signed_in(monkeypatch, email, secrets=None, name=None, iat=None):
    """Sign-in configured (and `secrets`' [pilotdash]), `email` signed in (None: signed out) with
    an ID token issued at `iat`."""
    values = {"auth": AUTH, **({"pilotdash": secrets} if secrets else {})}
    fixtures.write_config(os.environ["PILOTDASH_CONFIG"], **values)
    claims = {"is_logged_in": email is not None, "email": email, "name": name, "iat": iat}
    monkeypatch.setattr(
        st, "user", type("U", (), {**claims, "get": lambda self, k, d=None: claims.get(k, d)})()
    )


def test_roles_imply_nothing_else_but_reading():
    reviewer = Person("r@example.cn", "R", Scope.national(), frozenset({"reviewer"}))
    admin = Person("a@example.cn", "A", Scope.national(), frozenset({"admin"}))
    assert reviewer.may("reviewer") and reviewer.may("viewer")
    assert not reviewer.may("submitter") and not reviewer.may("admin")
    assert admin.may("admin") and not admin.may("reviewer") and not admin.may("submitter")
    gone = Person("g@example.cn", "G", Scope.national(), frozenset({"admin"}), disabled=True)
    assert not gone.may("viewer") and not gone.may("admin")
    assert all(ADMIN.may(r) for r in people.ROLES) and ADMIN.single_user and ADMIN.scope.is_national
    with pytest.raises(ValueError, match="unknown role 'boss'"):
        admin.may("boss")
    assert not policy.allowed(reviewer, "people_manage") and policy.allowed(admin, "people_manage")
    assert not policy.allowed(None, "read")


def test_add_set_disable_each_leave_one_audit_entry(store):
    li = people.add(
        store, ADMIN, " Li@Example.CN ", "李明", people.parse_scope("provinces", "51, 11"), ["viewer"]
    )
    assert li.email == "li@example.cn" and li.scope == Scope("provinces", ("11", "51"))
    assert people.find(store, "LI@example.cn") == li
    people.set_person(store, ADMIN, "li@example.cn", roles=["viewer", "submitter"])
    people.set_person(store, ADMIN, "li@example.cn", roles=["submitter", "viewer"])  # no change: no entry
    people.disable(store, ADMIN, "li@example.cn")
    assert people.find(store, "li@example.cn").disabled
    people.set_person(store, ADMIN, "li@example.cn", disabled=False)
    assert audit_rows(store) == [
        (ADMIN.email, "people_add", "li@example.cn"),
        (ADMIN.email, "people_set", "li@example.cn"),
        (ADMIN.email, "people_disable", "li@example.cn"),
        (ADMIN.email, "people_set", "li@example.cn"),
    ]
    detail = audit.entries(store, action="people_disable")["detail"].iloc[0]
    assert detail == '{"disabled": [false, true]}'


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda s: people.add(s, ADMIN, "not-an-email", "X", Scope.national(), ["viewer"]),
            'Not an e-mail address: "not-an-email".',
        ),
        (
            lambda s: people.add(s, ADMIN, "x@example.cn", " ", Scope.national(), ["viewer"]),
            "A person needs a name.",
        ),
        (
            lambda s: people.add(s, ADMIN, "x@example.cn", "X", Scope.national(), ["viewer", "boss"]),
            'Unknown role "boss"; roles are viewer, submitter, reviewer, admin.',
        ),
        (lambda s: people.add(s, ADMIN, "x@example.cn", "X", Scope.national(), []), "at least one role"),
        (
            lambda s: people.add(s, ADMIN, "x@example.cn", "X", Scope("provinces", ("11", "99")), ["viewer"]),
            "Unknown province code(s): 99",
        ),
        (
            lambda s: people.add(s, ADMIN, "x@example.cn", "X", Scope("projects", ("A", "ZZ")), ["viewer"]),
            "Unknown project id(s): ZZ.",
        ),
        (lambda s: people.parse_scope("national", "11"), "A national scope takes no codes (got 11)."),
        (lambda s: people.parse_scope("provinces", " , "), "at least one province code"),
        (lambda s: people.parse_scope("projects", ""), "at least one project id"),
        (lambda s: people.parse_scope("belt", "east"), 'Unknown scope "belt"'),
        (
            lambda s: people.set_person(s, ADMIN, "nobody@example.cn", name="N"),
            "nobody@example.cn is not in the list",
        ),
    ],
)
def test_bad_input_says_what_and_changes_nothing(store, call, message):
    with pytest.raises(Problem) as caught:
        call(store)
    assert message in str(caught.value)
    assert caught.value.code.startswith("people.error.")
    assert store.rows("SELECT count(*) FROM people")[0][0] == 0
    assert audit_rows(store) == []


def test_bad_input_has_its_words_in_chinese(store):
    from pilotdash.i18n import t

    with pytest.raises(Problem) as caught:
        people.add(store, ADMIN, "x@example.cn", "X", Scope("provinces", ("99",)), ["viewer"])
    assert (
        t(caught.value.code, "zh", **caught.value.values)
        == "未知的省级行政区代码：99（GB/T 2260，如 11、51）。"
    )


def test_a_second_add_of_one_email_is_refused(store):
    people.add(store, ADMIN, "li@example.cn", "Li", Scope.national(), ["viewer"])
    with pytest.raises(Problem, match="already in the list"):
        people.add(store, ADMIN, "LI@example.cn", "Li 2", Scope.national(), ["viewer"])
    assert len(audit_rows(store)) == 1


def test_only_an_admin_changes_people(store):
    people.add(store, ADMIN, "rev@example.cn", "Rev", Scope.national(), ["reviewer"])
    rev = people.find(store, "rev@example.cn")
    with pytest.raises(Problem):
        people.add(store, rev, "x@example.cn", "X", Scope.national(), ["admin"])
    with pytest.raises(Problem):
        people.set_person(store, rev, "rev@example.cn", roles=["admin"])
    with pytest.raises(Problem):
        people.disable(store, rev, "rev@example.cn")
    assert people.find(store, "rev@example.cn").roles == {"reviewer"}
    # the one add that was done, and each refusal once, marked refused (issue 19)
    log = audit.entries(store)
    assert (~log["refused"]).sum() == 1 and log["refused"].sum() == 3
    assert set(log.loc[log["refused"], "action"]) == {"people_manage"}


def test_the_last_enabled_admin_cannot_be_removed(store):
    people.add(store, ADMIN, "boss@example.cn", "Boss", Scope.national(), ["admin"])
    with pytest.raises(Problem, match="last enabled admin"):
        people.disable(store, ADMIN, "boss@example.cn")
    with pytest.raises(Problem, match="last enabled admin"):
        people.set_person(store, ADMIN, "boss@example.cn", roles=["viewer"])
    people.add(store, ADMIN, "deputy@example.cn", "Deputy", Scope.national(), ["admin"])
    people.disable(store, ADMIN, "boss@example.cn")
    assert people.find(store, "boss@example.cn").disabled


def test_a_failed_write_leaves_neither_the_change_nor_its_entry(store, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        people.add(store, ADMIN, "li@example.cn", "Li", Scope.national(), ["viewer"])
    assert people.find(store, "li@example.cn") is None


def test_people_and_audit_are_added_to_a_store_made_before_them(tmp_path):
    from tests import fixtures

    path = tmp_path / "old.duckdb"
    fixtures.make_store(path).close()
    old = Store(path)
    old.write(
        lambda w: (
            w.execute("DROP TABLE people"),
            w.execute("DROP TABLE audit_log"),
            w.execute("UPDATE store_meta SET value = 'older' WHERE key = 'schema'"),
        ),
        data_change=False,
    )
    old.close()
    reopened = Store(path)  # the schema digest differs: the missing tables are created, rows kept
    assert reopened.rows("SELECT count(*) FROM projects")[0][0] == 4
    people.add(reopened, ADMIN, "li@example.cn", "Li", Scope.national(), ["viewer"])
    assert audit_rows(reopened) == [(ADMIN.email, "people_add", "li@example.cn")]
    reopened.close()


def test_single_user_mode_is_the_national_admin(store, monkeypatch):
    monkeypatch.setenv("PILOTDASH_USER", "ana")
    who = sign_in.current(store)
    assert who.single_user and who.email == "local:ana" and who.scope.is_national and who.may("admin")
    assert audit_rows(store) == []  # no sign-in happened


def test_current_is_the_enabled_known_person_and_the_sign_in_is_audited(store, monkeypatch):
    people.add(store, ADMIN, "li@example.cn", "Li", Scope("provinces", ("11",)), ["viewer"])
    signed_in(monkeypatch, None)
    assert sign_in.current(store) is None
    signed_in(monkeypatch, "stranger@example.cn")
    assert sign_in.current(store) is None
    signed_in(monkeypatch, "LI@example.cn")
    li = sign_in.current(store)
    assert li.email == "li@example.cn" and li.scope == Scope("provinces", ("11",)) and not li.single_user
    assert audit_rows(store)[-1] == ("li@example.cn", "sign_in", "li@example.cn")
    assert audit.entries(store, action="sign_in")["scope_codes"].iloc[0].tolist() == ["11"]
    people.disable(store, ADMIN, "li@example.cn")
    assert sign_in.current(store) is None
    assert policy.allowed(sign_in.current(store), "read") is False


def test_one_sign_in_is_one_entry_however_many_sessions_it_opens(store, monkeypatch):
    people.add(store, ADMIN, "li@example.cn", "Li", Scope.national(), ["viewer"])
    for iat in (1780000000, 1780000000, 1780003600):  # a reload (a new session), then a new sign-in
        st.session_state.pop("_people_signed_in", None)
        signed_in(monkeypatch, "li@example.cn", iat=iat)
        assert sign_in.current(store).email == "li@example.cn"
    entries = audit.entries(store, action="sign_in")
    assert [json.loads(d)["iat"] for d in entries["detail"]] == ["1780003600", "1780000000"]


def test_the_first_admin_comes_from_configuration_once(store, monkeypatch):
    signed_in(monkeypatch, "Chief@Example.cn", secrets={"first_admin": "chief@example.cn"}, name="总负责人")
    chief = sign_in.current(store)
    assert chief.may("admin") and chief.scope.is_national and chief.name == "总负责人"
    assert [a for _w, a, _what in audit_rows(store)] == ["people_add", "sign_in"]
    assert audit_rows(store)[0][0] == "config:first_admin"
    # Once an admin exists, configuration adds nobody else.
    signed_in(monkeypatch, "other@example.cn", secrets={"first_admin": "other@example.cn"})
    assert sign_in.current(store) is None and people.find(store, "other@example.cn") is None


def test_the_first_admin_from_the_environment(store, monkeypatch):
    monkeypatch.setenv("PILOTDASH_FIRST_ADMIN", "chief@example.cn")
    signed_in(monkeypatch, "chief@example.cn")
    assert sign_in.current(store).may("admin")


def test_for_cli(store):
    assert people.for_cli(store, None).single_user
    people.add(store, ADMIN, "li@example.cn", "Li", Scope("provinces", ("11",)), ["viewer"])
    assert people.for_cli(store, "Li@example.cn").scope == Scope("provinces", ("11",))
    with pytest.raises(Problem, match="not in the list"):
        people.for_cli(store, "nobody@example.cn")
    people.disable(store, ADMIN, "li@example.cn")
    with pytest.raises(Problem, match="disabled"):
        people.for_cli(store, "li@example.cn")


def test_warning_actions_follow_roles_and_the_pilots_scope(store):
    # Fixture pilots: A and D in province 11, B in 51, C in 14.
    def actor(roles, scope):
        return Person("p@example.cn", "P", scope, frozenset(roles))

    def pilot(project_id):
        return policy.resource_for_project(store, project_id)

    beijing = Scope("provinces", ("11",))
    submitter, reviewer, viewer = (
        actor({"submitter"}, beijing),
        actor({"reviewer"}, beijing),
        actor({"viewer"}, beijing),
    )
    assert policy.allowed(submitter, "acknowledge", pilot("A")) and not policy.allowed(
        submitter, "close", pilot("A")
    )
    assert not policy.allowed(submitter, "acknowledge", pilot("B"))  # another province's pilot
    assert policy.allowed(reviewer, "close", pilot("A")) and policy.allowed(reviewer, "acknowledge", pilot("D"))
    assert not policy.allowed(reviewer, "close", pilot("B"))
    assert not policy.allowed(viewer, "acknowledge", pilot("A"))
    assert policy.allowed(viewer, "subscribe", policy.Resource(scope=beijing))
    national = actor({"reviewer"}, Scope.national())
    assert policy.allowed(national, "close", pilot("B"))
    assert not policy.allowed(None, "subscribe", policy.Resource(scope=beijing))
    with pytest.raises(Problem):
        policy.require(store, viewer, "close", pilot("A"))
