-- projects_by_belt_phase: how many filtered pilots there are in each belt, phase (on the
-- as-of date) and status, for the overview's "where and in which phase" chart.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $city        VARCHAR[]  city codes (4 digits)
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
-- columns: belt, phase, status, projects
SELECT fp.belt, fp.phase, fp.status, count(*) AS projects
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
GROUP BY fp.belt, fp.phase, fp.status
ORDER BY fp.belt, phase_no(fp.phase), fp.status;
