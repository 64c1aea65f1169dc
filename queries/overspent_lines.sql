-- overspent_lines: every counted budget line of the filtered pilots whose spending exceeds the
-- money disbursed to it (an overspend, always flagged), largest excess first.
-- params:
--   $as_of        DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt         VARCHAR[]  belts: east, central, west
--   $province     VARCHAR[]  province codes
--   $city         VARCHAR[]  city codes (4 digits)
--   $domain       VARCHAR[]  project domains
--   $pilot_type   VARCHAR[]  pilot types
--   $phase        VARCHAR[]  the project's phase on the as-of date
--   $status       VARCHAR[]  project statuses
--   $fiscal_year  INTEGER[]  fiscal years
-- columns: project_id, name_zh, name_en, belt, province_code, fiscal_year, source, category, allocated, disbursed, spent, excess
SELECT fp.project_id, fp.name_zh, fp.name_en, fp.belt, fp.province_code,
       b.fiscal_year, b.source, b.category, b.allocated, b.disbursed, b.spent,
       -unspent_balance(b.disbursed, b.spent) AS excess
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
JOIN counted_budget_lines($as_of) b ON b.project_id = fp.project_id
WHERE b.overspend
  AND ($fiscal_year IS NULL OR list_contains($fiscal_year::INTEGER[], b.fiscal_year))
ORDER BY excess DESC, fp.project_id, b.fiscal_year, b.source, b.category;
