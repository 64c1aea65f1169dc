-- fund_by_project: money per project over the budget lines counted on the as-of date
-- (fiscal year not after it), with arrival, execution and utilisation. Stable interface.
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
-- columns: project_id, allocated, disbursed, spent, arrival_rate, execution_rate, utilisation, overspend
SELECT
    b.project_id,
    sum(b.allocated) AS allocated,
    sum(b.disbursed) AS disbursed,
    sum(b.spent) AS spent,
    arrival_rate(sum(b.disbursed), sum(b.allocated)) AS arrival_rate,
    execution_rate(sum(b.spent), sum(b.disbursed)) AS execution_rate,
    utilisation(sum(b.spent), sum(b.allocated)) AS utilisation,
    bool_or(b.overspend) AS overspend
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
JOIN counted_budget_lines($as_of) b ON b.project_id = fp.project_id
WHERE $fiscal_year IS NULL OR list_contains($fiscal_year::INTEGER[], b.fiscal_year)
GROUP BY b.project_id
ORDER BY b.project_id;
