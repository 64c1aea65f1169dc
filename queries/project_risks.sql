-- project_risks: one pilot's risks identified by the as-of date, open ones first, highest
-- score (probability x impact) first, with the level (red, orange, yellow, low).
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $project     VARCHAR    the project id
-- columns: risk_id, category, description, probability, impact, score, level, status, owner, identified_on
SELECT risk_id, category, description, probability, impact, score, level, status, owner, identified_on
FROM counted_risks($as_of)
WHERE project_id = $project
ORDER BY CASE status WHEN 'open' THEN 0 WHEN 'mitigated' THEN 1 ELSE 2 END, score DESC, risk_id;
