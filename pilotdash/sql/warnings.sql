-- Early warning 预警 (shared/domain.md "Early warning and response"): the conditions, as of a
-- date, built on the measure macros of measures.sql and the th_*() thresholds; nothing here
-- restates a threshold. Loaded after measures.sql on every open of the store.
--
-- Red warnings are exactly health's red conditions, orange ones its amber conditions except
-- "indicator behind", which is yellow (and still makes health amber); so health never disagrees
-- with the warnings. Warnings are raised for running pilots (active, suspended) only: completed
-- and withdrawn pilots are counted apart and their unfinished work is closed, not overdue.

CREATE OR REPLACE MACRO warning_rank(level) AS
    CASE level WHEN 'red' THEN 3 WHEN 'orange' THEN 2 WHEN 'yellow' THEN 1 ELSE 0 END;

-- Hours to respond, by level: red 24 h, orange 72 h, yellow 48 h.
CREATE OR REPLACE MACRO respond_hours(level) AS
    CASE level
        WHEN 'red' THEN th_respond_red_hours()
        WHEN 'orange' THEN th_respond_orange_hours()
        ELSE th_respond_yellow_hours()
    END;

CREATE OR REPLACE MACRO respond_by_of(from_time, level) AS
    from_time + to_minutes((respond_hours(level) * 60)::BIGINT);

-- One row per running pilot x condition x trigger that holds on the date, with its level.
-- trigger_id is '' for a condition of the whole pilot (SPI, CPI, indicators off track).
CREATE OR REPLACE MACRO warning_conditions(as_of) AS TABLE
    WITH running AS (
        -- the pilots of the date that are running on it (measures.sql pilots_on)
        SELECT p.project_id, p.lead_unit, p.start_date, ph.phase
        FROM pilots_on(as_of) p
        JOIN project_phase(as_of) ph ON ph.project_id = p.project_id
        WHERE is_running(p.status)
    ),
    ind AS (
        SELECT project_id,
               count(*) FILTER (WHERE actual IS NOT NULL) AS with_data,
               count(*) FILTER (WHERE actual IS NOT NULL AND status IN ('met', 'near')) AS on_track
        FROM indicator_status_all(as_of) GROUP BY project_id
    ),
    -- Each risk's state on the date (its latest review) once, for both of its conditions: at 100x
    -- the latest review of 40k risks among 330k reviews is the dearest step here.
    risk_now AS MATERIALIZED (SELECT * FROM counted_risks(as_of)),
    ev AS MATERIALIZED (SELECT project_id, spi, cpi FROM earned_value_all(as_of)),
    found AS (
        -- A milestone overdue: red past th_overdue_red_days(), orange before.
        SELECT project_id, 'milestone_overdue' AS condition, 'milestone' AS trigger_kind,
               milestone_id AS trigger_id,
               CASE WHEN overdue_days > th_overdue_red_days() THEN 'red' ELSE 'orange' END AS level,
               overdue_days::DOUBLE AS detail, NULL::VARCHAR AS risk_owner
        FROM milestone_states(as_of) WHERE state = 'overdue'
        UNION ALL
        -- An overspend on a counted budget line.
        SELECT project_id, 'overspend', 'budget_line',
               fiscal_year::VARCHAR || '/' || source || '/' || category,
               'red', spent - disbursed, NULL
        FROM counted_budget_lines(as_of) WHERE overspend
        UNION ALL
        -- An open risk scored red, orange or yellow (low risks raise nothing).
        SELECT project_id, 'open_risk', 'risk', risk_id, level, score::DOUBLE, owner
        FROM risk_now WHERE status = 'open' AND level IN ('red', 'orange', 'yellow')
        UNION ALL
        -- After the launch phase, fewer than half the indicators with data met or near.
        SELECT r.project_id, 'indicators_off_track', 'project', '', 'red',
               ratio(ind.on_track, ind.with_data), NULL
        FROM running r JOIN ind ON ind.project_id = r.project_id
        WHERE r.phase <> 'launch' AND ind.with_data > 0
          AND ind.on_track < th_min_share_ok() * ind.with_data
        UNION ALL
        -- SPI or CPI below the warning line.
        SELECT project_id, 'spi_low', 'project', '', 'orange', spi, NULL
        FROM ev WHERE spi < th_ev_warn()
        UNION ALL
        SELECT project_id, 'cpi_low', 'project', '', 'orange', cpi, NULL
        FROM ev WHERE cpi < th_ev_warn()
        UNION ALL
        -- Execution rate below the fund target in a closed fiscal year (one per year).
        SELECT project_id, 'low_execution', 'fiscal_year', fiscal_year::VARCHAR, 'orange',
               execution_rate(spent, disbursed), NULL
        FROM (
            SELECT project_id, fiscal_year, sum(spent) AS spent, sum(disbursed) AS disbursed
            FROM budget_lines WHERE fiscal_year < year(as_of) GROUP BY project_id, fiscal_year
        )
        WHERE execution_rate(spent, disbursed) < th_fund_target()
        UNION ALL
        -- An indicator behind.
        SELECT project_id, 'indicator_behind', 'indicator', indicator_code, 'yellow', achievement, NULL
        FROM indicator_status_all(as_of) WHERE status = 'behind'
        UNION ALL
        -- No reading for an indicator for more than two quarters: the latest reading on or
        -- before the date (or, with none, the pilot's start) is older than that. Every tracked
        -- pair of a pilot on the date has its row in indicator_status_all, whose period_end is
        -- that latest reading (current_readings): read from the snapshot the ledger builds
        -- first, not computed again (0.4 s of the 0.75 s here at 100x).
        SELECT s.project_id, 'reading_missing', 'indicator', s.indicator_code, 'yellow',
               (as_of - coalesce(s.period_end, r.start_date))::DOUBLE, NULL
        FROM indicator_status_all(as_of) s
        JOIN running r ON r.project_id = s.project_id
        WHERE coalesce(s.period_end, r.start_date)
              < as_of - to_months(th_reading_stale_months()::INTEGER)
        UNION ALL
        -- Assessment: a latest grade of 差 (red) or 中 (orange); the trigger is the round.
        SELECT project_id, CASE grade WHEN 'poor' THEN 'grade_poor' ELSE 'grade_fair' END, 'round', round_id,
               CASE grade WHEN 'poor' THEN 'red' ELSE 'orange' END, total, NULL
        FROM latest_grades(as_of) WHERE grade IN ('poor', 'fair')
        UNION ALL
        -- Tasks, issues and risk reviews (issue 24): a task or an issue overdue, orange past
        -- th_overdue_red_days() (health amber), yellow before; owned by its own owner.
        -- (task_is_overdue, task_nodes' own rule, without its progress roll-up: 0.2 s at 100x)
        SELECT t.project_id, 'task_overdue', 'task', t.task_id,
               CASE WHEN as_of - t.due_date > th_overdue_red_days() THEN 'orange' ELSE 'yellow' END,
               (as_of - t.due_date)::DOUBLE, t.owner
        FROM tasks t JOIN pilots_on(as_of) p ON p.project_id = t.project_id
        WHERE task_is_overdue(t.done_date, t.due_date, p.status, as_of)
        UNION ALL
        SELECT project_id, 'issue_overdue', 'issue', issue_id,
               CASE WHEN overdue_days > th_overdue_red_days() THEN 'orange' ELSE 'yellow' END,
               overdue_days::DOUBLE, owner
        FROM issue_states(as_of) WHERE state = 'overdue'
        UNION ALL
        -- An open risk whose latest review is more than a quarter old: yellow (of a running
        -- pilot, as every condition: risk_now holds the risks of the pilots on the date).
        SELECT project_id, 'risk_review_overdue', 'risk', risk_id, 'yellow',
               (as_of - coalesce(reviewed_on, identified_on))::DOUBLE, owner
        FROM risk_now WHERE review_overdue
        UNION ALL
        -- Promotion and cases (pilotdash/cases): a pilot in the promotion phase with no case.
        SELECT project_id, 'no_case', 'project', '', 'yellow', NULL::DOUBLE, NULL
        FROM pilots_without_case(as_of)
    )
    SELECT f.project_id, f.condition, f.trigger_kind, f.trigger_id, f.level, f.detail,
           coalesce(f.risk_owner, r.lead_unit) AS owner
    FROM found f
    JOIN running r ON r.project_id = f.project_id;

-- The ledger as the pages read it: every warning with its pilot's place and whether it is
-- overdue (open past its respond-by time, UTC now) and how many of its notices still wait.
CREATE OR REPLACE MACRO warning_view() AS TABLE
    SELECT w.*, p.name_zh, p.name_en, p.belt, p.province_code, p.status AS project_status,
           w.state IN ('open', 'acknowledged') AS live,
           (w.state = 'open' AND w.respond_by < (current_timestamp AT TIME ZONE 'UTC')) AS overdue,
           coalesce(n.pending, 0) AS pending_notices
    FROM warnings w
    LEFT JOIN project_base() p ON p.project_id = w.project_id
    LEFT JOIN (SELECT warning_id, count(*) AS pending FROM warning_notices
               WHERE status = 'pending' GROUP BY warning_id) n ON n.warning_id = w.warning_id;

-- A warning's owner as a code for a link (owners are names in any script): a digest prefix.
CREATE OR REPLACE MACRO owner_key(owner) AS left(sha256(coalesce(owner, '')), 12);
