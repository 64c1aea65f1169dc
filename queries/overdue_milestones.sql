-- overdue_milestones: the filtered pilots' milestones past due and not done on the as-of date,
-- with their project: those of pilots still running (active or suspended) first, since a
-- completed or withdrawn pilot's old milestones are nothing left to act on, then worst first
-- (most days overdue). Every overdue milestone is listed, as every one is counted.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $city        VARCHAR[]  city codes (4 digits)
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
-- columns: milestone_id, project_id, name_zh, name_en, belt, province_code, status, milestone_phase, milestone, kind, due_date, overdue_days
SELECT m.milestone_id, fp.project_id, fp.name_zh, fp.name_en, fp.belt, fp.province_code, fp.status,
       m.phase AS milestone_phase, m.name AS milestone, m.kind, m.due_date, m.overdue_days
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
JOIN milestone_states($as_of) m ON m.project_id = fp.project_id
WHERE m.state = 'overdue'
ORDER BY NOT is_running(fp.status), m.overdue_days DESC, fp.project_id, m.milestone_id;
