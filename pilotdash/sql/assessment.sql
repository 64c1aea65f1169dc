-- Assessment 考核评价 (shared/domain.md "Assessment and grading"): how a round scores its pilots,
-- built on the measure macros of measures.sql and the th_*() thresholds. Loaded after
-- measures.sql (which holds eval_final_all and latest_grades: health needs them) and before
-- warnings.sql.
--
-- A round is scored by pilotdash/assessment/scoring.py `recompute` after every applied upload
-- (like the warnings): eval_values, eval_leaf_results and eval_results hold the result, so a
-- page, the health rule and the warnings read stored rows instead of scoring every round again.

-- Half-up to 2 decimals: through DECIMAL, so that 89.995 (stored as 89.99499… in binary) is 90.00.
CREATE OR REPLACE MACRO half_up(x) AS CAST(round(CAST(x AS DECIMAL(18, 6)), 2) AS DOUBLE);

-- Grade bands on a total: 优 >= 90, 良 >= 80, 中 >= 60, 差 below.
CREATE OR REPLACE MACRO grade_of(total) AS
    CASE
        WHEN total IS NULL THEN NULL
        WHEN total >= th_grade_excellent() THEN 'excellent'
        WHEN total >= th_grade_good() THEN 'good'
        WHEN total >= th_grade_fair() THEN 'fair'
        ELSE 'poor'
    END;

-- A satisfaction survey's target by respondent: 90% public, 85% enterprise (seed 003 §3.3).
CREATE OR REPLACE MACRO survey_target(respondent) AS
    CASE respondent WHEN 'public' THEN th_survey_public() WHEN 'enterprise' THEN th_survey_enterprise() END;

-- A survey's satisfaction rate: satisfied / sample, a sample of 0 gives no rate.
CREATE OR REPLACE MACRO satisfaction_rate(satisfied, sample_size) AS ratio(satisfied::DOUBLE, sample_size);

-- Every item of every scheme with its level (1 to 3), its level-1 and level-2 ancestors, and
-- whether it is a leaf (no item names it as parent).
CREATE OR REPLACE MACRO eval_tree() AS TABLE
    SELECT i.*,
           CASE WHEN i.parent_code IS NULL THEN 1 WHEN p.parent_code IS NULL THEN 2 ELSE 3 END AS level,
           CASE WHEN i.parent_code IS NULL THEN i.item_code WHEN p.parent_code IS NULL THEN p.item_code
                ELSE p.parent_code END AS top_code,
           NOT EXISTS (SELECT 1 FROM eval_items c WHERE c.scheme = i.scheme AND c.parent_code = i.item_code) AS is_leaf
    FROM eval_items i
    LEFT JOIN eval_items p ON p.scheme = i.scheme AND p.item_code = i.parent_code;

-- The pilots a round evaluates: every pilot that exists on the period end (start <= D; no start:
-- batch year <= D's year; neither: always) and is not withdrawn on that day.
-- The status on that day follows the status-on-D rule (status_on: the stored status from its
-- status_date on, active before), as every count for a date does (measures.sql pilots_on).
CREATE OR REPLACE MACRO eval_round_pilots_all() AS TABLE
    SELECT r.round_id, r.scheme, r.kind, r.period_end, p.project_id
    FROM eval_rounds r
    JOIN projects p
      ON exists_on(p.start_date, p.batch_year, r.period_end)
     AND status_on(p.status, p.status_date, r.period_end) <> 'withdrawn';
-- One round's (a table macro's argument cannot be a correlated column: ask the _all form then).
CREATE OR REPLACE MACRO eval_round_pilots(rid) AS TABLE
    SELECT * FROM eval_round_pilots_all() WHERE round_id = rid;

-- A pilot's own measures on D that a measure leaf may name, one row per pilot and measure; NULL
-- is an empty denominator ("—"): the leaf is then not applicable. Money over the counted budget
-- lines, milestone completion over the milestones due by D, SPI and CPI as earned_value_all,
-- share_met over the pilot's indicators with a current actual; and each of those indicators'
-- achievement as 'indicator:<code>', so a round asks the indicator statuses once. (on_time_delivery
-- and issue_resolution are added by scoring.py when their macros exist.)
CREATE OR REPLACE MACRO eval_measure_values(as_of) AS TABLE
    WITH money AS (
        SELECT project_id, sum(allocated) AS allocated, sum(disbursed) AS disbursed, sum(spent) AS spent
        FROM counted_budget_lines(as_of) GROUP BY project_id
    ),
    ms AS (
        SELECT project_id,
               count(*) FILTER (WHERE due_date <= as_of) AS due,
               count(*) FILTER (WHERE due_date <= as_of AND done_date <= as_of) AS done
        FROM milestones GROUP BY project_id
    ),
    -- the pilot's indicators with a current actual, asked once: share_met and the indicator leaves
    ist AS MATERIALIZED (
        SELECT project_id, indicator_code, status,
               CASE WHEN direction = 'lower' AND actual = 0 THEN 1.0 ELSE achievement END AS rate
        FROM indicator_status_all(as_of) WHERE actual IS NOT NULL
    ),
    ind AS (
        SELECT project_id, share_met_of(status) AS share_met FROM ist GROUP BY project_id
    ),
    wide AS (
        SELECT p.project_id,
               execution_rate(money.spent, money.disbursed) AS execution_rate,
               arrival_rate(money.disbursed, money.allocated) AS arrival_rate,
               utilisation(money.spent, money.allocated) AS utilisation,
               milestone_completion(ms.done, ms.due) AS milestone_completion,
               ev.spi, ev.cpi, ind.share_met
        FROM projects p
        LEFT JOIN money ON money.project_id = p.project_id
        LEFT JOIN ms ON ms.project_id = p.project_id
        LEFT JOIN ind ON ind.project_id = p.project_id
        LEFT JOIN earned_value_all(as_of) ev ON ev.project_id = p.project_id
    )
    SELECT project_id, m.measure, m.value
    FROM wide, unnest([
        {'measure': 'execution_rate', 'value': execution_rate},
        {'measure': 'arrival_rate', 'value': arrival_rate},
        {'measure': 'utilisation', 'value': utilisation},
        {'measure': 'milestone_completion', 'value': milestone_completion},
        {'measure': 'spi', 'value': spi},
        {'measure': 'cpi', 'value': cpi},
        {'measure': 'share_met', 'value': share_met}
    ]) AS u(m)
    UNION ALL
    -- each indicator with a current actual as 'indicator:<code>': its achievement, capped by the
    -- leaf (a lower-is-better actual of 0 is met); NULL when it has no rate
    SELECT project_id, 'indicator:' || indicator_code, rate FROM ist;

-- Every automatic leaf of a round's scheme for every pilot it evaluates, as of the period end
-- `as_of` (the round's): the value the leaf is scored on, the score (marks x min(value, 1),
-- rounded half-up) and its state. evaluator '' marks a leaf that is the same for every evaluator.
--   indicator: min(achievement, 1) of the current actual (eval_values 'indicator:<code>': target
--              precedence of measures.sql; a lower-is-better actual of 0 is met); no reading: 0,
--              no_data; no rate (a higher-is-better target of 0, or no target at all): not_applicable.
--   measure:   min(value, 1) of eval_values; an empty denominator: not_applicable.
--   survey:    min(rate / target, 1) of the latest survey of that kind on or before the period
--              end; none: 0, no_data; its sample 0: not_applicable. The value shown is the rate.
CREATE OR REPLACE MACRO eval_auto_leaves(rid, as_of) AS TABLE
    WITH rp AS (SELECT * FROM eval_round_pilots(rid)),
    leaves AS (
        SELECT t.* FROM eval_tree() t JOIN eval_rounds r ON r.scheme = t.scheme
        WHERE r.round_id = rid AND t.is_leaf AND t.method IN ('indicator', 'measure', 'survey')
    ),
    sv AS (
        SELECT project_id, respondent,
               arg_max(satisfaction_rate(satisfied, sample_size), period_end) AS rate,
               arg_max(sample_size, period_end) AS sample_size
        FROM surveys WHERE period_end <= as_of GROUP BY project_id, respondent
    ),
    -- One branch per method, each joined on equalities only (a join condition that also tests
    -- the method would be a nested loop over every pilot and leaf).
    valued AS (
        SELECT rp.project_id, l.item_code, l.marks, ev.value, ev.value AS scored_on,
               CASE WHEN ev.measure IS NULL THEN 'no_data' WHEN ev.value IS NULL THEN 'not_applicable'
                    ELSE 'scored' END AS state
        FROM rp CROSS JOIN leaves l
        LEFT JOIN (SELECT * FROM eval_values WHERE round_id = rid) ev
          ON ev.project_id = rp.project_id AND ev.measure = 'indicator:' || l.method_arg
        WHERE l.method = 'indicator'
        UNION ALL
        SELECT rp.project_id, l.item_code, l.marks, ev.value, ev.value,
               CASE WHEN ev.value IS NULL THEN 'not_applicable' ELSE 'scored' END
        FROM rp CROSS JOIN leaves l
        LEFT JOIN (SELECT * FROM eval_values WHERE round_id = rid) ev
          ON ev.project_id = rp.project_id AND ev.measure = l.method_arg
        WHERE l.method = 'measure'
        UNION ALL
        SELECT rp.project_id, l.item_code, l.marks, sv.rate, sv.rate / survey_target(l.method_arg),
               CASE WHEN sv.sample_size IS NULL THEN 'no_data' WHEN sv.rate IS NULL THEN 'not_applicable'
                    ELSE 'scored' END
        FROM rp CROSS JOIN leaves l
        LEFT JOIN sv ON sv.project_id = rp.project_id AND sv.respondent = l.method_arg
        WHERE l.method = 'survey'
    )
    SELECT rid AS round_id, project_id, '' AS evaluator, item_code, value,
           CASE state
               WHEN 'scored' THEN half_up(marks * least(greatest(scored_on, 0), 1))
               WHEN 'no_data' THEN 0.0
           END AS score,
           state
    FROM valued;

-- Every manual leaf for every evaluator who scored the pilot in the round: the score given
-- (rounded half-up), or not_scored. An evaluation (round x pilot x evaluator) exists once its
-- evaluator has given one score.
CREATE OR REPLACE MACRO eval_manual_leaves(rid) AS TABLE
    WITH rp AS (SELECT * FROM eval_round_pilots(rid)),
    evaluations AS (
        SELECT DISTINCT s.project_id, s.evaluator
        FROM eval_scores s JOIN rp ON rp.project_id = s.project_id
        WHERE s.round_id = rid
    ),
    leaves AS (
        SELECT t.* FROM eval_tree() t JOIN eval_rounds r ON r.scheme = t.scheme
        WHERE r.round_id = rid AND t.is_leaf AND t.method = 'manual'
    )
    SELECT rid AS round_id, e.project_id, e.evaluator, l.item_code, s.score AS value,
           half_up(s.score) AS score,
           CASE WHEN s.score IS NULL THEN 'not_scored' ELSE 'scored' END AS state
    FROM evaluations e
    CROSS JOIN leaves l
    LEFT JOIN eval_scores s
      ON s.round_id = rid AND s.project_id = e.project_id AND s.evaluator = e.evaluator
     AND s.item_code = l.item_code;

-- Each evaluation of a round from its stored leaves (eval_leaf_results): complete when every
-- manual leaf has a score; the total is the sum of the rounded leaf scores, rescaled to 100 over
-- the applicable leaves' marks when some are not applicable (round(100 x sum / marks, 2)); no
-- total and no grade while incomplete. A veto leaf scored below 60% of its marks makes the grade
-- 差 whatever the total (veto_item says which).
CREATE OR REPLACE MACRO eval_totals(rid) AS TABLE
    WITH evaluations AS (
        SELECT DISTINCT project_id, evaluator FROM eval_leaf_results WHERE round_id = rid AND evaluator <> ''
    ),
    leaves AS (
        SELECT t.* FROM eval_tree() t JOIN eval_rounds r ON r.scheme = t.scheme
        WHERE r.round_id = rid AND t.is_leaf
    ),
    rows AS (
        SELECT e.project_id, e.evaluator, l.item_code, l.marks, l.veto, lr.score, lr.state
        FROM evaluations e
        JOIN eval_leaf_results lr
          ON lr.round_id = rid AND lr.project_id = e.project_id AND lr.evaluator IN ('', e.evaluator)
        JOIN leaves l ON l.item_code = lr.item_code
    ),
    sums AS (
        SELECT project_id, evaluator,
               count(*) FILTER (WHERE state = 'not_scored') = 0 AS complete,
               sum(marks) AS all_marks,
               sum(marks) FILTER (WHERE state <> 'not_applicable') AS scored_marks,
               sum(score) FILTER (WHERE state <> 'not_applicable') AS raw_total,
               min(item_code) FILTER (WHERE veto = 'true' AND state IN ('scored', 'no_data')
                                      AND score < th_veto_share() * marks) AS veto_item
        FROM rows GROUP BY project_id, evaluator
    ),
    totals AS (
        SELECT *,
               CASE
                   WHEN NOT complete OR coalesce(scored_marks, 0) = 0 THEN NULL
                   WHEN scored_marks = all_marks THEN half_up(raw_total)
                   ELSE half_up(100 * raw_total / scored_marks)
               END AS total
        FROM sums
    )
    SELECT rid AS round_id, project_id, evaluator, complete, scored_marks, total,
           CASE WHEN total IS NULL THEN NULL WHEN veto_item IS NOT NULL THEN 'poor' ELSE grade_of(total) END AS grade,
           CASE WHEN complete THEN veto_item END AS veto_item
    FROM totals;

-- Every round's standing per pilot it evaluates: the final score and whose it is, the self total
-- and whether it is inflated (a complete self total 10 or more points above a final that is not
-- the self one), and the change of the final total since the previous round of the same kind
-- (the one with the latest period end before this one's).
CREATE OR REPLACE MACRO eval_standing_all() AS TABLE
    WITH prev AS (
        SELECT round_id, lag(round_id) OVER (PARTITION BY kind ORDER BY period_end, round_id) AS previous_round
        FROM eval_rounds
    ),
    self AS (
        SELECT round_id, project_id, total AS self_total FROM eval_results WHERE evaluator = 'self' AND complete
    ),
    f AS (SELECT * FROM eval_final_all())
    SELECT rp.round_id, rp.project_id, f.final_evaluator, f.final_total, f.final_grade, f.final_veto_item,
           self.self_total,
           coalesce(f.final_evaluator <> 'self' AND half_up(self.self_total - f.final_total) >= th_inflated_points(),
                    false) AS inflated,
           CASE WHEN f.final_evaluator <> 'self' THEN half_up(self.self_total - f.final_total) END AS inflation,
           pf.final_total AS previous_total,
           half_up(f.final_total - pf.final_total) AS change,
           prev.previous_round
    FROM eval_round_pilots_all() rp
    JOIN prev ON prev.round_id = rp.round_id
    LEFT JOIN f ON f.round_id = rp.round_id AND f.project_id = rp.project_id
    LEFT JOIN self ON self.round_id = rp.round_id AND self.project_id = rp.project_id
    LEFT JOIN f pf ON pf.round_id = prev.previous_round AND pf.project_id = rp.project_id;
CREATE OR REPLACE MACRO eval_standing(rid) AS TABLE
    SELECT * FROM eval_standing_all() WHERE round_id = rid;
