-- indicator_status: every (project, indicator) pair with its current actual, the target that
-- applies, achievement, gap and status, as of a date. Stable interface.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes (GB/T 2260, e.g. 11)
--   $city        VARCHAR[]  city codes (4 digits)
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
--   $indicator   VARCHAR[]  indicator codes
-- columns: project_id, indicator_code, period_end, actual, target, achievement, gap, status
SELECT s.project_id, s.indicator_code, s.period_end, s.actual, s.target, s.achievement, s.gap, s.status
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
JOIN indicator_status_all($as_of) s ON s.project_id = fp.project_id
WHERE $indicator IS NULL OR list_contains($indicator::VARCHAR[], s.indicator_code)
ORDER BY s.project_id, s.indicator_code;
