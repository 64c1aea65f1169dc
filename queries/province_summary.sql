-- province_summary: the provinces of the selected belts (and provinces) on the measures the
-- belts are compared on: pilots by health, share red, money and utilisation, share of targets
-- met. Provinces without a pilot in view are left out (the map shows them empty).
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
-- columns: province_code, name_zh, name_en, belt, projects, red, amber, green, share_red, allocated, disbursed, spent, utilisation, pairs_with_data, share_met
SELECT province_code, name_zh, name_en, belt, projects, red, amber, green, share_red,
       allocated, disbursed, spent, utilisation, pairs_with_data, share_met
FROM province_measures($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $fiscal_year, $city)
WHERE in_view AND projects > 0
ORDER BY belt_no(belt), projects DESC, province_code;
