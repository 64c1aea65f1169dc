-- Every measure of shared/domain.md, defined once, as of a date.
--
-- Scalar macros name a formula; table macros take the as-of date and return one row per thing
-- measured. Named queries (queries/*.sql) filter and aggregate these; nothing else computes a
-- measure. Thresholds come from the th_*() macros generated from pilotdash/domain.py.
-- Re-created on every open of the store, so editing this file changes every page at once.

-- Ratios -------------------------------------------------------------------------------------
-- A ratio over an empty (NULL) or zero denominator is NULL, shown as "—", never 0 or an error.
CREATE OR REPLACE MACRO ratio(n, d) AS CASE WHEN d IS NULL OR d = 0 THEN NULL ELSE n / d END;
CREATE OR REPLACE MACRO arrival_rate(disbursed, allocated) AS ratio(disbursed, allocated);
CREATE OR REPLACE MACRO execution_rate(spent, disbursed) AS ratio(spent, disbursed);
CREATE OR REPLACE MACRO utilisation(spent, allocated) AS ratio(spent, allocated);
CREATE OR REPLACE MACRO matching_ratio(local_alloc, central_alloc) AS ratio(local_alloc, central_alloc);

-- Achievement: higher-is-better actual / target; lower-is-better target / actual.
-- A higher-is-better target of 0 and a lower-is-better actual of 0 give no rate (NULL).
CREATE OR REPLACE MACRO achievement(direction, actual, target) AS
    CASE WHEN direction = 'higher' THEN ratio(actual, target) ELSE ratio(target, actual) END;

-- Gap: positive is a shortfall, in the indicator's own unit.
CREATE OR REPLACE MACRO gap(direction, actual, target) AS
    CASE WHEN direction = 'higher' THEN target - actual ELSE actual - target END;

-- Status: met / near / behind / no_data. A lower-is-better actual of 0 is met; a
-- higher-is-better target of 0 is met by any actual (actual >= target), although it has no rate.
CREATE OR REPLACE MACRO indicator_status_of(direction, actual, target) AS
    CASE
        WHEN actual IS NULL OR target IS NULL THEN 'no_data'
        WHEN direction = 'lower' AND actual = 0 THEN 'met'
        WHEN direction = 'higher' AND target = 0 THEN 'met'
        WHEN achievement(direction, actual, target) >= th_met() THEN 'met'
        WHEN achievement(direction, actual, target) >= th_near() THEN 'near'
        ELSE 'behind'
    END;

CREATE OR REPLACE MACRO risk_level(score) AS
    CASE
        WHEN score >= th_risk_red() THEN 'red'
        WHEN score >= th_risk_orange() THEN 'orange'
        WHEN score >= th_risk_yellow() THEN 'yellow'
        ELSE 'low'
    END;

CREATE OR REPLACE MACRO phase_no(phase) AS
    CASE phase WHEN 'launch' THEN 1 WHEN 'deepening' THEN 2 WHEN 'promotion' THEN 3 END;

-- The default as-of date: today, or the newest reading in the data, whichever is earlier.
CREATE OR REPLACE MACRO default_as_of() AS
    least(current_date, coalesce((SELECT max(period_end) FROM readings), current_date));

-- Projects -----------------------------------------------------------------------------------
-- Every stored project with its place, whatever the date (a pilot's own facts, the warnings
-- ledger). Counts for a date start from pilots_on(as_of) / project_base_on(as_of) instead.
CREATE OR REPLACE MACRO project_base() AS TABLE
    SELECT p.*, pr.belt, pr.name_zh AS province_zh, pr.name_en AS province_en
    FROM projects p
    LEFT JOIN provinces pr ON pr.province_code = p.province_code;

-- Running pilots: active or suspended (not completed, not withdrawn). Health is judged for running
-- pilots; completed and withdrawn ones are counted apart and never lead a red/amber/green list.
CREATE OR REPLACE MACRO is_running(status) AS status IN ('active', 'suspended');

-- A pilot exists on D once it has started: start date <= D; without a start date, batch year <=
-- the year of D; with neither, on every date.
CREATE OR REPLACE MACRO exists_on(start_date, batch_year, as_of) AS
    CASE
        WHEN start_date IS NOT NULL THEN start_date <= as_of
        WHEN batch_year IS NOT NULL THEN batch_year <= year(as_of)
        ELSE true
    END;

-- Its status on D: the stored status holds from status_date on (empty: it always has); before
-- that day the pilot was active.
CREATE OR REPLACE MACRO status_on(status, status_date, as_of) AS
    CASE WHEN status_date > as_of THEN 'active' ELSE status END;

-- THE pilots of a date: those existing on D, with their status on D (the stored one kept as
-- stored_status). Every count, total, chart and list for D starts here (through
-- project_base_on, filtered_projects, project_phase and the table macros below), so a pilot not
-- started on D is in none of them.
CREATE OR REPLACE MACRO pilots_on(as_of) AS TABLE
    SELECT p.* REPLACE (status_on(p.status, p.status_date, as_of) AS status), p.status AS stored_status
    FROM projects p
    WHERE exists_on(p.start_date, p.batch_year, as_of);

CREATE OR REPLACE MACRO project_base_on(as_of) AS TABLE
    SELECT p.*, pr.belt, pr.name_zh AS province_zh, pr.name_en AS province_en
    FROM pilots_on(as_of) p
    LEFT JOIN provinces pr ON pr.province_code = p.province_code;

-- Phase windows: actual dates where known, planned otherwise.
CREATE OR REPLACE MACRO phase_windows(as_of) AS TABLE
    SELECT
        project_id, phase, phase_no(phase) AS phase_no,
        planned_start, planned_end, actual_start, actual_end,
        coalesce(actual_start, planned_start) AS eff_start,
        coalesce(actual_end, planned_end) AS eff_end,
        -- Progress is the elapsed share of the planned window, clamped to 0..1.
        CASE
            WHEN planned_start IS NULL OR planned_end IS NULL THEN NULL
            WHEN as_of <= planned_start THEN 0.0
            WHEN as_of >= planned_end THEN 1.0
            ELSE (as_of - planned_start) / (planned_end - planned_start)
        END AS progress
    FROM phases;

-- A project's phase on the as-of date: the phase whose window contains it (where windows
-- overlap, the later-starting one); between two windows, the last one started; before the
-- first start, launch; after the last end, promotion.
CREATE OR REPLACE MACRO project_phase(as_of) AS TABLE
    WITH agg AS (
        SELECT
            project_id,
            max(eff_end) AS last_end,
            count(*) FILTER (WHERE eff_end IS NULL) AS open_windows,
            arg_max(phase, {'s': eff_start, 'n': phase_no}) FILTER (WHERE eff_start <= as_of) AS started
        FROM phase_windows(as_of)
        GROUP BY project_id
    )
    SELECT
        p.project_id,
        CASE
            WHEN agg.open_windows = 0 AND agg.last_end < as_of THEN 'promotion'
            WHEN agg.started IS NOT NULL THEN agg.started
            ELSE 'launch'
        END AS phase
    FROM pilots_on(as_of) p
    LEFT JOIN agg ON agg.project_id = p.project_id;

-- Projects with their belt and phase on the date, narrowed by the dashboard's filters.
-- Every list argument is NULL for "all".
-- `cities`: 4-digit city codes (the city filter); the seven-argument form has no city filter, so a
-- query written before it keeps working (one body, in filtered_projects_in).
CREATE OR REPLACE MACRO filtered_projects_in(as_of, belts, provinces, domains, pilot_types, phases, statuses, cities) AS TABLE
    SELECT pb.*, ph.phase
    FROM project_base_on(as_of) pb
    JOIN project_phase(as_of) ph ON ph.project_id = pb.project_id
    WHERE (belts IS NULL OR list_contains(belts::VARCHAR[], pb.belt))
      AND (provinces IS NULL OR list_contains(provinces::VARCHAR[], pb.province_code))
      AND (cities IS NULL OR list_contains(cities::VARCHAR[], pb.city_code))
      AND (domains IS NULL OR list_contains(domains::VARCHAR[], pb.domain))
      AND (pilot_types IS NULL OR list_contains(pilot_types::VARCHAR[], pb.pilot_type))
      AND (phases IS NULL OR list_contains(phases::VARCHAR[], ph.phase))
      AND (statuses IS NULL OR list_contains(statuses::VARCHAR[], pb.status));
CREATE OR REPLACE MACRO filtered_projects(as_of, belts, provinces, domains, pilot_types, phases, statuses) AS TABLE
    (SELECT * FROM filtered_projects_in(as_of, belts, provinces, domains, pilot_types, phases, statuses, NULL)),
    (as_of, belts, provinces, domains, pilot_types, phases, statuses, cities) AS TABLE
    (SELECT * FROM filtered_projects_in(as_of, belts, provinces, domains, pilot_types, phases, statuses, cities));

-- Milestones ---------------------------------------------------------------------------------
-- The milestones of the pilots of the date. A pilot completed or withdrawn on D has no schedule
-- left: its unfinished milestones are 'closed', never overdue (nor upcoming).
CREATE OR REPLACE MACRO milestone_states(as_of) AS TABLE
    SELECT
        m.*,
        CASE
            WHEN m.done_date <= as_of AND m.done_date <= m.due_date THEN 'done_on_time'
            WHEN m.done_date <= as_of THEN 'done_late'
            WHEN NOT is_running(p.status) THEN 'closed'
            WHEN m.due_date < as_of THEN 'overdue'
            ELSE 'upcoming'
        END AS state,
        CASE
            WHEN is_running(p.status) AND NOT coalesce(m.done_date <= as_of, false) AND m.due_date < as_of
            THEN (as_of - m.due_date)::INTEGER
        END AS overdue_days
    FROM milestones m
    JOIN pilots_on(as_of) p ON p.project_id = m.project_id;

-- Readings and targets -----------------------------------------------------------------------
-- The current actual: the reading with the latest period end on or before the date.
CREATE OR REPLACE MACRO current_readings(as_of) AS TABLE
    SELECT project_id, indicator_code, max(period_end) AS period_end,
           arg_max(actual_value, period_end) AS actual
    FROM readings
    WHERE period_end <= as_of AND project_id IN (SELECT project_id FROM pilots_on(as_of))
    GROUP BY project_id, indicator_code;

-- The (project, indicator) pairs a project reports on: any reading at any date, or a
-- project-scoped target. Pairs without a current actual have status no_data.
CREATE OR REPLACE MACRO tracked_pairs() AS TABLE
    SELECT project_id, indicator_code FROM readings
    UNION
    SELECT project_id, indicator_code FROM targets WHERE project_id IS NOT NULL;

-- The target that applies, most specific first: (project, phase), (project, any),
-- (province, phase), (province, any), (belt, phase), (belt, any), (national, phase),
-- (national, any), and last the indicator's national_target (source 'catalogue').
-- A target row matches when every scope column it fills matches the project.
CREATE OR REPLACE MACRO applicable_targets(as_of) AS TABLE
    WITH pairs AS (
        SELECT tp.project_id, tp.indicator_code, pb.province_code, pb.belt, ph.phase
        FROM tracked_pairs() tp
        JOIN project_base() pb ON pb.project_id = tp.project_id
        JOIN project_phase(as_of) ph ON ph.project_id = tp.project_id
    ),
    ranked AS (
        SELECT
            t.*,
            CASE
                WHEN t.project_id IS NOT NULL THEN 'project'
                WHEN t.province_code IS NOT NULL THEN 'province'
                WHEN t.belt IS NOT NULL THEN 'belt'
                ELSE 'national'
            END AS target_scope,
            (CASE
                WHEN t.project_id IS NOT NULL THEN 0
                WHEN t.province_code IS NOT NULL THEN 1
                WHEN t.belt IS NOT NULL THEN 2
                ELSE 3
             END) * 2 + (CASE WHEN t.phase IS NULL THEN 1 ELSE 0 END) AS precedence
        FROM targets t
    ),
    -- A project's own targets outrank every other, so the best target is the best of the
    -- project's own if it has one, else the best of the others. Those (province, belt,
    -- national) are few and depend only on the place, so they are resolved once per place
    -- (indicator, province, belt, phase) rather than once per pair: equality joins throughout.
    project_best AS (
        SELECT pairs.project_id, pairs.indicator_code,
               arg_min({'value': t.target_value, 'scope': t.target_scope, 'phase': t.phase}, t.precedence) AS t
        FROM pairs
        JOIN ranked t
          ON t.project_id = pairs.project_id
         AND t.indicator_code = pairs.indicator_code
         AND (t.province_code IS NULL OR t.province_code = pairs.province_code)
         AND (t.belt IS NULL OR t.belt = pairs.belt)
         AND (t.phase IS NULL OR t.phase = pairs.phase)
        GROUP BY pairs.project_id, pairs.indicator_code
    ),
    places AS (
        SELECT DISTINCT indicator_code, province_code, belt, phase FROM pairs
    ),
    place_best AS (
        SELECT places.indicator_code, places.province_code, places.belt, places.phase,
               arg_min({'value': t.target_value, 'scope': t.target_scope, 'phase': t.phase}, t.precedence) AS t
        FROM places
        JOIN ranked t
          ON t.project_id IS NULL
         AND t.indicator_code = places.indicator_code
         AND (t.province_code IS NULL OR t.province_code = places.province_code)
         AND (t.belt IS NULL OR t.belt = places.belt)
         AND (t.phase IS NULL OR t.phase = places.phase)
        GROUP BY places.indicator_code, places.province_code, places.belt, places.phase
    ),
    best AS (
        SELECT pairs.project_id, pairs.indicator_code, coalesce(pj.t, pl.t) AS t
        FROM pairs
        LEFT JOIN project_best pj ON pj.project_id = pairs.project_id AND pj.indicator_code = pairs.indicator_code
        LEFT JOIN place_best pl
          ON pl.indicator_code = pairs.indicator_code
         AND pl.province_code IS NOT DISTINCT FROM pairs.province_code
         AND pl.belt IS NOT DISTINCT FROM pairs.belt
         AND pl.phase IS NOT DISTINCT FROM pairs.phase
    )
    SELECT
        pairs.project_id, pairs.indicator_code, pairs.phase, pairs.belt, pairs.province_code,
        coalesce(best.t.value, i.national_target) AS target,
        CASE
            WHEN best.t.value IS NOT NULL THEN best.t.scope
            WHEN i.national_target IS NOT NULL THEN 'catalogue'
        END AS target_scope,
        best.t.phase AS target_phase
    FROM pairs
    JOIN indicators i ON i.indicator_code = pairs.indicator_code
    LEFT JOIN best ON best.project_id = pairs.project_id AND best.indicator_code = pairs.indicator_code;

CREATE OR REPLACE MACRO indicator_status_live(as_of) AS TABLE
    SELECT
        t.project_id, t.indicator_code, i.category, i.direction, i.unit,
        cr.period_end, cr.actual, t.target, t.target_scope, t.target_phase, t.phase,
        achievement(i.direction, cr.actual, t.target) AS achievement,
        gap(i.direction, cr.actual, t.target) AS gap,
        indicator_status_of(i.direction, cr.actual, t.target) AS status
    FROM applicable_targets(as_of) t
    JOIN indicators i ON i.indicator_code = t.indicator_code
    LEFT JOIN current_readings(as_of) cr
      ON cr.project_id = t.project_id AND cr.indicator_code = t.indicator_code;

-- indicator_status_all and project_health_all are what nearly every page asks for, and at a
-- national programme's size they are the costly part (every reading, every target). So they
-- are also kept as snapshots: tables of their rows per as-of date, built by
-- pilotdash/snapshots.py for the data version and measure definitions of the moment. The query
-- layer sets the cursor's variable `snapshot_as_of` to a date only while the snapshot for it is
-- current (in the same transaction as the query), and the macro reads the snapshot for that
-- date; for any other date, or without the variable, it computes live. DuckDB resolves the
-- choice when planning, so the other branch costs nothing. The same rows either way.
-- The tables are a cache, remade empty each time the store is opened (so they always have the
-- columns of the macros here); the first query for a date fills them again.
CREATE OR REPLACE TABLE snapshot_state (
    as_of DATE PRIMARY KEY, data_version VARCHAR, measures VARCHAR, built_at TIMESTAMP, seconds DOUBLE
);
CREATE OR REPLACE TABLE snapshot_indicator_status (
    snapshot_as_of DATE, project_id VARCHAR, indicator_code VARCHAR, category VARCHAR,
    direction VARCHAR, unit VARCHAR, period_end DATE, actual DOUBLE, target DOUBLE,
    target_scope VARCHAR, target_phase VARCHAR, phase VARCHAR, achievement DOUBLE, gap DOUBLE,
    status VARCHAR
);
CREATE OR REPLACE MACRO indicator_status_all(as_of) AS TABLE
    SELECT * EXCLUDE (snapshot_as_of) FROM snapshot_indicator_status
    WHERE coalesce(getvariable('snapshot_as_of') = as_of, false) AND snapshot_as_of = as_of
    UNION ALL
    SELECT * FROM indicator_status_live(as_of)
    WHERE NOT coalesce(getvariable('snapshot_as_of') = as_of, false);

-- Money --------------------------------------------------------------------------------------
-- Budget lines count when their fiscal year is not after the as-of year.
CREATE OR REPLACE MACRO counted_budget_lines(as_of) AS TABLE
    SELECT b.*, b.spent > b.disbursed AS overspend
    FROM budget_lines b
    WHERE b.fiscal_year <= year(as_of) AND b.project_id IN (SELECT project_id FROM pilots_on(as_of));

-- Earned value: BAC over all lines of all years, milestone shares over all milestones, AC the
-- spent total of the counted lines. No milestones, or PV / AC of 0, gives no ratio.
CREATE OR REPLACE MACRO earned_value_all(as_of) AS TABLE
    WITH m AS (
        SELECT project_id, count(*) AS n,
               count(*) FILTER (WHERE due_date <= as_of) AS due,
               count(*) FILTER (WHERE done_date <= as_of) AS done
        FROM milestones GROUP BY project_id
    ),
    b AS (
        SELECT project_id, sum(allocated) AS bac,
               coalesce(sum(spent) FILTER (WHERE fiscal_year <= year(as_of)), 0) AS ac
        FROM budget_lines GROUP BY project_id
    ),
    ev AS (
        SELECT p.project_id,
               coalesce(b.bac, 0) AS bac,
               CASE WHEN m.n > 0 THEN coalesce(b.bac, 0) * m.due / m.n END AS pv,
               CASE WHEN m.n > 0 THEN coalesce(b.bac, 0) * m.done / m.n END AS ev,
               coalesce(b.ac, 0) AS ac
        FROM pilots_on(as_of) p
        LEFT JOIN m ON m.project_id = p.project_id
        LEFT JOIN b ON b.project_id = p.project_id
    )
    SELECT *, ratio(ev, pv) AS spi, ratio(ev, ac) AS cpi FROM ev;

-- Tasks, issues and risk reviews (shared/domain.md "Tasks, issues and risk reviews", issue 24) -----
-- Here, before risks and health, because table macros bind the macros they call when created
-- (is_running, defined with the projects above, likewise).
-- Planned progress of a task on a date: the elapsed share of its window, clamped to 0..1; a task
-- whose start is its due date (or has no start) is planned 0 before the due date and 1 from it on.
CREATE OR REPLACE MACRO task_planned(start_date, due_date, as_of) AS
    CASE
        WHEN start_date IS NULL OR due_date <= start_date THEN CASE WHEN as_of >= due_date THEN 1.0 ELSE 0.0 END
        ELSE greatest(0.0, least(1.0, (as_of - start_date)::DOUBLE / (due_date - start_date)::DOUBLE))
    END;

-- A weighted mean of children's progress, an aggregate: sum(w × v) / sum(w).
CREATE OR REPLACE MACRO weighted_progress(v, w) AS ratio(sum(v * w), sum(w));

-- Every task on the date: its level (1 goal, 2 sub-project, 3 action), its root, whether it is a
-- leaf, done, its progress (a leaf's: 100 when done, else its reported progress, empty = 0; a
-- parent's: the weight-weighted mean of its children's as shown, its own reported progress
-- ignored; any node not done at most 99), planned (0..100), its state and days overdue.
-- A pilot that is not running on the date (completed, withdrawn) has its tasks closed: never
-- overdue, behind or warned. The tree has at most three levels (the upload refuses deeper), so
-- two roll-up steps reach every root.
-- A task is overdue on D when it is not done by D, its pilot runs on D, and its due date is past:
-- task_nodes' state says so, and the warnings read it without the progress roll-up.
CREATE OR REPLACE MACRO task_is_overdue(done_date, due_date, status, as_of) AS
    NOT coalesce(done_date <= as_of, false) AND is_running(status) AND due_date < as_of;

CREATE OR REPLACE MACRO task_nodes(as_of) AS TABLE
    WITH t AS (
        SELECT t.*, g.parent_id AS grand_id,
               coalesce(t.done_date <= as_of, false) AS done,
               EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = t.task_id) AS has_children
        FROM tasks t LEFT JOIN tasks g ON g.task_id = t.parent_id
    ),
    v1 AS (
        SELECT *, CASE WHEN done THEN 100.0 ELSE least(coalesce(progress, 0), 99.0) END AS own FROM t
    ),
    up1 AS (SELECT parent_id, weighted_progress(own, weight) AS mean FROM v1 WHERE parent_id IS NOT NULL GROUP BY parent_id),
    v2 AS (
        SELECT v1.*, CASE WHEN NOT has_children THEN own WHEN done THEN up1.mean ELSE least(up1.mean, 99.0) END AS p2
        FROM v1 LEFT JOIN up1 ON up1.parent_id = v1.task_id
    ),
    up2 AS (SELECT parent_id, weighted_progress(p2, weight) AS mean FROM v2 WHERE parent_id IS NOT NULL GROUP BY parent_id),
    v3 AS (
        SELECT v2.*, CASE WHEN NOT has_children THEN own WHEN done THEN up2.mean ELSE least(up2.mean, 99.0) END AS rolled
        FROM v2 LEFT JOIN up2 ON up2.parent_id = v2.task_id
    )
    SELECT v3.task_id, v3.project_id, v3.parent_id, v3.grand_id, v3.name, v3.owner, v3.start_date, v3.due_date,
           v3.done_date, v3.weight, v3.progress AS reported_progress, v3.deliverable,
           CASE WHEN v3.parent_id IS NULL THEN 1 WHEN v3.grand_id IS NULL THEN 2 ELSE 3 END AS level,
           coalesce(v3.grand_id, v3.parent_id, v3.task_id) AS root_id,
           NOT v3.has_children AS leaf, v3.done,
           v3.rolled AS progress,
           100.0 * task_planned(v3.start_date, v3.due_date, as_of) AS planned,
           CASE
               WHEN v3.done AND v3.done_date <= v3.due_date THEN 'done_on_time'
               WHEN v3.done THEN 'done_late'
               WHEN NOT is_running(p.status) THEN 'closed'
               WHEN task_is_overdue(v3.done_date, v3.due_date, p.status, as_of) THEN 'overdue'
               WHEN v3.rolled < 100.0 * task_planned(v3.start_date, v3.due_date, as_of) - th_behind_points() THEN 'behind'
               ELSE 'on_track'
           END AS state,
           CASE WHEN task_is_overdue(v3.done_date, v3.due_date, p.status, as_of)
                THEN (as_of - v3.due_date)::INTEGER END AS overdue_days
    FROM v3 JOIN pilots_on(as_of) p ON p.project_id = v3.project_id;  -- the pilots of D, with their status on D

-- A node's red/amber/green: red if it or any descendant is overdue by more than 30 days, amber if
-- any is overdue or behind, else green. A node's descendants name it as parent or grandparent.
CREATE OR REPLACE MACRO task_rag(as_of) AS TABLE
    -- Each node counts for itself, its parent and its grandparent: three equi-joins' worth of
    -- rows in one pass (a join on "id = a OR id = b" would compare every pair of tasks).
    WITH n AS MATERIALIZED (SELECT * FROM task_nodes(as_of)),
    under AS (
        SELECT task_id AS node, state, overdue_days FROM n
        UNION ALL SELECT parent_id, state, overdue_days FROM n WHERE parent_id IS NOT NULL
        UNION ALL SELECT grand_id, state, overdue_days FROM n WHERE grand_id IS NOT NULL
    ),
    flags AS (
        SELECT node, bool_or(overdue_days > th_overdue_red_days()) AS red,
               bool_or(state IN ('overdue', 'behind')) AS amber
        FROM under GROUP BY node
    )
    SELECT n.*, CASE WHEN f.red THEN 'red' WHEN f.amber THEN 'amber' ELSE 'green' END AS rag
    FROM n JOIN flags f ON f.node = n.task_id;

-- On-time delivery rate 按时交付率 of one pilot on a date: of its leaf tasks due on or before the
-- date, the share done on time (done ≤ due and ≤ the date); NULL ("—") when none is due.
-- Called on_time_delivery(project_id, d); the parameter is `pid` because a parameter may not share
-- a column's name in DuckDB.
CREATE OR REPLACE MACRO on_time_delivery(pid, d) AS (
    SELECT ratio(count(*) FILTER (WHERE t.done_date <= t.due_date AND t.done_date <= d)::DOUBLE, count(*)::DOUBLE)
    FROM tasks t
    WHERE t.project_id = pid AND t.due_date <= d
      AND NOT EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = t.task_id)
);

-- The same counts for every pilot at once (belts and programmes add them up): leaves due by the
-- date and those of them done on time.
CREATE OR REPLACE MACRO task_delivery(as_of) AS TABLE
    SELECT t.project_id, count(*) AS leaves_due,
           count(*) FILTER (WHERE t.done_date <= t.due_date AND t.done_date <= as_of) AS on_time
    FROM tasks t
    WHERE t.due_date <= as_of AND NOT EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = t.task_id)
    GROUP BY t.project_id;

-- Issues on a date: those raised by then; verified 已销号 if verified by then, resolved 待销号 if
-- resolved by then, overdue if neither and past due, else open 整改中 (closed for a pilot not
-- running on the date: never overdue or warned).
CREATE OR REPLACE MACRO issue_states(as_of) AS TABLE
    SELECT i.*,
           CASE
               WHEN i.verified_on <= as_of THEN 'verified'
               WHEN i.resolved_on <= as_of THEN 'resolved'
               WHEN NOT is_running(p.status) THEN 'closed'
               WHEN i.due_date < as_of THEN 'overdue'
               ELSE 'open'
           END AS state,
           CASE WHEN NOT coalesce(i.verified_on <= as_of, false) AND NOT coalesce(i.resolved_on <= as_of, false)
                     AND is_running(p.status) AND i.due_date < as_of
                THEN (as_of - i.due_date)::INTEGER END AS overdue_days
    FROM issues i JOIN pilots_on(as_of) p ON p.project_id = i.project_id  -- the pilots of D, with their status on D
    WHERE i.raised_on <= as_of;

-- Issue resolution rate 问题解决率 of one pilot: issues verified by the date ÷ issues raised by it.
CREATE OR REPLACE MACRO issue_resolution(pid, d) AS (
    SELECT ratio(count(*) FILTER (WHERE i.verified_on <= d)::DOUBLE, count(*)::DOUBLE)
    FROM issues i WHERE i.project_id = pid AND i.raised_on <= d
);

-- A risk's history: the risk row is its first review (on its identification date), then its
-- reviews; `first` tells them apart (a review on the identification day wins over the row).
CREATE OR REPLACE MACRO risk_history() AS TABLE
    SELECT risk_id, identified_on AS reviewed_on, probability, impact, status,
           NULL::VARCHAR AS strategy, NULL::VARCHAR AS note, true AS first
    FROM risks
    UNION ALL
    SELECT risk_id, reviewed_on, probability, impact, status, strategy, note, false FROM risk_reviews;

-- Every risk identified by the date (or undated) as it stood then: its latest review on or before
-- the date; `reviewed_on` that review's date (the identification for the row itself); review
-- overdue when open and that date is more than 92 days before the date (a quarter's review due).
CREATE OR REPLACE MACRO risks_on(as_of) AS TABLE
    WITH latest AS (
        SELECT risk_id,
               arg_max(struct_pack(probability := probability, impact := impact, status := status,
                                   strategy := strategy, note := note, reviewed_on := reviewed_on),
                       struct_pack(d := coalesce(reviewed_on, DATE '0001-01-01'), r := NOT first)) AS s
        FROM risk_history()
        WHERE reviewed_on IS NULL OR reviewed_on <= as_of
        GROUP BY risk_id
    )
    SELECT r.risk_id, r.project_id, r.category, r.description, l.s.probability AS probability,
           l.s.impact AS impact, l.s.status AS status, r.owner, r.identified_on,
           l.s.reviewed_on AS reviewed_on, l.s.strategy AS strategy, l.s.note AS review_note,
           coalesce(l.s.status = 'open' AND l.s.reviewed_on < as_of - th_review_days()::INTEGER, false)
               AS review_overdue
    FROM risks r JOIN latest l ON l.risk_id = r.risk_id
    WHERE r.identified_on IS NULL OR r.identified_on <= as_of;

-- Health's amber condition of tasks and issues: any task or issue overdue by more than 30 days.
CREATE OR REPLACE MACRO work_overdue_30d(as_of) AS TABLE
    SELECT project_id, bool_or(kind = 'task') AS task_overdue_30d, bool_or(kind = 'issue') AS issue_overdue_30d
    FROM (
        SELECT project_id, 'task' AS kind FROM task_nodes(as_of) WHERE overdue_days > th_overdue_red_days()
        UNION ALL
        SELECT project_id, 'issue' FROM issue_states(as_of) WHERE overdue_days > th_overdue_red_days()
    )
    GROUP BY project_id;

-- Risks --------------------------------------------------------------------------------------
-- A risk as it stood on the date: its latest review on or before it (risks_on, below), so health
-- and warnings judge the risk of that day, not its newest review.
CREATE OR REPLACE MACRO counted_risks(as_of) AS TABLE
    SELECT r.*, r.probability * r.impact AS score, risk_level(r.probability * r.impact) AS level
    FROM risks_on(as_of) r
    WHERE r.project_id IN (SELECT project_id FROM pilots_on(as_of));

-- Assessment 考核评价 (the scoring itself is in assessment.sql; these two feed health) ---------
-- The final evaluation of a pilot in a round: the complete third-party one, else the complete
-- department one, else the complete self one (eval_results holds the computed evaluations).
CREATE OR REPLACE MACRO evaluator_precedence(evaluator) AS
    CASE evaluator WHEN 'third_party' THEN 1 WHEN 'department' THEN 2 WHEN 'self' THEN 3 END;
CREATE OR REPLACE MACRO eval_final_all() AS TABLE
    SELECT round_id, project_id,
           arg_min(evaluator, evaluator_precedence(evaluator)) AS final_evaluator,
           arg_min(total, evaluator_precedence(evaluator)) AS final_total,
           arg_min(grade, evaluator_precedence(evaluator)) AS final_grade,
           arg_min(veto_item, evaluator_precedence(evaluator)) AS final_veto_item
    FROM eval_results
    WHERE complete AND evaluator_precedence(evaluator) IS NOT NULL
    GROUP BY round_id, project_id;
-- A round's place in time: its period end, then (two rounds ending the same day) the wider kind.
CREATE OR REPLACE MACRO round_order(period_end, kind) AS
    {'end': period_end, 'kind': CASE kind WHEN 'final' THEN 4 WHEN 'annual' THEN 3 WHEN 'midterm' THEN 2 ELSE 1 END};
-- A pilot's latest grade on D: the final grade of the round with the latest period end <= D in
-- which it has a final score.
CREATE OR REPLACE MACRO latest_grades(as_of) AS TABLE
    SELECT f.project_id,
           arg_max(f.final_grade, round_order(r.period_end, r.kind)) AS grade,
           arg_max(f.final_total, round_order(r.period_end, r.kind)) AS total,
           arg_max(r.round_id, round_order(r.period_end, r.kind)) AS round_id
    FROM eval_final_all() f
    JOIN eval_rounds r ON r.round_id = f.round_id
    WHERE r.period_end <= as_of
    GROUP BY f.project_id;

-- Health -------------------------------------------------------------------------------------
-- Of the pilots of the date; judged for running ones (completed and withdrawn: 'closed').
-- Red: a milestone overdue > 30 days, an overspend, an open red risk, or (after launch) fewer
-- than half the indicators with data met or near. Amber: a milestone overdue, an indicator
-- behind, execution < 85% in a closed fiscal year, SPI or CPI < 0.9, an open orange risk.
CREATE OR REPLACE MACRO project_health_live(as_of) AS TABLE
    WITH ms AS (
        SELECT project_id,
               bool_or(overdue_days > th_overdue_red_days()) AS overdue_30d,
               bool_or(state = 'overdue') AS overdue
        FROM milestone_states(as_of) GROUP BY project_id
    ),
    lines AS (
        SELECT project_id, bool_or(overspend) AS overspend
        FROM counted_budget_lines(as_of) GROUP BY project_id
    ),
    closed_years AS (
        SELECT project_id,
               bool_or(execution_rate(spent, disbursed) < th_fund_target()) AS low_execution
        FROM (
            SELECT project_id, fiscal_year, sum(spent) AS spent, sum(disbursed) AS disbursed
            FROM budget_lines WHERE fiscal_year < year(as_of) GROUP BY project_id, fiscal_year
        )
        GROUP BY project_id
    ),
    rk AS (
        SELECT project_id,
               bool_or(status = 'open' AND level = 'red') AS red_risk,
               bool_or(status = 'open' AND level = 'orange') AS orange_risk
        FROM counted_risks(as_of) GROUP BY project_id
    ),
    ind AS (
        SELECT project_id,
               count(*) FILTER (WHERE actual IS NOT NULL) AS with_data,
               count(*) FILTER (WHERE actual IS NOT NULL AND status IN ('met', 'near')) AS on_track,
               bool_or(status = 'behind') AS behind
        FROM indicator_status_all(as_of) GROUP BY project_id
    ),
    flags AS (
        SELECT
            p.project_id, is_running(p.status) AS running,
            list_filter([
                CASE WHEN ms.overdue_30d THEN 'milestone_overdue_30d' END,
                CASE WHEN lines.overspend THEN 'overspend' END,
                CASE WHEN rk.red_risk THEN 'open_red_risk' END,
                CASE WHEN ph.phase <> 'launch' AND ind.with_data > 0
                      AND ind.on_track < th_min_share_ok() * ind.with_data
                     THEN 'indicators_off_track' END,
                -- assessment: a latest grade of 差
                CASE WHEN lg.grade = 'poor' THEN 'grade_poor' END
            ], lambda x: x IS NOT NULL) AS red_reasons,
            list_filter([
                CASE WHEN ms.overdue AND NOT ms.overdue_30d THEN 'milestone_overdue' END,
                CASE WHEN ind.behind THEN 'indicator_behind' END,
                CASE WHEN closed_years.low_execution THEN 'low_execution_closed_year' END,
                CASE WHEN ev.spi < th_ev_warn() THEN 'spi_low' END,
                CASE WHEN ev.cpi < th_ev_warn() THEN 'cpi_low' END,
                CASE WHEN rk.orange_risk THEN 'open_orange_risk' END,
                -- assessment: a latest grade of 中
                CASE WHEN lg.grade = 'fair' THEN 'grade_fair' END,
                -- tasks and issues (issue 24): a task or an issue overdue by more than 30 days
                CASE WHEN wk.task_overdue_30d THEN 'task_overdue_30d' END,
                CASE WHEN wk.issue_overdue_30d THEN 'issue_overdue_30d' END
            ], lambda x: x IS NOT NULL) AS amber_reasons
        FROM pilots_on(as_of) p
        JOIN project_phase(as_of) ph ON ph.project_id = p.project_id
        LEFT JOIN ms ON ms.project_id = p.project_id
        LEFT JOIN lines ON lines.project_id = p.project_id
        LEFT JOIN closed_years ON closed_years.project_id = p.project_id
        LEFT JOIN rk ON rk.project_id = p.project_id
        LEFT JOIN ind ON ind.project_id = p.project_id
        LEFT JOIN earned_value_all(as_of) ev ON ev.project_id = p.project_id
        LEFT JOIN latest_grades(as_of) lg ON lg.project_id = p.project_id
        LEFT JOIN work_overdue_30d(as_of) wk ON wk.project_id = p.project_id
    )
    -- Health is judged for running pilots only: a pilot completed or withdrawn on the date is
    -- 'closed' (no reasons), so no red/amber/green count or list can hold it.
    SELECT
        project_id,
        CASE
            WHEN NOT running THEN 'closed'
            WHEN len(red_reasons) > 0 THEN 'red'
            WHEN len(amber_reasons) > 0 THEN 'amber'
            ELSE 'green'
        END AS health,
        CASE WHEN running THEN list_concat(red_reasons, amber_reasons) ELSE []::VARCHAR[] END AS reasons
    FROM flags;

-- Snapshot-backed, like indicator_status_all above.
CREATE OR REPLACE TABLE snapshot_project_health (
    snapshot_as_of DATE, project_id VARCHAR, health VARCHAR, reasons VARCHAR[]
);
CREATE OR REPLACE MACRO project_health_all(as_of) AS TABLE
    SELECT * EXCLUDE (snapshot_as_of) FROM snapshot_project_health
    WHERE coalesce(getvariable('snapshot_as_of') = as_of, false) AND snapshot_as_of = as_of
    UNION ALL
    SELECT * FROM project_health_live(as_of)
    WHERE NOT coalesce(getvariable('snapshot_as_of') = as_of, false);

-- Share of targets met: of the (project, indicator) pairs in the group (those with a current
-- actual), the share whose status is met; an aggregate, used inside a GROUP BY.
CREATE OR REPLACE MACRO share_met_of(status) AS ratio(count(*) FILTER (WHERE status = 'met'), count(*));

-- (is_running, the running pilots, is defined with the projects above: milestone states use it.)

-- The belts in their order east, central, west (1, 2, 3; NULL for anything else, e.g. 'all').
CREATE OR REPLACE MACRO belt_no(belt) AS CASE belt WHEN 'east' THEN 1 WHEN 'central' THEN 2 WHEN 'west' THEN 3 END;

-- How bad a health level is, to say whether a pilot got worse: green 0, amber 1, red 2.
CREATE OR REPLACE MACRO health_rank(health) AS
    CASE health WHEN 'green' THEN 0 WHEN 'amber' THEN 1 WHEN 'red' THEN 2 END;

-- The period a change is measured over: the quarter end before the as-of date (analysts report
-- monthly or quarterly, so the quarter is the period every pilot has); domain.previous_period_end.
CREATE OR REPLACE MACRO previous_period_end(as_of) AS (date_trunc('quarter', as_of) - INTERVAL 1 DAY)::DATE;

-- Regions and funds (Regions and Funds pages) ------------------------------------------------
-- Unspent balance: what is left of a base amount (allocated or disbursed) after spending;
-- negative when more was spent than the base (an overspend against disbursed money).
CREATE OR REPLACE MACRO unspent_balance(base, spent) AS base - spent;

-- The local matching ratio a belt is expected to reach: 1.5 (1:1.5) in the east, 1 elsewhere.
CREATE OR REPLACE MACRO expected_matching(belt) AS
    CASE WHEN belt = 'east' THEN th_matching_east() ELSE th_matching() END;

-- An SPI or CPI against its thresholds: red below 0.8, amber below 0.9, green otherwise;
-- no ratio, no level.
CREATE OR REPLACE MACRO ev_level(x) AS
    CASE
        WHEN x IS NULL THEN NULL
        WHEN x < th_ev_red() THEN 'red'
        WHEN x < th_ev_warn() THEN 'amber'
        ELSE 'green'
    END;

-- The measures the provinces, cities and counties are compared on, per place of the pilots the
-- filters keep, at one grouping level ('province', 'city' or 'county'): counts by health, share
-- red (of the running pilots), money and utilisation (fiscal years in `fiscal_years` only, NULL for
-- all), share of (project, indicator) pairs with a current actual that are met. One macro for the
-- three levels, so a province's numbers and its cities' cannot disagree. Every kept pilot is in
-- exactly one row: place_code is its province, city or county (NULL: "not given"), parent_code the
-- place one level up (NULL at the province level). Only places with a kept pilot have a row.
CREATE OR REPLACE MACRO measures_by_place(level, as_of, belts, provinces_, domains, pilot_types, phases, statuses, fiscal_years, cities) AS TABLE
    WITH fp AS (
        SELECT project_id, province_code, status,
               CASE level WHEN 'province' THEN NULL WHEN 'city' THEN province_code ELSE city_code END AS parent_code,
               CASE level WHEN 'province' THEN province_code WHEN 'city' THEN city_code ELSE county_code END AS place_code
        FROM filtered_projects(as_of, belts, provinces_, domains, pilot_types, phases, statuses, cities)
    ),
    health AS (
        SELECT fp.province_code, fp.parent_code, fp.place_code,
               count(*) AS projects,
               count(*) FILTER (WHERE is_running(fp.status)) AS running,
               count(*) FILTER (WHERE h.health = 'red') AS red,
               count(*) FILTER (WHERE h.health = 'amber') AS amber,
               count(*) FILTER (WHERE h.health = 'green') AS green
        FROM fp JOIN project_health_all(as_of) h ON h.project_id = fp.project_id
        GROUP BY ALL
    ),
    money AS (
        SELECT fp.province_code, fp.parent_code, fp.place_code, sum(b.allocated) AS allocated,
               sum(b.disbursed) AS disbursed, sum(b.spent) AS spent
        FROM fp JOIN counted_budget_lines(as_of) b ON b.project_id = fp.project_id
        WHERE fiscal_years IS NULL OR list_contains(fiscal_years::INTEGER[], b.fiscal_year)
        GROUP BY ALL
    ),
    targets_met AS (
        SELECT fp.province_code, fp.parent_code, fp.place_code, count(*) AS pairs_with_data,
               share_met_of(s.status) AS share_met
        FROM fp JOIN indicator_status_all(as_of) s ON s.project_id = fp.project_id
        WHERE s.actual IS NOT NULL
        GROUP BY ALL
    )
    SELECT
        health.province_code, health.parent_code, health.place_code,
        health.projects, health.red, health.amber, health.green,
        -- of the running pilots, the ones judged (completed and withdrawn ones are 'closed')
        ratio(health.red, health.running) AS share_red,
        coalesce(money.allocated, 0) AS allocated,
        coalesce(money.disbursed, 0) AS disbursed,
        coalesce(money.spent, 0) AS spent,
        utilisation(money.spent, money.allocated) AS utilisation,
        coalesce(targets_met.pairs_with_data, 0) AS pairs_with_data,
        targets_met.share_met
    FROM health
    LEFT JOIN money ON money.province_code = health.province_code
        AND money.parent_code IS NOT DISTINCT FROM health.parent_code
        AND money.place_code IS NOT DISTINCT FROM health.place_code
    LEFT JOIN targets_met ON targets_met.province_code = health.province_code
        AND targets_met.parent_code IS NOT DISTINCT FROM health.parent_code
        AND targets_met.place_code IS NOT DISTINCT FROM health.place_code;

-- Every province (all 31, with its map tile) on measures_by_place's measures, over the pilots the
-- filters keep (a province without one: no pilots, no money, no rate). `in_view`: the province is
-- within the belt and province filters.
CREATE OR REPLACE MACRO province_measures_in(as_of, belts, provinces_, domains, pilot_types, phases, statuses, fiscal_years, cities) AS TABLE
    SELECT
        pr.province_code, pr.name_zh, pr.name_en, pr.belt, pr.tile_row, pr.tile_col,
        (belts IS NULL OR list_contains(belts::VARCHAR[], pr.belt))
            AND (provinces_ IS NULL OR list_contains(provinces_::VARCHAR[], pr.province_code)) AS in_view,
        coalesce(g.projects, 0) AS projects,
        coalesce(g.red, 0) AS red,
        coalesce(g.amber, 0) AS amber,
        coalesce(g.green, 0) AS green,
        g.share_red,
        coalesce(g.allocated, 0) AS allocated,
        coalesce(g.disbursed, 0) AS disbursed,
        coalesce(g.spent, 0) AS spent,
        g.utilisation,
        coalesce(g.pairs_with_data, 0) AS pairs_with_data,
        g.share_met
    FROM provinces pr
    LEFT JOIN measures_by_place('province', as_of, belts, provinces_, domains, pilot_types, phases, statuses,
                                fiscal_years, cities) g ON g.place_code = pr.province_code;
-- With the city filter (`cities`) as a ninth argument; without it, every city.
CREATE OR REPLACE MACRO province_measures(as_of, belts, provinces_, domains, pilot_types, phases, statuses, fiscal_years) AS TABLE
    (SELECT * FROM province_measures_in(as_of, belts, provinces_, domains, pilot_types, phases, statuses, fiscal_years, NULL)),
    (as_of, belts, provinces_, domains, pilot_types, phases, statuses, fiscal_years, cities) AS TABLE
    (SELECT * FROM province_measures_in(as_of, belts, provinces_, domains, pilot_types, phases, statuses, fiscal_years, cities));

-- Schedule (Phase progress and Project pages) ------------------------------------------------
-- Milestone completion: of the milestones due by the date (due <= D), the share done by then;
-- no milestone due gives no rate.
CREATE OR REPLACE MACRO milestone_completion(done_of_due, due) AS ratio(done_of_due, due);

-- Each phase as known on the date (an actual date after D is not known yet): its state, and
-- how many days it started or finished later than planned. A phase not started although its
-- planned start has passed is late to start; one not finished although its planned end has
-- passed is late to finish.
CREATE OR REPLACE MACRO phase_schedule(as_of) AS TABLE
    WITH known AS (
        SELECT project_id, phase, phase_no, planned_start, planned_end, progress,
               CASE WHEN actual_start <= as_of THEN actual_start END AS actual_start,
               CASE WHEN actual_end <= as_of THEN actual_end END AS actual_end
        FROM phase_windows(as_of)
    )
    SELECT
        *,
        CASE
            WHEN actual_end IS NOT NULL THEN 'done'
            WHEN actual_start IS NOT NULL THEN 'in_progress'
            ELSE 'not_started'
        END AS phase_state,
        actual_start IS NULL AND planned_start < as_of AS late_start,
        actual_end IS NULL AND planned_end < as_of AS late_end,
        CASE
            WHEN actual_start IS NOT NULL THEN greatest(actual_start - planned_start, 0)
            WHEN planned_start < as_of THEN as_of - planned_start
            ELSE 0
        END::INTEGER AS start_slip_days,
        CASE
            WHEN actual_end IS NOT NULL THEN greatest(actual_end - planned_end, 0)
            WHEN planned_end < as_of THEN as_of - planned_end
            ELSE 0
        END::INTEGER AS end_slip_days
    FROM known;

-- Behind schedule, defined here once: on the date an active or suspended project has an
-- overdue milestone, an SPI below th_ev_warn(), a phase late to start or a phase late to
-- finish. A completed or withdrawn project has no schedule left to keep, so it is never behind
-- (its schedule_reasons still say what was late). slip_days is the
-- worst of those delays in days (milestone days overdue, days a phase is late to start or
-- finish), what "worst first" sorts by.
CREATE OR REPLACE MACRO project_schedule(as_of) AS TABLE
    WITH ms AS (
        SELECT project_id,
               count(*) AS milestones,
               -- due: the milestones done by the date or past due on it (done on time + done late
               -- + overdue, so the three add up to it); completion is the share of them done
               count(*) FILTER (WHERE state IN ('done_on_time', 'done_late', 'overdue')) AS due,
               count(*) FILTER (WHERE state IN ('done_on_time', 'done_late')) AS done_of_due,
               count(*) FILTER (WHERE state = 'done_on_time') AS done_on_time,
               count(*) FILTER (WHERE state = 'done_late') AS done_late,
               count(*) FILTER (WHERE state = 'overdue') AS overdue,
               count(*) FILTER (WHERE state = 'upcoming') AS upcoming,
               count(*) FILTER (WHERE state = 'closed') AS closed,
               max(overdue_days) AS max_overdue_days
        FROM milestone_states(as_of) GROUP BY project_id
    ),
    ph AS (
        SELECT project_id,
               bool_or(late_start) AS late_start,
               bool_or(late_end) AS late_end,
               max(greatest(CASE WHEN late_start THEN start_slip_days END,
                            CASE WHEN late_end THEN end_slip_days END)) AS late_days,
               min(planned_start) AS planned_start,
               max(planned_end) AS planned_end
        FROM phase_schedule(as_of) GROUP BY project_id
    ),
    flags AS (
        SELECT
            p.project_id, pp.phase, cur.progress AS phase_progress,
            ph.planned_start, ph.planned_end,
            coalesce(ms.milestones, 0) AS milestones, coalesce(ms.due, 0) AS due,
            coalesce(ms.done_on_time, 0) AS done_on_time, coalesce(ms.done_late, 0) AS done_late,
            coalesce(ms.overdue, 0) AS overdue, coalesce(ms.upcoming, 0) AS upcoming,
            coalesce(ms.closed, 0) AS closed,
            coalesce(ms.done_of_due, 0) AS done_of_due,
            milestone_completion(ms.done_of_due, ms.due) AS completion,
            ev.spi,
            list_filter([
                CASE WHEN ms.overdue > 0 THEN 'milestone_overdue' END,
                CASE WHEN ev.spi < th_ev_warn() THEN 'spi_low' END,
                CASE WHEN ph.late_start THEN 'phase_start_late' END,
                CASE WHEN ph.late_end THEN 'phase_end_late' END
            ], lambda x: x IS NOT NULL) AS schedule_reasons,
            greatest(coalesce(ms.max_overdue_days, 0), coalesce(ph.late_days, 0))::INTEGER AS slip_days,
            is_running(p.status) AS running
        FROM pilots_on(as_of) p
        JOIN project_phase(as_of) pp ON pp.project_id = p.project_id
        LEFT JOIN phase_windows(as_of) cur ON cur.project_id = p.project_id AND cur.phase = pp.phase
        LEFT JOIN ms ON ms.project_id = p.project_id
        LEFT JOIN ph ON ph.project_id = p.project_id
        LEFT JOIN earned_value_all(as_of) ev ON ev.project_id = p.project_id
        LEFT JOIN work_overdue_30d(as_of) wk ON wk.project_id = p.project_id
    )
    SELECT * EXCLUDE (running),
           running AND len(schedule_reasons) > 0 AS behind,
           CASE WHEN NOT running THEN 'closed' WHEN len(schedule_reasons) > 0 THEN 'behind'
                ELSE 'on_schedule' END AS schedule_state
    FROM flags;

-- Cities and counties 地市、县 (the Regions drill-down below a province) -------------------------
-- measures_by_place per city (level 'city') or per county ('county'), with the place's name, over
-- the pilots the filters keep. Every kept pilot is in exactly one row: one
-- without a city (county) code is in its province's (city's) row whose place_code is NULL, "not
-- given", so a province's city rows add up to the province's row and a city's county rows to the
-- city's. parent_code: the province (city level) or the city (county level).
CREATE OR REPLACE MACRO place_measures(level, as_of, belts, provinces_, domains, pilot_types, phases, statuses, fiscal_years, cities) AS TABLE
    SELECT
        g.province_code, g.parent_code, g.place_code,
        CASE WHEN level = 'city' THEN c.label_zh ELSE k.name_zh END AS name_zh,
        g.projects, g.red, g.amber, g.green, g.share_red, g.allocated, g.disbursed, g.spent, g.utilisation,
        g.pairs_with_data, g.share_met
    FROM measures_by_place(level, as_of, belts, provinces_, domains, pilot_types, phases, statuses, fiscal_years, cities) g
    LEFT JOIN cities c ON level = 'city' AND c.city_code = g.place_code
    LEFT JOIN counties k ON level = 'county' AND k.county_code = g.place_code;

-- Promotion and cases 经验推广 (pilotdash/cases, shared/domain.md "Promotion and cases") ----------
-- A case's stage on D, for the funnel draft → evaluated → recommended → adopted. Cases carry no
-- date of their own before recommendation, so a case counts on every date at its stored maturity,
-- except that a recommendation counts from recommended_on and an adoption from adopted_on:
-- adopted once an adoption is on or before D; recommended once recommended_on ≤ D (a recommended
-- or adopted case not yet recommended on D was evaluated then). adoptions / adopting_provinces:
-- its adoptions by D and the provinces they were in.
CREATE OR REPLACE MACRO case_stages(as_of) AS TABLE
    WITH adopted AS (
        SELECT case_id, count(*) AS adoptions, list(DISTINCT province_code ORDER BY province_code) AS adopting_provinces
        FROM adoptions WHERE adopted_on <= as_of GROUP BY case_id
    )
    SELECT c.case_id, c.project_id, c.title, c.kind, c.maturity, c.recommended_on,
           coalesce(c.standard_level, 'none') AS standard_level,
           CASE
               WHEN a.adoptions > 0 THEN 'adopted'
               WHEN c.maturity IN ('recommended', 'adopted') AND c.recommended_on <= as_of THEN 'recommended'
               WHEN c.maturity IN ('recommended', 'adopted') THEN 'evaluated'
               ELSE c.maturity
           END AS stage,
           coalesce(a.adoptions, 0) AS adoptions,
           coalesce(a.adopting_provinces, []::VARCHAR[]) AS adopting_provinces
    FROM cases c
    LEFT JOIN adopted a ON a.case_id = c.case_id;

-- Funnel order of a stage (a case at a stage has passed every earlier one).
CREATE OR REPLACE MACRO stage_no(stage) AS
    CASE stage WHEN 'draft' THEN 1 WHEN 'evaluated' THEN 2 WHEN 'recommended' THEN 3 WHEN 'adopted' THEN 4 END;

-- A pilot counts for conversion on D when it is in the promotion phase or completed; it is
-- converted when one of its cases is recommended or adopted by D. The rate is over those pilots:
-- converted ones among them ÷ them (a pilot converted before its promotion phase is counted once
-- it reaches it), so it never exceeds 100%. Target th_conversion_target().
CREATE OR REPLACE MACRO conversion_rate(converted, eligible) AS ratio(converted, eligible);
-- Provinces with an adoption by D ÷ the 31 mainland provinces.
CREATE OR REPLACE MACRO case_coverage(provinces_with_adoption) AS
    provinces_with_adoption / th_coverage_provinces();

-- Per pilot of the filters on D: whether it counts for conversion (eligible), whether it is
-- converted, how many cases it has, and its cases' furthest stage.
CREATE OR REPLACE MACRO promotion_pilots(as_of, belts, provinces_, domains, pilot_types, phases, statuses, cities) AS TABLE
    WITH per_pilot AS (
        SELECT project_id, count(*) AS cases,
               count(*) FILTER (WHERE stage IN ('recommended', 'adopted')) > 0 AS has_recommended,
               max(stage_no(stage)) AS furthest
        FROM case_stages(as_of) GROUP BY project_id
    )
    SELECT fp.project_id, fp.belt, fp.province_code, fp.phase, fp.status,
           (fp.phase = 'promotion' OR fp.status = 'completed') AS eligible,
           (fp.phase = 'promotion' OR fp.status = 'completed') AND coalesce(pp.has_recommended, false) AS converted,
           coalesce(pp.cases, 0) AS cases, pp.furthest
    FROM filtered_projects(as_of, belts, provinces_, domains, pilot_types, phases, statuses, cities) fp
    LEFT JOIN per_pilot pp ON pp.project_id = fp.project_id;

-- A running pilot in the promotion phase on D without any case: the yellow warning `no_case`.
CREATE OR REPLACE MACRO pilots_without_case(as_of) AS TABLE
    SELECT p.project_id
    FROM pilots_on(as_of) p  -- the pilots of D, with their status on D
    JOIN project_phase(as_of) ph ON ph.project_id = p.project_id
    WHERE ph.phase = 'promotion' AND is_running(p.status)
      AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.project_id = p.project_id);
