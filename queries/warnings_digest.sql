-- warnings_digest: what happened to the warnings of the filtered pilots in a period (a digest
-- 周报/月报): one row per warning that was raised, escalated or resolved in the period (when the
-- event happened: from $from_time to before $to_time, UTC, which the digest makes from the
-- period's days in the programme's time zone; without them the UTC days $since..$as_of), or is
-- open past its respond-by time now. The pilots are those existing on the period's last day.
-- params:
--   $as_of        DATE       the period's last day
--   $since        DATE       the period's first day
--   $from_time    VARCHAR    the period's first moment, UTC (ISO), optional
--   $to_time      VARCHAR    the moment after the period, UTC (ISO), optional
--   $belt         VARCHAR[]  belts: east, central, west
--   $province     VARCHAR[]  province codes
--   $project      VARCHAR[]  pilots (NULL: every pilot)
-- columns: kind, warning_id, project_id, name_zh, name_en, belt, province_code, condition, trigger_kind, trigger_id, level, state, raised_on, respond_by, owner
WITH w AS (
    SELECT w.* FROM warning_view() w
    JOIN filtered_projects($as_of, $belt, $province, NULL, NULL, NULL, NULL) fp ON fp.project_id = w.project_id
    WHERE ($project IS NULL OR list_contains($project, w.project_id))
),
happened AS (
    SELECT DISTINCT e.event AS kind, e.warning_id
    FROM warning_events e
    WHERE e.event IN ('raised', 'escalated', 'resolved')
      AND CASE WHEN $from_time IS NULL OR $to_time IS NULL THEN e.event_at::DATE BETWEEN $since AND $as_of
               ELSE e.event_at >= $from_time::TIMESTAMP AND e.event_at < $to_time::TIMESTAMP END
    UNION ALL
    SELECT 'overdue', warning_id FROM w
    WHERE overdue
)
SELECT h.kind, w.warning_id, w.project_id, w.name_zh, w.name_en, w.belt, w.province_code, w.condition,
       w.trigger_kind, w.trigger_id, w.level, w.state, w.raised_on, w.respond_by, w.owner
FROM happened h JOIN w ON w.warning_id = h.warning_id
ORDER BY CASE h.kind WHEN 'raised' THEN 1 WHEN 'escalated' THEN 2 WHEN 'overdue' THEN 3 ELSE 4 END,
         warning_rank(w.level) DESC, w.project_id, w.warning_id
