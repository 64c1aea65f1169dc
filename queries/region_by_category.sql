-- region_by_category: achievement per indicator category in each belt, as of a date: of the
-- (project, indicator) pairs with a current actual, how many, the share met, and the median
-- and mean achievement over those that have a rate.
-- params:
--   $as_of        DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt         VARCHAR[]  belts: east, central, west
--   $province     VARCHAR[]  province codes
--   $city         VARCHAR[]  city codes (4 digits)
--   $domain       VARCHAR[]  project domains
--   $pilot_type   VARCHAR[]  pilot types
--   $phase        VARCHAR[]  the project's phase on the as-of date
--   $status       VARCHAR[]  project statuses
-- columns: belt, category, pairs_with_data, met, share_met, median_achievement, mean_achievement
SELECT fp.belt, s.category,
       count(*) AS pairs_with_data,
       count(*) FILTER (WHERE s.status = 'met') AS met,
       share_met_of(s.status) AS share_met,
       median(s.achievement) AS median_achievement,
       avg(s.achievement) AS mean_achievement
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
JOIN indicator_status_all($as_of) s ON s.project_id = fp.project_id
WHERE s.actual IS NOT NULL
GROUP BY fp.belt, s.category
ORDER BY belt_no(fp.belt), s.category;
