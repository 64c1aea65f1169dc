-- target_gaps: every (project, indicator) pair of the filtered pilots with its target and where
-- the target comes from (scope: project, province, belt, national or catalogue; the phase when
-- phase-specific), the current actual, the gap in the indicator's own unit, achievement (not
-- capped) and status. Largest shortfalls first: by achievement ascending; pairs with no rate
-- (met by a target of 0 or a lower-is-better actual of 0) follow the rated ones, no data last.
-- params:
--   $as_of             DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt              VARCHAR[]  belts: east, central, west
--   $province          VARCHAR[]  province codes
--   $city              VARCHAR[]  city codes (4 digits)
--   $domain            VARCHAR[]  project domains
--   $pilot_type        VARCHAR[]  pilot types
--   $phase             VARCHAR[]  the project's phase on the as-of date
--   $status            VARCHAR[]  project statuses
--   $indicator         VARCHAR[]  indicator codes
--   $indicator_status  VARCHAR[]  only these indicator statuses: met, near, behind, no_data
-- columns: project_id, name_zh, name_en, belt, province_code, phase, indicator_code, indicator_zh, indicator_en, unit, direction, target, target_scope, target_phase, period_end, actual, gap, achievement, indicator_status
SELECT fp.project_id, fp.name_zh, fp.name_en, fp.belt, fp.province_code, fp.phase,
       s.indicator_code, i.name_zh AS indicator_zh, i.name_en AS indicator_en, i.unit, i.direction,
       s.target, s.target_scope, s.target_phase, s.period_end, s.actual, s.gap, s.achievement,
       s.status AS indicator_status
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
JOIN indicator_status_all($as_of) s ON s.project_id = fp.project_id
JOIN indicators i ON i.indicator_code = s.indicator_code
WHERE ($indicator IS NULL OR list_contains($indicator::VARCHAR[], s.indicator_code))
  AND ($indicator_status IS NULL OR list_contains($indicator_status::VARCHAR[], s.status))
ORDER BY CASE WHEN s.status = 'no_data' THEN 1 ELSE 0 END, s.achievement ASC NULLS LAST,
         s.gap DESC NULLS LAST, fp.project_id, s.indicator_code;
