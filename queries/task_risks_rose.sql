-- task_risks_rose: risks of the filtered pilots whose score rose during a period: the score on
-- the as-of date (the period end, each risk as of its latest review) against the score on the
-- day before $since (absent then: identified during the period, counted as rising from 0).
-- params:
--   $as_of       DATE       the period end (the as-of date of the report)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
--   $since       DATE       the first day of the period
-- columns: risk_id, project_id, name_zh, name_en, belt, description, owner, score_before, score, level, status, reviewed_on, review_note
SELECT r.risk_id, fp.project_id, fp.name_zh, fp.name_en, fp.belt, r.description, r.owner,
       coalesce(b.score, 0) AS score_before, r.score, r.level, r.status, r.reviewed_on, r.review_note
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status) fp
JOIN counted_risks($as_of) r ON r.project_id = fp.project_id
LEFT JOIN counted_risks(($since::DATE - 1)::DATE) b ON b.risk_id = r.risk_id
WHERE r.score > coalesce(b.score, 0) AND r.status = 'open'
ORDER BY r.score - coalesce(b.score, 0) DESC, r.score DESC, r.risk_id;
