-- issue_list: the issues 问题清单 of the filtered pilots raised by the as-of date, with their state
-- on it (overdue, open, resolved 待销号, verified 已销号, closed for a pilot no longer running),
-- overdue first (most days first), then open, awaiting sign-off, signed off; with who resolved
-- it in place and the note (empty when the resolution came by upload).
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
--   $issue_state VARCHAR[]  only these states
--   $project     VARCHAR[]  only these project ids
-- columns: issue_id, project_id, name_zh, name_en, belt, province_code, province_zh, province_en, task_id, source, description, raised_on, owner, due_date, resolved_on, verified_on, verified_by, state, overdue_days, resolved_by, resolve_note
WITH notes AS (
    SELECT issue_id, arg_max(by_user, action_id) AS resolved_by, arg_max(note, action_id) AS resolve_note
    FROM issue_actions WHERE action = 'resolve' GROUP BY issue_id
)
SELECT i.issue_id, fp.project_id, fp.name_zh, fp.name_en, fp.belt, fp.province_code, fp.province_zh,
       fp.province_en, i.task_id, i.source, i.description, i.raised_on, i.owner, i.due_date, i.resolved_on,
       i.verified_on, i.verified_by, i.state, i.overdue_days, n.resolved_by, n.resolve_note
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status) fp
JOIN issue_states($as_of) i ON i.project_id = fp.project_id
LEFT JOIN notes n ON n.issue_id = i.issue_id
WHERE ($issue_state IS NULL OR list_contains($issue_state::VARCHAR[], i.state))
  AND ($project IS NULL OR list_contains($project::VARCHAR[], fp.project_id))
ORDER BY CASE i.state WHEN 'overdue' THEN 0 WHEN 'open' THEN 1 WHEN 'resolved' THEN 2 WHEN 'verified' THEN 3 ELSE 4 END,
         i.overdue_days DESC NULLS LAST, i.due_date, i.issue_id;
