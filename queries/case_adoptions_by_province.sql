-- case_adoptions_by_province: where the cases of the pilots in view were adopted by the as-of date:
-- per adopting province (any of the 31, whoever's cases they are), its adoptions and how many
-- distinct cases (adopted_cases). Provinces without an adoption are left out (the map shows them
-- at 0 from the reference tiles).
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $city        VARCHAR[]  city codes (4 digits)
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
-- columns: province_code, adoptions, adopted_cases
SELECT a.province_code, count(*) AS adoptions, count(DISTINCT a.case_id) AS adopted_cases
FROM adoptions a
JOIN cases c ON c.case_id = a.case_id
JOIN filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
  ON fp.project_id = c.project_id
WHERE a.adopted_on <= $as_of
GROUP BY a.province_code
ORDER BY a.province_code;
