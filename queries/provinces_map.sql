-- provinces_map: all 31 provinces with their map tile (row, column) and the province measures
-- over the filtered pilots; in_view is false for provinces outside the belt and province
-- filters, which the map draws empty.
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
-- columns: province_code, name_zh, name_en, belt, tile_row, tile_col, in_view, projects, red, amber, green, share_red, allocated, disbursed, spent, utilisation, pairs_with_data, share_met
SELECT province_code, name_zh, name_en, belt, tile_row, tile_col, in_view, projects, red, amber,
       green, share_red, allocated, disbursed, spent, utilisation, pairs_with_data, share_met
FROM province_measures($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $fiscal_year, $city)
ORDER BY tile_row, tile_col;
