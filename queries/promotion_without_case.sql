-- promotion_without_case: the running pilots in view in the promotion phase on the as-of date with
-- no case (the yellow warning no_case), with the facts and health of project_list.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $city        VARCHAR[]  city codes (4 digits)
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
-- columns: project_id, name_zh, name_en, belt, province_code, province_zh, province_en, city, domain, pilot_type, batch_year, phase, status, health, reasons
SELECT fp.project_id, fp.name_zh, fp.name_en, fp.belt, fp.province_code, fp.province_zh, fp.province_en,
       fp.city, fp.domain, fp.pilot_type, fp.batch_year, fp.phase, fp.status, h.health, h.reasons
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
JOIN pilots_without_case($as_of) w ON w.project_id = fp.project_id
JOIN project_health_all($as_of) h ON h.project_id = fp.project_id
ORDER BY fp.start_date, fp.project_id;
