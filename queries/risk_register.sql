-- risk_register: the risks of the filtered pilots identified by the as-of date, each as it stood
-- on that date (its latest review on or before it: probability, impact, score, level, status,
-- strategy, note), with the date of that review and whether its quarterly review is overdue
-- (open and more than 92 days since); open ones first, highest score first.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
--   $project     VARCHAR[]  only these project ids
--   $overdue     INTEGER    1: only the risks whose review is overdue
-- columns: risk_id, project_id, name_zh, name_en, belt, province_code, province_zh, province_en, category, description, probability, impact, score, level, status, strategy, review_note, owner, identified_on, reviewed_on, review_overdue, days_since_review
SELECT r.risk_id, fp.project_id, fp.name_zh, fp.name_en, fp.belt, fp.province_code, fp.province_zh, fp.province_en,
       r.category, r.description, r.probability, r.impact, r.score, r.level, r.status, r.strategy, r.review_note,
       r.owner, r.identified_on, r.reviewed_on, r.review_overdue AND is_running(fp.status) AS review_overdue,
       ($as_of - r.reviewed_on)::INTEGER AS days_since_review
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status) fp
JOIN counted_risks($as_of) r ON r.project_id = fp.project_id
WHERE ($project IS NULL OR list_contains($project::VARCHAR[], fp.project_id))
  AND ($overdue IS NULL OR $overdue = 0 OR (r.review_overdue AND is_running(fp.status)))
ORDER BY CASE r.status WHEN 'open' THEN 0 WHEN 'mitigated' THEN 1 ELSE 2 END, r.score DESC, r.risk_id;
