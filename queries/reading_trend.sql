-- reading_trend: one indicator's readings over time for the filtered pilots, aggregated per
-- calendar quarter and belt (belt 'all' is every filtered belt together): each project counts
-- once per quarter with its latest reading in that quarter (readings up to the as-of date);
-- the quartiles and median of those values, in the indicator's own unit. Aggregates only, so a
-- chart never receives individual readings. The target lines are the all-phase targets:
-- belt_target is the belt's (else the national, else the catalogue's), national_target the
-- national (else the catalogue's); province, project and phase-specific targets are not lines.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $city        VARCHAR[]  city codes (4 digits)
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
--   $indicator   VARCHAR    one indicator code
-- columns: quarter_end, belt, projects, p25, median, p75, belt_target, national_target
WITH per_quarter AS (
    SELECT r.project_id, fp.belt,
           (date_trunc('quarter', r.period_end) + INTERVAL 3 MONTH - INTERVAL 1 DAY)::DATE AS quarter_end,
           arg_max(r.actual_value, r.period_end) AS value
    FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
    JOIN readings r ON r.project_id = fp.project_id
    WHERE r.indicator_code = $indicator AND r.period_end <= $as_of
    GROUP BY r.project_id, fp.belt, quarter_end
),
agg AS (
    SELECT quarter_end,
           CASE WHEN grouping(belt) = 1 THEN 'all' ELSE belt END AS belt,
           count(*) AS projects,
           quantile_cont(value, 0.25) AS p25,
           quantile_cont(value, 0.5) AS median,
           quantile_cont(value, 0.75) AS p75
    FROM per_quarter
    GROUP BY GROUPING SETS ((quarter_end), (quarter_end, belt))
),
lines AS (
    SELECT
        coalesce(
            (SELECT max(target_value) FROM targets
             WHERE indicator_code = $indicator AND project_id IS NULL AND province_code IS NULL
               AND belt IS NULL AND phase IS NULL),
            (SELECT national_target FROM indicators WHERE indicator_code = $indicator)) AS national_target
),
belt_lines AS (
    SELECT belt, max(target_value) AS target
    FROM targets
    WHERE indicator_code = $indicator AND project_id IS NULL AND province_code IS NULL
      AND belt IS NOT NULL AND phase IS NULL
    GROUP BY belt
)
SELECT agg.quarter_end, agg.belt, agg.projects, agg.p25, agg.median, agg.p75,
       CASE WHEN agg.belt = 'all' THEN lines.national_target
            ELSE coalesce(belt_lines.target, lines.national_target) END AS belt_target,
       lines.national_target
FROM agg
CROSS JOIN lines
LEFT JOIN belt_lines ON belt_lines.belt = agg.belt
ORDER BY agg.quarter_end, list_position(['all', 'east', 'central', 'west'], agg.belt);
