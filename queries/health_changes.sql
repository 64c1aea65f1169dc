-- health_changes: the filtered pilots whose health changed between an earlier date (default:
-- the quarter end before the as-of date) and the as-of date, worse before better: green to
-- amber or red, amber to red are "worse". Red now first, then those that fell furthest, with
-- the reasons they have now. Only running pilots (active or suspended), whatever the status
-- filter: the same pilots as overview_totals' red/amber/green, so that the net change of each
-- count is the pilots that moved into it minus those that moved out.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $since       DATE       the earlier date (default: the quarter end before the as-of date)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $city        VARCHAR[]  city codes (4 digits)
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
-- columns: project_id, name_zh, name_en, belt, province_code, province_zh, province_en, domain, phase, status, health_before, health, change, reasons
SELECT fp.project_id, fp.name_zh, fp.name_en, fp.belt, fp.province_code, fp.province_zh, fp.province_en,
       fp.domain, fp.phase, fp.status, b.health AS health_before, h.health,
       CASE WHEN health_rank(h.health) > health_rank(b.health) THEN 'worse' ELSE 'better' END AS change,
       h.reasons
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
JOIN project_health_all($as_of) h ON h.project_id = fp.project_id
JOIN project_health_all(coalesce($since, previous_period_end($as_of))) b ON b.project_id = fp.project_id
WHERE h.health <> b.health
  AND is_running(fp.status)
ORDER BY CASE WHEN health_rank(h.health) > health_rank(b.health) THEN 0 ELSE 1 END,
         health_rank(h.health) DESC, health_rank(h.health) - health_rank(b.health) DESC, fp.project_id;
