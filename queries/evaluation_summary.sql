-- evaluation_summary: a round's final grades by belt and by province over the filtered pilots it
-- evaluates: how many are evaluated, how many have a final score, the count of each grade, the
-- average final score and how many self-assessments are inflated. `level` is belt (province
-- columns empty) or province. Stable interface.
-- params:
--   $round       VARCHAR    the round
--   $as_of       DATE       as-of date of the filters (a pilot's phase and place on it)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
-- columns: level, belt, province_code, province_zh, province_en, evaluated, graded, excellent, good, fair, poor, average_total, inflated
WITH s AS (
    SELECT fp.belt, fp.province_code, fp.province_zh, fp.province_en, st.*
    FROM eval_standing_all() st
    JOIN filtered_projects(coalesce($as_of, default_as_of()), $belt, $province, $domain, $pilot_type, $phase, $status) fp ON fp.project_id = st.project_id
    WHERE st.round_id = $round
)
SELECT CASE WHEN grouping(province_code) = 1 THEN 'belt' ELSE 'province' END AS level,
       belt, province_code,
       CASE WHEN grouping(province_code) = 0 THEN any_value(province_zh) END AS province_zh,
       CASE WHEN grouping(province_code) = 0 THEN any_value(province_en) END AS province_en,
       count(*) AS evaluated, count(final_total) AS graded,
       count(*) FILTER (WHERE final_grade = 'excellent') AS excellent,
       count(*) FILTER (WHERE final_grade = 'good') AS good,
       count(*) FILTER (WHERE final_grade = 'fair') AS fair,
       count(*) FILTER (WHERE final_grade = 'poor') AS poor,
       half_up(avg(final_total)) AS average_total,
       count(*) FILTER (WHERE inflated) AS inflated
FROM s
GROUP BY GROUPING SETS ((belt), (belt, province_code))
ORDER BY belt_no(belt), level, province_code;
