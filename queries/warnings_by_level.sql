-- warnings_by_level: live (open or acknowledged), open and overdue warnings of the filtered
-- pilots per level (every level, red first, zero where none), and notices still waiting.
-- params:
--   $as_of        DATE       as-of date (the pilots' phase for the phase filter)
--   $belt         VARCHAR[]  belts: east, central, west
--   $province     VARCHAR[]  province codes
--   $city         VARCHAR[]  city codes (4 digits)
--   $domain       VARCHAR[]  project domains
--   $pilot_type   VARCHAR[]  pilot types
--   $phase        VARCHAR[]  the project's phase on the as-of date
--   $status       VARCHAR[]  project statuses
-- columns: level, live, open, acknowledged, overdue, pending_notices
WITH w AS (
    SELECT w.* FROM warning_view() w
    JOIN filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
      ON fp.project_id = w.project_id
)
SELECT lv.level,
       count(w.warning_id) FILTER (WHERE w.live) AS live,
       count(w.warning_id) FILTER (WHERE w.state = 'open') AS open,
       count(w.warning_id) FILTER (WHERE w.state = 'acknowledged') AS acknowledged,
       count(w.warning_id) FILTER (WHERE w.overdue) AS overdue,
       coalesce(sum(w.pending_notices), 0)::BIGINT AS pending_notices
FROM (SELECT unnest(['red', 'orange', 'yellow']) AS level) lv
LEFT JOIN w ON w.level = lv.level
GROUP BY lv.level
ORDER BY warning_rank(lv.level) DESC
