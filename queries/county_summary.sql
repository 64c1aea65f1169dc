-- county_summary: the counties of the cities in view on the measures the provinces are compared on;
-- pilots without a county code in one row per city whose place_code is empty ("county not
-- given"), so a city's rows add up to its city_summary row.
-- params:
--   $as_of        DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt         VARCHAR[]  belts: east, central, west
--   $province     VARCHAR[]  province codes
--   $city         VARCHAR[]  city codes (4 digits)
--   $domain       VARCHAR[]  project domains
--   $pilot_type   VARCHAR[]  pilot types
--   $phase        VARCHAR[]  the project's phase on the as-of date
--   $status       VARCHAR[]  project statuses
--   $fiscal_year  INTEGER[]  fiscal years (money columns only)
-- columns: province_code, parent_code, place_code, name_zh, projects, red, amber, green, share_red, allocated, disbursed, spent, utilisation, pairs_with_data, share_met
SELECT province_code, parent_code, place_code, name_zh, projects, red, amber, green, share_red,
       allocated, disbursed, spent, utilisation, pairs_with_data, share_met
FROM place_measures('county', $as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $fiscal_year, $city)
ORDER BY province_code, parent_code NULLS LAST, place_code IS NULL, projects DESC, place_code;
