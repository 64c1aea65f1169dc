-- project_reading_trend: one pilot's readings of one indicator up to the as-of date, each with
-- the target that applies on that date and the status the reading would have against it
-- (lower-is-better read as such), for a trend against the target line.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $project     VARCHAR    the project id
--   $indicator   VARCHAR    the indicator code
-- columns: period_end, actual, target, direction, unit, achievement, status
SELECT r.period_end, r.actual_value AS actual, t.target, i.direction, i.unit,
       achievement(i.direction, r.actual_value, t.target) AS achievement,
       indicator_status_of(i.direction, r.actual_value, t.target) AS status
FROM readings r
JOIN indicators i ON i.indicator_code = r.indicator_code
LEFT JOIN applicable_targets($as_of) t ON t.project_id = r.project_id AND t.indicator_code = r.indicator_code
WHERE r.project_id = $project AND r.indicator_code = $indicator AND r.period_end <= $as_of
ORDER BY r.period_end;
