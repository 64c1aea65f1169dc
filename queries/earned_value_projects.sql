-- earned_value_projects: SPI and CPI per filtered pilot with its name and place, each index's
-- level (red below 0.8, amber below 0.9, green) and the worse of the two (level), worst first;
-- pilots without a ratio last. $limit keeps the first rows only (for charts).
-- params:
--   $as_of        DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt         VARCHAR[]  belts: east, central, west
--   $province     VARCHAR[]  province codes
--   $city         VARCHAR[]  city codes (4 digits)
--   $domain       VARCHAR[]  project domains
--   $pilot_type   VARCHAR[]  pilot types
--   $phase        VARCHAR[]  the project's phase on the as-of date
--   $status       VARCHAR[]  project statuses
--   $limit        INTEGER    how many rows (default: all)
-- columns: project_id, name_zh, name_en, belt, province_code, bac, pv, ev, ac, spi, cpi, spi_level, cpi_level, level
SELECT fp.project_id, fp.name_zh, fp.name_en, fp.belt, fp.province_code,
       ev.bac, ev.pv, ev.ev, ev.ac, ev.spi, ev.cpi,
       ev_level(ev.spi) AS spi_level, ev_level(ev.cpi) AS cpi_level,
       ev_level(least(ev.spi, ev.cpi)) AS level
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
JOIN earned_value_all($as_of) ev ON ev.project_id = fp.project_id
ORDER BY least(ev.spi, ev.cpi) ASC NULLS LAST, fp.project_id
LIMIT $limit;
