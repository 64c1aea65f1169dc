-- task_status: the tasks of the filtered running pilots as of a date, late and behind first:
-- overdue ones by days overdue, then behind ones by how far under plan, then the rest by due
-- date. slip_days: days overdue, or for a behind task the days its progress lags its window
-- (points under plan × window length ÷ 100). Filters: owner (exact), level (1 goal, 2
-- sub-project, 3 action), states.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
--   $owner       VARCHAR    only this owner
--   $level       INTEGER    only this level (1, 2, 3)
--   $task_state  VARCHAR[]  only these states
--   $project     VARCHAR[]  only these project ids
-- columns: project_id, name_zh, name_en, belt, province_code, province_zh, province_en, task_id, level, name, owner, start_date, due_date, progress, planned, state, overdue_days, slip_days, rag, deliverable
SELECT fp.project_id, fp.name_zh, fp.name_en, fp.belt, fp.province_code, fp.province_zh, fp.province_en,
       t.task_id, t.level, t.name, t.owner, t.start_date, t.due_date, t.progress, t.planned, t.state,
       t.overdue_days,
       CASE WHEN t.state = 'overdue' THEN t.overdue_days
            WHEN t.state = 'behind' THEN round((t.planned - t.progress) / 100.0
                 * greatest(coalesce(t.due_date - t.start_date, 0), 1))::INTEGER END AS slip_days,
       t.rag, t.deliverable
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status) fp
JOIN task_rag($as_of) t ON t.project_id = fp.project_id
WHERE is_running(fp.status)
  AND ($owner IS NULL OR t.owner = $owner)
  AND ($level IS NULL OR t.level = $level)
  AND ($task_state IS NULL OR list_contains($task_state::VARCHAR[], t.state))
  AND ($project IS NULL OR list_contains($project::VARCHAR[], fp.project_id))
ORDER BY CASE t.state WHEN 'overdue' THEN 0 WHEN 'behind' THEN 1 ELSE 2 END,
         t.overdue_days DESC NULLS LAST, t.planned - t.progress DESC, t.due_date, t.task_id;
