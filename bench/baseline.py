"""The page aggregates computed the way a typical Streamlit app computes them: the tables read
into pandas (`SELECT * FROM t` -> DataFrame) and grouped there, against our named queries. Each
pandas result is checked equal to ours before it is timed.

Three aggregates, one per kind of page question:
- region_summary: per belt, pilots by health, money, utilisation and share of targets met (the
  Overview / Regions headline: every measure of shared/domain.md, health included);
- fund_by_project: money per pilot (the Funds table);
- indicator_status: every (project, indicator) pair's current actual, target and status (the
  Targets page).

The pandas code is written the way a competent analyst would (vectorised, target precedence by
successive keyed merges rather than a cross join); it implements the same rules as measures.sql,
the as-of rule included (`on_date`: the pilots of the date with their status then).

    python -m bench.baseline --scale N --repeat R --out FILE
"""

from __future__ import annotations

import argparse
import datetime as dt

import numpy as np
import pandas as pd

from bench.common import median, store_path, timed, write_json
from pilotdash import named_queries
from pilotdash.domain import THRESHOLDS as TH
from pilotdash.store import Store

TABLES = {
    "region_summary": ("projects", "provinces", "phases", "milestones", "targets", "indicators", "readings",
                       "budget_lines", "risks", "risk_reviews", "tasks", "issues"),
    "fund_by_project": ("projects", "budget_lines"),
    "indicator_status": ("projects", "provinces", "phases", "targets", "indicators", "readings"),
}


def load(store: Store, tables) -> dict[str, pd.DataFrame]:
    with store.read() as cur:
        return {t: cur.execute(f"SELECT * FROM {t}").df() for t in tables}


def _ratio(n, d):
    n = pd.Series(n, dtype="float64")
    d = pd.Series(d, dtype="float64")
    return n.where(d.notna() & (d != 0)) / d.where(d != 0)


def _ts(as_of: dt.date) -> pd.Timestamp:
    return pd.Timestamp(as_of)


def project_phase(t, as_of) -> pd.Series:
    d = _ts(as_of)
    ph = t["phases"].copy()
    ph["phase_no"] = ph["phase"].map({"launch": 1, "deepening": 2, "promotion": 3})
    ph["eff_start"] = ph["actual_start"].fillna(ph["planned_start"])
    ph["eff_end"] = ph["actual_end"].fillna(ph["planned_end"])
    agg = ph.groupby("project_id").agg(last_end=("eff_end", "max"),
                                       open_windows=("eff_end", lambda s: s.isna().sum()))
    started = (ph[ph["eff_start"] <= d].sort_values(["project_id", "eff_start", "phase_no"])
               .groupby("project_id")["phase"].last())
    agg["started"] = started
    out = pd.Series("launch", index=t["projects"]["project_id"].values)
    agg = agg.reindex(out.index)
    out[agg["started"].notna().values] = agg["started"].dropna()
    promo = (agg["open_windows"] == 0) & (agg["last_end"] < d)
    out[promo.values] = "promotion"
    return out


def indicator_status(t, as_of) -> pd.DataFrame:
    d = _ts(as_of)
    r = t["readings"]
    tg = t["targets"]
    proj = t["projects"].merge(t["provinces"][["province_code", "belt"]], on="province_code", how="left")
    phase = project_phase(t, as_of)
    pairs = pd.concat([r[["project_id", "indicator_code"]],
                       tg.loc[tg["project_id"].notna(), ["project_id", "indicator_code"]]]).drop_duplicates()
    pairs = pairs.merge(proj[["project_id", "province_code", "belt"]], on="project_id")
    pairs["phase"] = pairs["project_id"].map(phase)
    # Target precedence: successive keyed lookups, most specific first.
    pairs["target"] = np.nan
    levels = [("project_id", True), ("project_id", False), ("province_code", True), ("province_code", False),
              ("belt", True), ("belt", False), (None, True), (None, False)]
    scope_cols = ["project_id", "province_code", "belt"]
    for col, phased in levels:
        sel = tg.copy()
        order = scope_cols.index(col) if col else 3
        for i, c in enumerate(scope_cols):
            sel = sel[sel[c].notna()] if i == order else (sel[sel[c].isna()] if i < order else sel)
        sel = sel[sel["phase"].notna()] if phased else sel[sel["phase"].isna()]
        if sel.empty:
            continue
        keys = ["indicator_code"] + ([col] if col else []) + (["phase"] if phased else [])
        m = pairs.merge(sel.rename(columns={c: f"t_{c}" for c in scope_cols + ["phase"]}),
                        left_on=keys, right_on=["indicator_code"] + [f"t_{k}" for k in keys[1:]], how="left")
        ok = m["target_value"].notna()
        for c in scope_cols:  # any further scope column the row fills must match too
            if c != col:
                ok &= m[f"t_{c}"].isna() | (m[f"t_{c}"] == m[c])
        m = m[ok].drop_duplicates(["project_id", "indicator_code"])
        found = pairs[["project_id", "indicator_code"]].merge(
            m[["project_id", "indicator_code", "target_value"]], how="left")["target_value"].values
        pairs["target"] = pairs["target"].where(pairs["target"].notna(), found)
    ind = t["indicators"].set_index("indicator_code")
    pairs["target"] = pairs["target"].fillna(pairs["indicator_code"].map(ind["national_target"]))
    # The current actual: latest reading on or before D.
    rr = r[r["period_end"] <= d]
    cur = rr.loc[rr.groupby(["project_id", "indicator_code"])["period_end"].idxmax(),
                 ["project_id", "indicator_code", "period_end", "actual_value"]]
    s = pairs.merge(cur, on=["project_id", "indicator_code"], how="left").rename(columns={"actual_value": "actual"})
    direction = s["indicator_code"].map(ind["direction"])
    higher = direction == "higher"
    s["achievement"] = np.where(higher, _ratio(s["actual"], s["target"]), _ratio(s["target"], s["actual"]))
    s["gap"] = np.where(higher, s["target"] - s["actual"], s["actual"] - s["target"])
    ach = s["achievement"]
    status = np.select(
        [s["actual"].isna() | s["target"].isna(), ~higher & (s["actual"] == 0), higher & (s["target"] == 0),
         ach >= TH["met"], ach >= TH["near"]],
        ["no_data", "met", "met", "met", "near"], "behind")
    s["status"] = status
    return s


def fund_by_project(t, as_of) -> pd.DataFrame:
    b = t["budget_lines"]
    b = b[b["fiscal_year"] <= as_of.year].assign(overspend=lambda x: x["spent"] > x["disbursed"])
    b = b[b["project_id"].isin(t["projects"]["project_id"])]
    g = b.groupby("project_id").agg(allocated=("allocated", "sum"), disbursed=("disbursed", "sum"),
                                    spent=("spent", "sum"), overspend=("overspend", "any")).reset_index()
    g["arrival_rate"] = _ratio(g["disbursed"], g["allocated"]).values
    g["execution_rate"] = _ratio(g["spent"], g["disbursed"]).values
    g["utilisation"] = _ratio(g["spent"], g["allocated"]).values
    return g[["project_id", "allocated", "disbursed", "spent", "arrival_rate", "execution_rate", "utilisation",
              "overspend"]].sort_values("project_id").reset_index(drop=True)


def risks_on(t, d: pd.Timestamp) -> pd.DataFrame:
    """Each risk identified by d as of its latest review on or before d (the risk row is its first
    review; a review on the same day wins)."""
    r = t["risks"]
    first = r[["risk_id", "identified_on", "probability", "impact", "status"]].rename(
        columns={"identified_on": "reviewed_on"}).assign(first=True)
    hist = pd.concat([first, t["risk_reviews"][["risk_id", "reviewed_on", "probability", "impact", "status"]]
                      .assign(first=False)], ignore_index=True)
    hist = hist[hist["reviewed_on"].isna() | (hist["reviewed_on"] <= d)]
    hist = hist.assign(key=hist["reviewed_on"].fillna(pd.Timestamp("0001-01-01")), later=~hist["first"])
    latest = hist.sort_values(["risk_id", "key", "later"]).groupby("risk_id").tail(1)
    r = r[r["identified_on"].isna() | (r["identified_on"] <= d)]
    return r[["risk_id", "project_id"]].merge(latest[["risk_id", "probability", "impact", "status"]], on="risk_id")


def work_overdue_30d(t, d: pd.Timestamp) -> pd.Series:
    """Pilots with a task or an issue overdue by more than 30 days (running pilots only)."""
    running = set(t["projects"].loc[t["projects"]["status"].isin(["active", "suspended"]), "project_id"])
    k = t["tasks"]
    k_done = k["done_date"].notna() & (k["done_date"] <= d)
    k_late = ~k_done & ((d - k["due_date"]).dt.days > TH["overdue_red_days"]) & k["project_id"].isin(running)
    i = t["issues"]
    i = i[i["raised_on"] <= d]
    i_closed = (i["verified_on"].notna() & (i["verified_on"] <= d)) | (i["resolved_on"].notna() & (i["resolved_on"] <= d))
    i_late = ~i_closed & ((d - i["due_date"]).dt.days > TH["overdue_red_days"]) & i["project_id"].isin(running)
    return pd.concat([k.loc[k_late, "project_id"], i.loc[i_late, "project_id"]]).drop_duplicates().pipe(
        lambda ids: pd.Series(True, index=ids.values))


def project_health(t, as_of, status: pd.DataFrame) -> pd.Series:
    d = _ts(as_of)
    ids = t["projects"]["project_id"]
    m = t["milestones"]
    done = m["done_date"].notna() & (m["done_date"] <= d)
    overdue = ~done & (m["due_date"] < d)
    days = (d - m["due_date"]).dt.days.where(overdue)
    ms = pd.DataFrame({"project_id": m["project_id"], "o": overdue, "o30": days > TH["overdue_red_days"]})
    ms = ms.groupby("project_id").agg(o=("o", "any"), o30=("o30", "any"))
    b = t["budget_lines"]
    counted = b[b["fiscal_year"] <= as_of.year]
    overspend = (counted["spent"] > counted["disbursed"]).groupby(counted["project_id"]).any()
    closed = b[b["fiscal_year"] < as_of.year].groupby(["project_id", "fiscal_year"])[["spent", "disbursed"]].sum()
    low_exec = (_ratio(closed["spent"].values, closed["disbursed"].values) < TH["fund_target"]).values
    low_exec = pd.Series(low_exec, index=closed.index).groupby(level=0).any()
    rk = risks_on(t, d)
    score = rk["probability"] * rk["impact"]
    is_open = rk["status"] == "open"
    red_risk = (is_open & (score >= TH["risk_red"])).groupby(rk["project_id"]).any()
    orange_risk = (is_open & (score >= TH["risk_orange"]) & (score < TH["risk_red"])).groupby(rk["project_id"]).any()
    with_data = status["actual"].notna()
    ind = pd.DataFrame({"project_id": status["project_id"], "wd": with_data,
                        "ok": with_data & status["status"].isin(["met", "near"]), "behind": status["status"] == "behind"})
    ind = ind.groupby("project_id").agg(wd=("wd", "sum"), ok=("ok", "sum"), behind=("behind", "any"))
    # Earned value
    mc = pd.DataFrame({"project_id": m["project_id"], "due": m["due_date"] <= d, "done": done})
    mc = mc.groupby("project_id").agg(n=("due", "size"), due=("due", "sum"), done=("done", "sum"))
    bac = b.groupby("project_id")["allocated"].sum()
    ac = counted.groupby("project_id")["spent"].sum()
    ev = pd.DataFrame(index=ids.values)
    ev["bac"] = bac.reindex(ev.index).fillna(0)
    ev["ac"] = ac.reindex(ev.index).fillna(0)
    mc = mc.reindex(ev.index)
    ev["pv"] = (ev["bac"] * mc["due"] / mc["n"]).where(mc["n"] > 0)
    ev["ev"] = (ev["bac"] * mc["done"] / mc["n"]).where(mc["n"] > 0)
    spi = _ratio(ev["ev"].values, ev["pv"].values).values
    cpi = _ratio(ev["ev"].values, ev["ac"].values).values
    phase = project_phase(t, as_of).reindex(ev.index)
    f = lambda s: s.reindex(ev.index).fillna(False).astype(bool).values  # noqa: E731
    msr = ms.reindex(ev.index)
    indr = ind.reindex(ev.index)
    off_track = ((phase != "launch").values & (indr["wd"] > 0).values
                 & (indr["ok"] < TH["min_share_ok"] * indr["wd"]).fillna(False).values)
    work30 = work_overdue_30d(t, d)
    red = f(msr["o30"]) | f(overspend) | f(red_risk) | off_track
    amber = ((f(msr["o"]) & ~f(msr["o30"])) | f(indr["behind"]) | f(low_exec)
             | np.nan_to_num(spi < TH["ev_warn"], nan=0).astype(bool)
             | np.nan_to_num(cpi < TH["ev_warn"], nan=0).astype(bool) | f(orange_risk) | f(work30))
    # judged for running pilots only (active, suspended on the date); the others are "closed"
    running = t["projects"].set_index("project_id")["status"].isin(["active", "suspended"]).reindex(ev.index)
    return pd.Series(np.where(~running.fillna(False).values, "closed",
                              np.where(red, "red", np.where(amber, "amber", "green"))), index=ev.index)


def region_summary(t, as_of) -> pd.DataFrame:
    status = indicator_status(t, as_of)
    health = project_health(t, as_of, status)
    proj = t["projects"].merge(t["provinces"][["province_code", "belt"]], on="province_code", how="left")
    proj["health"] = proj["project_id"].map(health)
    h = proj.groupby("belt").agg(projects=("project_id", "size"), red=("health", lambda s: (s == "red").sum()),
                                 amber=("health", lambda s: (s == "amber").sum()),
                                 green=("health", lambda s: (s == "green").sum()))
    b = t["budget_lines"]
    b = b[b["fiscal_year"] <= as_of.year].merge(proj[["project_id", "belt"]], on="project_id")
    money = b.groupby("belt")[["allocated", "disbursed", "spent"]].sum()
    s = status[status["actual"].notna()]
    share = (s["status"] == "met").groupby(s["belt"]).mean()
    out = pd.DataFrame(index=pd.Index(["east", "central", "west"], name="belt"))
    out = out.join(h).join(money).fillna(0)
    out["utilisation"] = _ratio(out["spent"].values, out["allocated"].values).values
    out["share_met"] = share
    for c in ("projects", "red", "amber", "green"):
        out[c] = out[c].astype("int64")
    return out.reset_index()


def _check(name: str, ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    if name == "indicator_status":
        theirs = theirs[["project_id", "indicator_code", "period_end", "actual", "target", "achievement", "gap",
                         "status"]].sort_values(["project_id", "indicator_code"]).reset_index(drop=True)
    ours = ours.reset_index(drop=True)
    assert list(ours.columns) == list(theirs.columns), (name, list(ours.columns), list(theirs.columns))
    assert len(ours) == len(theirs), (name, len(ours), len(theirs))
    for c in ours.columns:
        a, b = ours[c], theirs[c]
        if pd.api.types.is_numeric_dtype(a) and not pd.api.types.is_bool_dtype(a):
            a, b = a.astype("float64").values, b.astype("float64").values
            assert np.allclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True), (name, c)
        elif pd.api.types.is_datetime64_any_dtype(a) or pd.api.types.is_datetime64_any_dtype(b):
            assert (pd.to_datetime(a).fillna(pd.Timestamp(0)).values == pd.to_datetime(b).fillna(pd.Timestamp(0)).values).all(), (name, c)
        else:
            assert (a.astype(str).values == b.astype(str).values).all(), (name, c, a[a.astype(str) != b.astype(str)].head())


def on_date(t, as_of) -> dict[str, pd.DataFrame]:
    """The tables as of a date, as measures.sql `pilots_on` has them: only the pilots started by
    then (start date, else batch year, else always), each with its status on the date (the
    stored one from its status_date on, active before), and only those pilots' rows."""
    d = _ts(as_of)
    p = t["projects"]
    start = pd.to_datetime(p["start_date"])
    exists = np.where(start.notna(), start <= d, np.where(p["batch_year"].notna(), p["batch_year"] <= as_of.year, True))
    p = p[exists.astype(bool)].copy()
    if "status_date" in p.columns:
        later = pd.to_datetime(p["status_date"]) > d
        p.loc[later.fillna(False).values, "status"] = "active"
    out = dict(t, projects=p)
    ids = set(p["project_id"])
    for name in ("phases", "milestones", "readings", "budget_lines", "risks"):
        if name in out:
            out[name] = out[name][out[name]["project_id"].isin(ids)]
    return out


def _as_of_rule(compute):
    return lambda t, as_of: compute(on_date(t, as_of), as_of)


COMPUTE = {"region_summary": _as_of_rule(region_summary), "fund_by_project": _as_of_rule(fund_by_project),
           "indicator_status": _as_of_rule(indicator_status)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    store = Store(store_path(args.scale))
    as_of = named_queries.default_as_of(store)
    results = {}
    for name, compute in COMPUTE.items():
        params = {"as_of": as_of}
        ours = named_queries.run(store, name, params)
        tables = load(store, TABLES[name])
        _check(name, ours, compute(tables, as_of))
        ours_t, load_t, comp_t = [], [], []
        for _ in range(args.repeat):
            ours_t.append(timed(lambda: named_queries.run(store, name, params)))
            holder = {}
            load_t.append(timed(lambda: holder.update(load(store, TABLES[name]))))
            comp_t.append(timed(lambda: compute(holder, as_of)))
        base = [a + b for a, b in zip(load_t, comp_t)]
        results[name] = {"ours_s": median(ours_t), "pandas_s": median(base), "pandas_load_s": median(load_t),
                         "pandas_compute_s": median(comp_t), "speedup": median(base) / median(ours_t),
                         "speedup_compute_only": median(comp_t) / median(ours_t), "equal": True,
                         "tables": list(TABLES[name])}
        print(f"    {name:18s} ours {median(ours_t) * 1000:8.1f} ms  pandas {median(base) * 1000:8.1f} ms "
              f"(load {median(load_t) * 1000:.0f} + compute {median(comp_t) * 1000:.0f})  "
              f"x{median(base) / median(ours_t):.1f}  equal", flush=True)
    store.close()
    write_json(args.out, {"scale": args.scale, "as_of": as_of, "repeat": args.repeat, "aggregates": results})


if __name__ == "__main__":
    main()
