-- project_indicators: one pilot's indicators with the current actual, the target that applies
-- and where it comes from (project, province, belt, national or catalogue; and its phase), the
-- gap in the indicator's unit, achievement and status, as of a date.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $project     VARCHAR    the project id
-- columns: indicator_code, name_zh, name_en, category, unit, direction, period_end, actual, target, target_scope, target_phase, gap, achievement, status
SELECT s.indicator_code, i.name_zh, i.name_en, s.category, s.unit, s.direction, s.period_end, s.actual,
       s.target, s.target_scope, s.target_phase, s.gap, s.achievement, s.status
FROM indicator_status_all($as_of) s
JOIN indicators i ON i.indicator_code = s.indicator_code
WHERE s.project_id = $project
ORDER BY s.indicator_code;
