"""Every named query keeps its contract: its header's columns are what it returns, its declared
parameters are the ones it uses, and bad parameters are refused with a clear message."""

import re

import pytest

from pilotdash import named_queries
from pilotdash.named_queries import QueryError

STABLE = {
    "indicator_status": ["project_id", "indicator_code", "period_end", "actual", "target", "achievement", "gap", "status"],
    "fund_by_project": ["project_id", "allocated", "disbursed", "spent", "arrival_rate", "execution_rate",
                        "utilisation", "overspend"],
    "earned_value": ["project_id", "bac", "pv", "ev", "ac", "spi", "cpi"],
    "project_health": ["project_id", "health", "reasons"],
    "region_summary": ["belt", "projects", "red", "amber", "green", "allocated", "disbursed", "spent",
                       "utilisation", "share_met"],
}


@pytest.mark.parametrize("name", sorted(named_queries.catalogue()))
def test_header_matches_the_query(store, name):
    query = named_queries.get(name)
    assert query.summary, f"{name}: header needs a '-- {name}: …' summary line"
    assert query.columns, f"{name}: header needs a '-- columns:' line"
    used = set(re.findall(r"\$(\w+)", _body(query.sql)))
    declared = {p.name for p in query.params}
    assert used == declared, f"{name}: uses {sorted(used)} but declares {sorted(declared)}"
    frame = named_queries.run(store, name)
    assert list(frame.columns) == list(query.columns)


def _body(sql: str) -> str:
    return "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))


@pytest.mark.parametrize("name,columns", sorted(STABLE.items()))
def test_stable_interface(name, columns):
    assert list(named_queries.get(name).columns) == columns


def test_unknown_query():
    with pytest.raises(QueryError, match="no query named 'nope'"):
        named_queries.get("nope")


def test_unknown_parameter(store):
    with pytest.raises(QueryError, match="has no parameter 'colour'"):
        named_queries.run(store, "project_health", {"colour": "red"})


@pytest.mark.parametrize("param,value,message", [
    ("as_of", "30/09/2026", "must be a date like 2026-09-30"),
    ("fiscal_year", "2026,next", "must be a whole number"),
])
def test_badly_typed_parameter(store, param, value, message):
    with pytest.raises(QueryError, match=message):
        named_queries.run(store, "fund_by_project", {param: value})


def test_text_values_are_bound_not_spliced(store):
    hostile = "east') OR 1=1 --"
    assert named_queries.run(store, "project_health", {"belt": [hostile]}).empty
    assert store.rows("SELECT count(*) FROM projects")[0][0] == 4


def test_lists_from_text(store):
    frame = named_queries.run(store, "project_health", {"belt": "east, west", "as_of": "2026-06-30"})
    assert set(frame["project_id"]) == {"A", "B", "D"}


def test_attention_lists_running_pilots_worst_first(store):
    # On D: B (red, active), A (amber, active); C is red but withdrawn, D green.
    frame = named_queries.run(store, "attention_projects", {"as_of": "2026-06-30"})
    assert list(frame["project_id"]) == ["B", "A"]
    # A withdrawn pilot is not judged: it never leads the list, even when asked for.
    withdrawn = named_queries.run(store, "attention_projects", {"as_of": "2026-06-30", "status": ["withdrawn"]})
    assert list(withdrawn["project_id"]) == []


def test_overview_totals_of_one_pilot(store):
    """`$project` limits the headline row to those pilots (the Project page's headline numbers):
    each pilot counts once, and the four pilots' money adds up to the whole programme's (400
    allocated, 250 disbursed, 220 spent on D; tests/pages/test_funds.py)."""
    whole = named_queries.run(store, "overview_totals", {"as_of": "2026-06-30"}).iloc[0]
    ones = {p: named_queries.run(store, "overview_totals", {"as_of": "2026-06-30", "project": [p]}).iloc[0]
            for p in "ABCD"}
    assert [int(r.projects) for r in ones.values()] == [1, 1, 1, 1]
    for column in ("allocated", "disbursed", "spent"):
        assert sum(r[column] for r in ones.values()) == whole[column] > 0, column
    assert int(ones["B"].overspent_projects) == 1 and int(ones["A"].overspent_projects) == 0  # B's software line
    assert int(named_queries.run(store, "overview_totals", {"as_of": "2026-06-30", "project": ["nope"]})
               .iloc[0].projects) == 0
