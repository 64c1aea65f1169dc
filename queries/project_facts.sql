-- project_facts: one pilot's facts (names, domain, type, province, city, belt, lead unit, batch,
-- dates, its status on the as-of date and the day the stored status began), its phase on the
-- as-of date, and its health with the reasons (codes, worst first). `started`: the pilot exists
-- on the date; when it has not started, phase and health are empty (its page says so). No row
-- for an unknown id.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $project     VARCHAR    the project id
-- columns: project_id, name_zh, name_en, domain, pilot_type, province_code, province_zh, province_en, city, belt, lead_unit, batch_year, start_date, end_date, status, status_date, phase, health, reasons, started
SELECT pb.project_id, pb.name_zh, pb.name_en, pb.domain, pb.pilot_type, pb.province_code, pb.province_zh,
       pb.province_en, pb.city, pb.belt, pb.lead_unit, pb.batch_year, pb.start_date, pb.end_date,
       coalesce(po.status, pb.status) AS status, pb.status_date,
       ph.phase, h.health, coalesce(h.reasons, []::VARCHAR[]) AS reasons,
       po.project_id IS NOT NULL AS started
FROM project_base() pb
LEFT JOIN pilots_on($as_of) po ON po.project_id = pb.project_id
LEFT JOIN project_phase($as_of) ph ON ph.project_id = pb.project_id
LEFT JOIN project_health_all($as_of) h ON h.project_id = pb.project_id
WHERE pb.project_id = $project;
