"""One count, one answer: every count shown on more than one page (pilots, red/amber/green, overdue
milestones, behind schedule, warnings by level, money totals) is the same on Overview, Phase
progress, Regions, Funds, Warnings and from the command line, for a national and a provincial
person (Beijing: pilots A and D), at two dates (fixture store; on 2025-03-31 D, started
2025-06-01, is not yet a pilot)."""

from __future__ import annotations

import json

import pytest

from pilotdash import cli, people
from pilotdash.i18n import fmt_money
from pilotdash.scope import Scope
from pilotdash.store import Store
from tests import fixtures
from tests.pages.conftest import sign_in_configured
from tests.pages.test_scope_pages import AUTH

BEIJING, NATIONAL = "bj@example.cn", "nat@example.cn"
DATES = ("2026-06-30", "2025-03-31")
LEVELS = {"red": "✖ Red warning · open", "orange": "▲ Orange warning · open", "yellow": "● Yellow warning · open"}


@pytest.fixture
def page(app, fixture_store_path):
    store = Store(fixture_store_path)
    admin = people.local_admin()
    people.add(store, admin, BEIJING, "Beijing office", Scope("provinces", ("11",)), {"viewer"})
    people.add(store, admin, NATIONAL, "National office", Scope.national(), {"viewer"})
    from pilotdash.warnings import ledger

    ledger.recompute(store, fixtures.AS_OF, by="test")
    store.close()

    def open_page(name: str, email: str, as_of: str):
        at = app(name, lang="en", as_of=as_of)
        sign_in_configured(AUTH)
        at.secrets["auth"] = AUTH
        at.user = {"is_logged_in": True, "email": email, "name": email}
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def frame_with(at, *columns):
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


def cli_rows(capsys, path, email: str, name: str, as_of: str) -> list[dict]:
    assert cli.main(["--store", str(path), "--as", email, "query", name, "--format", "json",
                     "--param", f"as_of={as_of}"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("as_of", DATES)
@pytest.mark.parametrize("email", [NATIONAL, BEIJING])
def test_every_shared_count_agrees(page, capsys, fixture_store_path, email, as_of):
    overview = metrics(page("overview", email, as_of))
    phases_at = page("phases", email, as_of)
    phases = metrics(phases_at)
    regions = frame_with(page("regions", email, as_of), "belt_label", "projects", "red", "amber", "green")
    funds = metrics(page("funds", email, as_of))
    warnings = metrics(page("warnings", email, as_of))
    totals = cli_rows(capsys, fixture_store_path, email, "overview_totals", as_of)[0]
    schedule = next(r for r in cli_rows(capsys, fixture_store_path, email, "schedule_summary", as_of)
                    if r["belt"] == "all")
    by_level = {r["level"]: r for r in cli_rows(capsys, fixture_store_path, email, "warnings_by_level", as_of)}

    # pilots and health: Overview = the Regions table's belts = the CLI
    assert int(overview["Pilots"]) == int(regions["projects"].sum()) == totals["projects"]
    for level, label in (("red", "Red"), ("amber", "Amber"), ("green", "Green")):
        assert int(overview[label]) == int(regions[level].sum()) == totals[level], level
    # behind schedule: of the running pilots, the ones the health counts judge
    behind, running = (int(x) for x in phases["Pilots behind schedule"].split(" / "))
    assert running == totals["running"] == totals["red"] + totals["amber"] + totals["green"]
    assert behind == schedule["behind"]
    # overdue milestones: Overview = Phase progress (number and list) = the CLI
    overdue = int(overview["Overdue milestones"])
    assert overdue == int(phases["Overdue"]) == totals["overdue_milestones"] == schedule["overdue"]
    listed = [d.value for d in phases_at.dataframe if "overdue_days" in d.value.columns]
    assert (len(listed[0]) if listed else 0) == overdue
    # milestones due add up
    assert schedule["due"] == schedule["done_on_time"] + schedule["done_late"] + schedule["overdue"]
    assert int(phases["Milestones due"]) == schedule["due"]
    # warnings by level: Overview = Warnings = the CLI
    for level, label in LEVELS.items():
        assert overview[label] == warnings[label] == str(by_level[level]["open"]), level
    # money: Overview = Funds = the CLI
    assert overview["Allocated"] == funds["Allocated"] == fmt_money(totals["allocated"], "en")
    assert overview["Spent"] == funds["Spent"] == fmt_money(totals["spent"], "en")


def test_the_two_people_and_dates_differ(page, capsys, fixture_store_path):
    # So the agreement above is not that of empty pages: the national office sees 4 pilots on
    # 2026-06-30 and 3 on 2025-03-31 (D starts 2025-06-01); Beijing its two, then only A.
    counts = {(e, d): cli_rows(capsys, fixture_store_path, e, "overview_totals", d)[0]["projects"]
              for e in (NATIONAL, BEIJING) for d in DATES}
    assert counts == {(NATIONAL, "2026-06-30"): 4, (NATIONAL, "2025-03-31"): 3,
                      (BEIJING, "2026-06-30"): 2, (BEIJING, "2025-03-31"): 1}
    warned = cli_rows(capsys, fixture_store_path, NATIONAL, "warnings_by_level", "2026-06-30")
    assert sum(r["open"] for r in warned) > 0  # the warnings compared are not all zero
