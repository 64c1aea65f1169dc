-- indicator_targets: the targets set for one indicator, as what they are: the catalogue's
-- national target, and every national, belt and province target row with its phase (empty:
-- any phase), for drawing target lines and listing differentiated targets. Project-specific
-- targets are counted, not listed (there may be thousands), over the pilots existing on $as_of.
-- params:
--   $indicator  VARCHAR  one indicator code
--   $as_of      DATE     as-of date (default: today or the newest reading, whichever is earlier)
-- columns: target_scope, belt, province_code, target_phase, target, projects_with_own_target
SELECT * FROM (
    SELECT 'catalogue' AS target_scope, NULL::VARCHAR AS belt, NULL::VARCHAR AS province_code,
           NULL::VARCHAR AS target_phase, national_target AS target, NULL::BIGINT AS projects_with_own_target
    FROM indicators WHERE indicator_code = $indicator AND national_target IS NOT NULL
    UNION ALL
    SELECT CASE WHEN province_code IS NOT NULL THEN 'province' WHEN belt IS NOT NULL THEN 'belt' ELSE 'national' END,
           belt, province_code, phase, target_value, NULL
    FROM targets WHERE indicator_code = $indicator AND project_id IS NULL
    UNION ALL
    SELECT 'project', NULL, NULL, NULL, NULL, count(DISTINCT project_id)
    FROM targets WHERE indicator_code = $indicator AND project_id IS NOT NULL
      AND project_id IN (SELECT project_id FROM pilots_on($as_of))
    HAVING count(*) > 0
) AS target_rows
ORDER BY list_position(['catalogue', 'national', 'belt', 'province', 'project'], target_scope),
         list_position(['east', 'central', 'west'], belt), province_code,
         list_position(['launch', 'deepening', 'promotion'], target_phase) NULLS FIRST;
