-- phase_timeline: the phase windows of the filtered pilots (or of the listed ones), planned and
-- actual as known on the as-of date, for a Gantt: actual_to is the actual end, or the as-of
-- date while a phase is under way. With progress (elapsed share of the planned window), the
-- phase's state and its start and finish delays in days.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $city        VARCHAR[]  city codes (4 digits)
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
--   $project     VARCHAR[]  only these project ids (a page of the Gantt, or one project)
-- columns: project_id, name_zh, name_en, phase, phase_no, planned_start, planned_end, actual_start, actual_end, actual_to, phase_state, progress, start_slip_days, end_slip_days
SELECT ps.project_id, fp.name_zh, fp.name_en, ps.phase, ps.phase_no, ps.planned_start, ps.planned_end,
       ps.actual_start, ps.actual_end,
       CASE WHEN ps.actual_start IS NOT NULL THEN coalesce(ps.actual_end, $as_of) END AS actual_to,
       ps.phase_state, ps.progress, ps.start_slip_days, ps.end_slip_days
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
JOIN phase_schedule($as_of) ps ON ps.project_id = fp.project_id
WHERE $project IS NULL OR list_contains($project::VARCHAR[], ps.project_id)
ORDER BY ps.project_id, ps.phase_no;
