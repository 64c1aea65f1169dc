-- attention_projects: the filtered pilots that most need attention, worst first: red before
-- amber, then by the number of reasons, then by milestone days overdue. Green ones never appear.
-- Only pilots still running (active or suspended) unless the status filter asks for others:
-- a completed or withdrawn pilot has nothing left for a manager to act on.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $city        VARCHAR[]  city codes (4 digits)
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
--   $health      VARCHAR[]  only these health levels: red, amber
--   $limit       INTEGER    how many rows (default 10)
-- columns: project_id, name_zh, name_en, belt, province_code, province_zh, province_en, domain, phase, status, health, reasons, max_overdue_days
WITH overdue AS (
    SELECT project_id, max(overdue_days) AS max_overdue_days
    FROM milestone_states($as_of) GROUP BY project_id
)
SELECT fp.project_id, fp.name_zh, fp.name_en, fp.belt, fp.province_code, fp.province_zh, fp.province_en,
       fp.domain, fp.phase, fp.status, h.health, h.reasons, overdue.max_overdue_days
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
JOIN project_health_all($as_of) h ON h.project_id = fp.project_id
LEFT JOIN overdue ON overdue.project_id = fp.project_id
WHERE h.health IN ('red', 'amber')
  AND ($health IS NULL OR list_contains($health::VARCHAR[], h.health))
ORDER BY CASE h.health WHEN 'red' THEN 0 ELSE 1 END, len(h.reasons) DESC,
         overdue.max_overdue_days DESC NULLS LAST, fp.project_id
LIMIT coalesce($limit, 10);
