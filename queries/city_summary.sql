-- city_summary: the cities of the provinces in view on the measures the provinces are compared on
-- (pilots by health, share red, money and utilisation, share of targets met); pilots without a
-- city code in one row per province whose place_code is empty ("city not given"), so a province's
-- rows add up to its province_summary row.
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
FROM place_measures('city', $as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $fiscal_year, $city)
ORDER BY province_code, parent_code NULLS LAST, place_code IS NULL, projects DESC, place_code;
