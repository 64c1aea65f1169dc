-- task_delivery_by_belt: on-time delivery 按时交付率 by belt as of a date, over the filtered
-- pilots: leaf tasks due by the date, those done on time, the rate ("—" when none is due);
-- and a row 'all' for the whole selection.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
-- columns: belt, leaves_due, on_time, on_time_delivery
WITH per AS (
    SELECT fp.belt, d.leaves_due, d.on_time
    FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status) fp
    JOIN task_delivery($as_of) d ON d.project_id = fp.project_id
)
SELECT coalesce(belt, 'all') AS belt, sum(leaves_due)::BIGINT AS leaves_due, sum(on_time)::BIGINT AS on_time,
       ratio(sum(on_time)::DOUBLE, sum(leaves_due)::DOUBLE) AS on_time_delivery
FROM per
GROUP BY ROLLUP (belt)
ORDER BY coalesce(belt_no(belt), 9);
