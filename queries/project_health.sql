-- project_health: red, amber or green per pilot existing on a date, with the reasons (codes,
-- worst first; their words are the translation keys reason.<code>). Health is judged for running
-- pilots (active, suspended on that date); a completed or withdrawn one is 'closed' with no
-- reasons, so its red/amber/green counts are the dashboard's. Stable interface.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $city        VARCHAR[]  city codes (4 digits)
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
--   $health      VARCHAR[]  only these health levels: red, amber, green
-- columns: project_id, health, reasons
SELECT h.project_id, h.health, h.reasons
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
JOIN project_health_all($as_of) h ON h.project_id = fp.project_id
WHERE $health IS NULL OR list_contains($health::VARCHAR[], h.health)
ORDER BY h.project_id;
