-- warnings_by_belt: live warnings (open or acknowledged) of the filtered pilots per belt and
-- level, with how many of them are overdue; every belt and level, zero where none (every belt
-- the reader's scope has provinces in: all three for the national office).
-- params:
--   $as_of        DATE       as-of date (the pilots' phase for the phase filter)
--   $belt         VARCHAR[]  belts: east, central, west
--   $province     VARCHAR[]  province codes
--   $city         VARCHAR[]  city codes (4 digits)
--   $domain       VARCHAR[]  project domains
--   $pilot_type   VARCHAR[]  pilot types
--   $phase        VARCHAR[]  the project's phase on the as-of date
--   $status       VARCHAR[]  project statuses
-- columns: belt, level, live, overdue
WITH w AS (
    SELECT w.* FROM warning_view() w
    JOIN filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
      ON fp.project_id = w.project_id
    WHERE w.live
)
SELECT b.belt, lv.level, count(w.warning_id) AS live, count(w.warning_id) FILTER (WHERE w.overdue) AS overdue
FROM (SELECT DISTINCT belt FROM provinces) b
CROSS JOIN (SELECT unnest(['red', 'orange', 'yellow']) AS level) lv
LEFT JOIN w ON w.belt = b.belt AND w.level = lv.level
GROUP BY b.belt, lv.level
ORDER BY CASE b.belt WHEN 'east' THEN 1 WHEN 'central' THEN 2 ELSE 3 END, warning_rank(lv.level) DESC
