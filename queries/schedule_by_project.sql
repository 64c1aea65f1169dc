-- schedule_by_project: per filtered pilot, where it stands on its schedule as of a date: the
-- progress of its current phase, milestones due, done and overdue, milestone completion, SPI,
-- and whether it is behind schedule (macro project_schedule; schedule_state behind,
-- on_schedule or closed for completed and withdrawn pilots), with the reasons and the worst
-- delay in days. Sorted by $sort: behind (behind first, worst delay first, closed pilots last; the default),
-- start (planned start), end (planned end), completion (lowest first) or id.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $city        VARCHAR[]  city codes (4 digits)
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
--   $sort        VARCHAR    behind, start, end, completion or id
-- columns: project_id, name_zh, name_en, belt, province_code, domain, status, phase, health, phase_progress, planned_start, planned_end, milestones, due, done_on_time, done_late, overdue, upcoming, completion, spi, behind, schedule_state, schedule_reasons, slip_days
SELECT fp.project_id, fp.name_zh, fp.name_en, fp.belt, fp.province_code, fp.domain, fp.status, fp.phase,
       h.health, s.phase_progress, s.planned_start, s.planned_end, s.milestones, s.due, s.done_on_time,
       s.done_late, s.overdue, s.upcoming, s.completion, s.spi, s.behind, s.schedule_state, s.schedule_reasons, s.slip_days
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
JOIN project_schedule($as_of) s ON s.project_id = fp.project_id
JOIN project_health_all($as_of) h ON h.project_id = fp.project_id
ORDER BY
    CASE WHEN coalesce($sort, 'behind') = 'behind' THEN
        CASE s.schedule_state WHEN 'behind' THEN 0 WHEN 'on_schedule' THEN 1 ELSE 2 END END,
    CASE WHEN coalesce($sort, 'behind') = 'behind' THEN s.slip_days END DESC,
    CASE WHEN coalesce($sort, 'behind') = 'behind' THEN s.spi END NULLS LAST,
    CASE WHEN $sort = 'start' THEN s.planned_start END NULLS LAST,
    CASE WHEN $sort = 'end' THEN s.planned_end END NULLS LAST,
    CASE WHEN $sort = 'completion' THEN s.completion END NULLS LAST,
    fp.project_id;
