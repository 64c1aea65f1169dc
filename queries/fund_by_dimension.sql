-- fund_by_dimension: money over the budget lines counted on the as-of date, grouped by one
-- dimension (total, source, category, fiscal_year, belt or province): amounts, unspent
-- balances, arrival, execution and utilisation, and the overspent lines (spent above
-- disbursed): how many, in how many pilots, and by how much in all.
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
--   $dimension    VARCHAR    group by: total (one row, key 'all'), source, category, fiscal_year, belt, province
-- columns: key, lines, projects, allocated, disbursed, spent, unspent_allocated, unspent_disbursed, arrival_rate, execution_rate, utilisation, overspent_lines, overspent_projects, overspent_excess
SELECT
    CASE coalesce($dimension, 'total')
        WHEN 'source' THEN b.source
        WHEN 'category' THEN b.category
        WHEN 'fiscal_year' THEN b.fiscal_year::VARCHAR
        WHEN 'belt' THEN fp.belt
        WHEN 'province' THEN fp.province_code
        ELSE 'all'
    END AS key,
    count(*) AS lines,
    count(DISTINCT b.project_id) AS projects,
    sum(b.allocated) AS allocated,
    sum(b.disbursed) AS disbursed,
    sum(b.spent) AS spent,
    unspent_balance(sum(b.allocated), sum(b.spent)) AS unspent_allocated,
    unspent_balance(sum(b.disbursed), sum(b.spent)) AS unspent_disbursed,
    arrival_rate(sum(b.disbursed), sum(b.allocated)) AS arrival_rate,
    execution_rate(sum(b.spent), sum(b.disbursed)) AS execution_rate,
    utilisation(sum(b.spent), sum(b.allocated)) AS utilisation,
    count(*) FILTER (WHERE b.overspend) AS overspent_lines,
    count(DISTINCT b.project_id) FILTER (WHERE b.overspend) AS overspent_projects,
    coalesce(sum(-unspent_balance(b.disbursed, b.spent)) FILTER (WHERE b.overspend), 0) AS overspent_excess
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
JOIN counted_budget_lines($as_of) b ON b.project_id = fp.project_id
WHERE $fiscal_year IS NULL OR list_contains($fiscal_year::INTEGER[], b.fiscal_year)
GROUP BY ALL
ORDER BY key;
