-- issue_resolution_by_belt: issue resolution rate 问题解决率 by belt as of a date over the
-- filtered pilots: issues raised by the date, those signed off by it, the rate against the 80%
-- target (th_resolution_target); and a row 'all' for the whole selection.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
-- columns: belt, raised, verified, issue_resolution, target
WITH per AS (
    SELECT fp.belt, i.state
    FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status) fp
    JOIN issue_states($as_of) i ON i.project_id = fp.project_id
)
SELECT coalesce(belt, 'all') AS belt, count(*) AS raised, count(*) FILTER (WHERE state = 'verified') AS verified,
       ratio(count(*) FILTER (WHERE state = 'verified')::DOUBLE, count(*)::DOUBLE) AS issue_resolution,
       th_resolution_target() AS target
FROM per
GROUP BY ROLLUP (belt)
ORDER BY coalesce(belt_no(belt), 9);
