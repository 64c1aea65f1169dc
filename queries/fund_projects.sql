-- fund_projects: money per filtered pilot over the counted budget lines, with its name and
-- place: amounts, unspent balances, arrival, execution, utilisation, overspend, and the local
-- matching ratio against its belt's expected ratio. Overspent pilots first, then the lowest
-- utilisation (where money sits unspent).
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
-- columns: project_id, name_zh, name_en, belt, province_code, allocated, disbursed, spent, unspent_allocated, unspent_disbursed, arrival_rate, execution_rate, utilisation, overspend, overspent_lines, central_allocated, local_allocated, matching_ratio, expected_ratio
WITH money AS (
    SELECT b.project_id,
           sum(b.allocated) AS allocated, sum(b.disbursed) AS disbursed, sum(b.spent) AS spent,
           count(*) FILTER (WHERE b.overspend) AS overspent_lines,
           coalesce(sum(b.allocated) FILTER (WHERE b.source = 'central'), 0) AS central_allocated,
           coalesce(sum(b.allocated) FILTER (WHERE b.source = 'local'), 0) AS local_allocated
    FROM counted_budget_lines($as_of) b
    WHERE $fiscal_year IS NULL OR list_contains($fiscal_year::INTEGER[], b.fiscal_year)
    GROUP BY b.project_id
)
SELECT fp.project_id, fp.name_zh, fp.name_en, fp.belt, fp.province_code,
       m.allocated, m.disbursed, m.spent,
       unspent_balance(m.allocated, m.spent) AS unspent_allocated,
       unspent_balance(m.disbursed, m.spent) AS unspent_disbursed,
       arrival_rate(m.disbursed, m.allocated) AS arrival_rate,
       execution_rate(m.spent, m.disbursed) AS execution_rate,
       utilisation(m.spent, m.allocated) AS utilisation,
       m.overspent_lines > 0 AS overspend, m.overspent_lines,
       m.central_allocated, m.local_allocated,
       matching_ratio(m.local_allocated, m.central_allocated) AS matching_ratio,
       expected_matching(fp.belt) AS expected_ratio
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
JOIN money m ON m.project_id = fp.project_id
ORDER BY m.overspent_lines > 0 DESC, utilisation(m.spent, m.allocated) ASC NULLS LAST, fp.project_id;
