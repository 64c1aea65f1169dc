-- indicator_summary: per indicator, over the filtered pilots and for each belt (belt 'all' is
-- every filtered belt together; indicator_code 'all' is every indicator together, with no names): how many (project, indicator) pairs, how many have a current
-- actual, how many are met, near, behind or without data; the shares met / near / behind of the
-- pairs with a current actual (as region_summary.share_met); and the median and quartiles of the
-- achievement rates (pairs without a rate, e.g. met by a target of 0, are left out of these).
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $city        VARCHAR[]  city codes (4 digits)
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
-- columns: indicator_code, name_zh, name_en, category, unit, direction, national_target, belt, pairs, with_data, met, near, behind, no_data, share_met, share_near, share_behind, median_achievement, p25_achievement, p75_achievement
WITH s AS (
    SELECT fp.belt, st.*
    FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
    JOIN indicator_status_all($as_of) st ON st.project_id = fp.project_id
),
agg AS (
    SELECT
        CASE WHEN grouping(indicator_code) = 1 THEN 'all' ELSE indicator_code END AS indicator_code,
        CASE WHEN grouping(belt) = 1 THEN 'all' ELSE belt END AS belt,
        count(*) AS pairs,
        count(*) FILTER (WHERE actual IS NOT NULL) AS with_data,
        count(*) FILTER (WHERE status = 'met') AS met,
        count(*) FILTER (WHERE status = 'near') AS near,
        count(*) FILTER (WHERE status = 'behind') AS behind,
        count(*) FILTER (WHERE status = 'no_data') AS no_data,
        quantile_cont(achievement, 0.5) AS median_achievement,
        quantile_cont(achievement, 0.25) AS p25_achievement,
        quantile_cont(achievement, 0.75) AS p75_achievement
    FROM s
    GROUP BY GROUPING SETS ((), (belt), (indicator_code), (indicator_code, belt))
)
SELECT
    agg.indicator_code, i.name_zh, i.name_en, i.category, i.unit, i.direction, i.national_target,
    agg.belt, agg.pairs, agg.with_data, agg.met, agg.near, agg.behind, agg.no_data,
    ratio(agg.met, agg.with_data) AS share_met,
    ratio(agg.near, agg.with_data) AS share_near,
    ratio(agg.behind, agg.with_data) AS share_behind,
    agg.median_achievement, agg.p25_achievement, agg.p75_achievement
FROM agg
LEFT JOIN indicators i ON i.indicator_code = agg.indicator_code
ORDER BY agg.indicator_code <> 'all', list_position(['policy_innovation', 'industry_breakthrough', 'public_services', 'governance',
                        'resource_efficiency', 'service_efficiency'], i.category),
         agg.indicator_code,
         list_position(['all', 'east', 'central', 'west'], agg.belt);
