-- task_deviation_causes: for the deviation report 偏差分析报告, per task of the filtered pilots, what
-- the record says about its delay by the as-of date: the issues raised on it (their descriptions:
-- the cause) with the resolution notes (the corrective action), and the responses to its
-- warnings (note: corrective action; plan date: the new planned date, the latest response's).
-- params:
--   $as_of       DATE       the period end (the as-of date of the report)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
-- columns: task_id, causes, actions, new_planned_date
WITH fp AS (SELECT project_id FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status)),
issue_words AS (
    SELECT i.task_id, string_agg(DISTINCT i.description, '；') AS causes,
           string_agg(DISTINCT a.note, '；') AS actions
    FROM issues i JOIN fp ON fp.project_id = i.project_id
    LEFT JOIN issue_actions a ON a.issue_id = i.issue_id AND a.action = 'resolve' AND a.on_date <= $as_of
    WHERE i.task_id IS NOT NULL AND i.raised_on <= $as_of
    GROUP BY i.task_id
),
responses AS (
    SELECT w.trigger_id AS task_id, string_agg(DISTINCT w.response_note, '；') AS actions,
           arg_max(w.plan_date, w.acknowledged_at) AS new_planned_date
    FROM warnings w JOIN fp ON fp.project_id = w.project_id
    WHERE w.trigger_kind = 'task' AND w.response_note IS NOT NULL AND w.raised_on <= $as_of
    GROUP BY w.trigger_id
)
SELECT coalesce(iw.task_id, r.task_id) AS task_id, iw.causes,
       nullif(concat_ws('；', iw.actions, r.actions), '') AS actions, r.new_planned_date
FROM issue_words iw FULL JOIN responses r ON r.task_id = iw.task_id;
