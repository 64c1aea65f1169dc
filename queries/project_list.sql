-- project_list: the filtered pilots with their facts, phase on the as-of date and health with
-- reasons; the list behind every count, and the rows every drill-down links from. Health is
-- judged for running pilots (active, suspended): completed and withdrawn ones have health
-- 'closed' and no reasons, match no $health level, and come after the running ones.
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
-- columns: project_id, name_zh, name_en, belt, province_code, province_zh, province_en, city, domain, pilot_type, batch_year, phase, status, health, reasons
SELECT fp.project_id, fp.name_zh, fp.name_en, fp.belt, fp.province_code, fp.province_zh, fp.province_en,
       fp.city, fp.domain, fp.pilot_type, fp.batch_year, fp.phase, fp.status,
       CASE WHEN is_running(fp.status) THEN h.health ELSE 'closed' END AS health,
       CASE WHEN is_running(fp.status) THEN h.reasons ELSE []::VARCHAR[] END AS reasons
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
JOIN project_health_all($as_of) h ON h.project_id = fp.project_id
WHERE $health IS NULL OR (is_running(fp.status) AND list_contains($health::VARCHAR[], h.health))
ORDER BY NOT is_running(fp.status), coalesce(health_rank(h.health), 0) DESC, fp.project_id;
