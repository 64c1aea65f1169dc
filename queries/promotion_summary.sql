-- promotion_summary: promotion 经验推广 per belt and for every pilot in view (the row whose belt is
-- empty): pilots counting for conversion on the as-of date (in the promotion phase or completed)
-- and those converted (a recommended or adopted case by then), the conversion rate against its
-- target; the cases of the pilots in view reaching each funnel stage by then (draft ≥ evaluated ≥
-- recommended ≥ adopted); the provinces with an adoption by then and coverage (÷ 31).
-- Stable: the Cases page, exports and reports read it.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $city        VARCHAR[]  city codes (4 digits)
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
-- columns: belt, pilots, eligible, converted, conversion_rate, conversion_target, cases, draft, evaluated, recommended, adopted, adopting_provinces, coverage
WITH pp AS (
    SELECT * FROM promotion_pilots($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city)
),
cs AS (
    SELECT cs.case_id, stage_no(cs.stage) AS reached, pp.belt
    FROM case_stages($as_of) cs JOIN pp ON pp.project_id = cs.project_id
),
adopted AS (
    SELECT DISTINCT cs.belt, a.province_code
    FROM cs JOIN adoptions a ON a.case_id = cs.case_id
    WHERE a.adopted_on <= $as_of
),
pilots AS (
    SELECT belt, count(*) AS pilots, count(*) FILTER (WHERE eligible) AS eligible,
           count(*) FILTER (WHERE converted) AS converted
    FROM pp GROUP BY GROUPING SETS ((belt), ())
),
funnel AS (
    SELECT belt, count(*) AS cases, count(*) FILTER (WHERE reached >= 1) AS draft,
           count(*) FILTER (WHERE reached >= 2) AS evaluated, count(*) FILTER (WHERE reached >= 3) AS recommended,
           count(*) FILTER (WHERE reached >= 4) AS adopted
    FROM cs GROUP BY GROUPING SETS ((belt), ())
),
coverage AS (
    SELECT belt, count(DISTINCT province_code) AS adopting_provinces
    FROM adopted GROUP BY GROUPING SETS ((belt), ())
)
SELECT p.belt, p.pilots, p.eligible, p.converted, conversion_rate(p.converted, p.eligible) AS conversion_rate,
       th_conversion_target() AS conversion_target,
       coalesce(f.cases, 0) AS cases, coalesce(f.draft, 0) AS draft, coalesce(f.evaluated, 0) AS evaluated,
       coalesce(f.recommended, 0) AS recommended, coalesce(f.adopted, 0) AS adopted,
       coalesce(c.adopting_provinces, 0) AS adopting_provinces,
       case_coverage(coalesce(c.adopting_provinces, 0)) AS coverage
FROM pilots p
LEFT JOIN funnel f ON f.belt IS NOT DISTINCT FROM p.belt
LEFT JOIN coverage c ON c.belt IS NOT DISTINCT FROM p.belt
ORDER BY p.belt IS NULL, belt_no(p.belt);
