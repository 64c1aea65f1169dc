-- warnings_list: the warnings of the filtered pilots, worst and most overdue first: live ones
-- (open, acknowledged) before resolved and closed, then by level, overdue first, then by how
-- long past (or near) their respond-by time.
-- params:
--   $as_of        DATE       as-of date (the pilots' phase for the phase filter)
--   $belt         VARCHAR[]  belts: east, central, west
--   $province     VARCHAR[]  province codes
--   $city         VARCHAR[]  city codes (4 digits)
--   $domain       VARCHAR[]  project domains
--   $pilot_type   VARCHAR[]  pilot types
--   $phase        VARCHAR[]  the project's phase on the as-of date
--   $status       VARCHAR[]  project statuses
--   $level        VARCHAR    red, orange or yellow (NULL: every level)
--   $wstate       VARCHAR    live (open or acknowledged), overdue, open, acknowledged, resolved, closed, all (NULL: live)
--   $condition    VARCHAR    a warning condition code (NULL: every condition)
--   $owner_key    VARCHAR    an owner's key, owner_key(owner) (NULL: every owner)
--   $project      VARCHAR    one pilot (NULL: every pilot)
--   $warning      INTEGER    one warning (NULL: every warning)
-- columns: warning_id, project_id, name_zh, name_en, belt, province_code, condition, trigger_kind, trigger_id, level, detail, raised_on, respond_by, owner, owner_key, state, overdue, escalated_at, response_note, plan_date, acknowledged_by, acknowledged_at, resolved_on, close_reason, closed_by, previous_id, pending_notices
SELECT w.warning_id, w.project_id, w.name_zh, w.name_en, w.belt, w.province_code, w.condition,
       w.trigger_kind, w.trigger_id, w.level, w.detail, w.raised_on, w.respond_by, w.owner,
       owner_key(w.owner) AS owner_key, w.state, w.overdue, w.escalated_at, w.response_note,
       w.plan_date, w.acknowledged_by, w.acknowledged_at, w.resolved_on, w.close_reason, w.closed_by,
       w.previous_id, w.pending_notices
FROM warning_view() w
JOIN filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
  ON fp.project_id = w.project_id
WHERE ($level IS NULL OR w.level = $level)
  AND (CASE coalesce($wstate, 'live')
         WHEN 'live' THEN w.live
         WHEN 'overdue' THEN w.overdue
         WHEN 'all' THEN true
         ELSE w.state = $wstate
       END)
  AND ($condition IS NULL OR w.condition = $condition)
  AND ($owner_key IS NULL OR owner_key(w.owner) = $owner_key)
  AND ($project IS NULL OR w.project_id = $project)
  AND ($warning IS NULL OR w.warning_id = $warning)
ORDER BY w.live DESC, warning_rank(w.level) DESC, w.overdue DESC, w.respond_by, w.project_id, w.warning_id
