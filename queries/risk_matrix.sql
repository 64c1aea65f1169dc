-- risk_matrix: the 5 × 5 risk matrix 风险矩阵 per belt as of a date: how many open risks of the
-- filtered running pilots stand at each probability × impact (each risk as of its latest review
-- on or before the date), with the cell's score and level; only cells that hold a risk.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
-- columns: belt, probability, impact, score, level, risks
SELECT fp.belt, r.probability, r.impact, r.probability * r.impact AS score,
       risk_level(r.probability * r.impact) AS level, count(*) AS risks
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status) fp
JOIN counted_risks($as_of) r ON r.project_id = fp.project_id
WHERE r.status = 'open' AND is_running(fp.status)
GROUP BY fp.belt, r.probability, r.impact
ORDER BY belt_no(fp.belt), r.probability DESC, r.impact DESC;
