-- earned_value: per project, budget at completion, planned and earned value, actual cost and
-- the schedule and cost performance indices, as of a date. Stable interface.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $city        VARCHAR[]  city codes (4 digits)
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
-- columns: project_id, bac, pv, ev, ac, spi, cpi
SELECT ev.project_id, ev.bac, ev.pv, ev.ev, ev.ac, ev.spi, ev.cpi
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
JOIN earned_value_all($as_of) ev ON ev.project_id = fp.project_id
ORDER BY ev.project_id;
