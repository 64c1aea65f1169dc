-- region_summary: east, central and west side by side on the same measures, as of a date.
-- Project counts include every status; red/amber/green count running pilots only (active,
-- suspended; completed and withdrawn ones are not judged, domain.md); share_met is the
-- share of (project, indicator) pairs with a current actual whose status is met. Stable interface.
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
-- columns: belt, projects, red, amber, green, allocated, disbursed, spent, utilisation, share_met
WITH fp AS (
    SELECT * FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city)
),
health AS (
    SELECT fp.belt,
           count(*) AS projects,
           count(*) FILTER (WHERE is_running(fp.status) AND h.health = 'red') AS red,
           count(*) FILTER (WHERE is_running(fp.status) AND h.health = 'amber') AS amber,
           count(*) FILTER (WHERE is_running(fp.status) AND h.health = 'green') AS green
    FROM fp JOIN project_health_all($as_of) h ON h.project_id = fp.project_id
    GROUP BY fp.belt
),
money AS (
    SELECT fp.belt, sum(b.allocated) AS allocated, sum(b.disbursed) AS disbursed, sum(b.spent) AS spent
    FROM fp JOIN counted_budget_lines($as_of) b ON b.project_id = fp.project_id
    WHERE $fiscal_year IS NULL OR list_contains($fiscal_year::INTEGER[], b.fiscal_year)
    GROUP BY fp.belt
),
targets_met AS (
    SELECT fp.belt,
           share_met_of(s.status) AS share_met
    FROM fp JOIN indicator_status_all($as_of) s ON s.project_id = fp.project_id
    WHERE s.actual IS NOT NULL
    GROUP BY fp.belt
),
belts AS (
    SELECT DISTINCT belt FROM provinces
    WHERE $belt IS NULL OR list_contains($belt::VARCHAR[], belt)
)
SELECT
    belts.belt,
    coalesce(health.projects, 0) AS projects,
    coalesce(health.red, 0) AS red,
    coalesce(health.amber, 0) AS amber,
    coalesce(health.green, 0) AS green,
    coalesce(money.allocated, 0) AS allocated,
    coalesce(money.disbursed, 0) AS disbursed,
    coalesce(money.spent, 0) AS spent,
    utilisation(money.spent, money.allocated) AS utilisation,
    targets_met.share_met
FROM belts
LEFT JOIN health ON health.belt = belts.belt
LEFT JOIN money ON money.belt = belts.belt
LEFT JOIN targets_met ON targets_met.belt = belts.belt
ORDER BY belt_no(belts.belt);
