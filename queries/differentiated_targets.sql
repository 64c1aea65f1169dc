-- differentiated_targets: every target set for a belt, a province or a phase (not for a single
-- project) beside the national target it departs from: the national target for the same
-- phase if there is one, else the national all-phase target, else the catalogue's. Belt and
-- province rows follow the belt and province filters.
-- params:
--   $belt         VARCHAR[]  belts: east, central, west
--   $province     VARCHAR[]  province codes
-- columns: indicator_code, name_zh, name_en, category, unit, direction, scope, belt, province_code, phase, target, national_target, difference
WITH national AS (
    SELECT indicator_code, phase, target_value
    FROM targets
    WHERE project_id IS NULL AND province_code IS NULL AND belt IS NULL
),
scoped AS (
    SELECT t.*, coalesce(t.belt, pr.belt) AS scope_belt,
           CASE WHEN t.province_code IS NOT NULL THEN 'province'
                WHEN t.belt IS NOT NULL THEN 'belt'
                ELSE 'national' END AS scope
    FROM targets t
    LEFT JOIN provinces pr ON pr.province_code = t.province_code
    WHERE t.project_id IS NULL
      AND (t.province_code IS NOT NULL OR t.belt IS NOT NULL OR t.phase IS NOT NULL)
)
SELECT s.indicator_code, i.name_zh, i.name_en, i.category, i.unit, i.direction, s.scope,
       s.scope_belt AS belt, s.province_code, s.phase, s.target_value AS target,
       coalesce(CASE WHEN s.scope <> 'national' THEN np.target_value END, na.target_value,
                i.national_target) AS national_target,
       round(s.target_value - coalesce(CASE WHEN s.scope <> 'national' THEN np.target_value END,
                                 na.target_value, i.national_target), 6) AS difference
FROM scoped s
JOIN indicators i ON i.indicator_code = s.indicator_code
LEFT JOIN national np ON np.indicator_code = s.indicator_code AND np.phase = s.phase
LEFT JOIN national na ON na.indicator_code = s.indicator_code AND na.phase IS NULL
WHERE ($belt IS NULL OR s.scope_belt IS NULL OR list_contains($belt::VARCHAR[], s.scope_belt))
  AND ($province IS NULL OR s.province_code IS NULL OR list_contains($province::VARCHAR[], s.province_code))
ORDER BY s.indicator_code,
         CASE s.scope WHEN 'national' THEN 0 WHEN 'belt' THEN 1 ELSE 2 END,
         coalesce(belt_no(s.scope_belt), 0),
         s.province_code, phase_no(s.phase) NULLS FIRST;
