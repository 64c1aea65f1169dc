-- matching_ratio_by_region: the local matching ratio (local / central allocated, over the
-- counted budget lines) per belt or per province, against the ratio the belt is expected to
-- reach (1:1, and 1:1.5 in the east); meets is empty when there is no central money.
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
--   $dimension    VARCHAR    group by: belt (default) or province
-- columns: key, belt, central_allocated, local_allocated, social_allocated, matching_ratio, expected_ratio, meets
WITH lines AS (
    SELECT CASE WHEN $dimension = 'province' THEN fp.province_code ELSE fp.belt END AS key,
           fp.belt, b.source, b.allocated
    FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
    JOIN counted_budget_lines($as_of) b ON b.project_id = fp.project_id
    WHERE $fiscal_year IS NULL OR list_contains($fiscal_year::INTEGER[], b.fiscal_year)
),
sums AS (
    SELECT key, belt,
           coalesce(sum(allocated) FILTER (WHERE source = 'central'), 0) AS central_allocated,
           coalesce(sum(allocated) FILTER (WHERE source = 'local'), 0) AS local_allocated,
           coalesce(sum(allocated) FILTER (WHERE source = 'social'), 0) AS social_allocated
    FROM lines GROUP BY key, belt
)
SELECT key, belt, central_allocated, local_allocated, social_allocated,
       matching_ratio(local_allocated, central_allocated) AS matching_ratio,
       expected_matching(belt) AS expected_ratio,
       matching_ratio(local_allocated, central_allocated) >= expected_matching(belt) AS meets
FROM sums
ORDER BY belt_no(belt), key;
