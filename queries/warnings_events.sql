-- warnings_events: the history of one warning, or of every warning of one pilot: raised,
-- escalated, lowered, acknowledged (note, plan date), resolved, closed (reason); who and when.
-- params:
--   $warning      INTEGER    one warning (NULL: every warning of $project)
--   $project      VARCHAR    one pilot (NULL: every pilot)
-- columns: warning_id, event_id, event_at, event, by_user, level, as_of, note, plan_date, condition, trigger_id
SELECT e.warning_id, e.event_id, e.event_at, e.event, e.by_user, e.level, e.as_of, e.note, e.plan_date,
       w.condition, w.trigger_id
FROM warning_events e
JOIN warnings w ON w.warning_id = e.warning_id
WHERE ($warning IS NULL OR e.warning_id = $warning)
  AND ($project IS NULL OR w.project_id = $project)
  AND ($warning IS NOT NULL OR $project IS NOT NULL)
ORDER BY e.event_id DESC
