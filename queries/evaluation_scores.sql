-- evaluation_scores: every evaluation (round x pilot x evaluator) of the filtered pilots: whether
-- it is complete, its total and grade (none while incomplete), the veto item that made it 差,
-- whether it is the final one, and the self-assessment's inflation against the final score.
-- Stable interface.
-- params:
--   $round       VARCHAR    one round (NULL: every round)
--   $as_of       DATE       as-of date of the filters (a pilot's phase and place on it)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
--   $project     VARCHAR[]  only these project ids
-- columns: round_id, round_name, kind, period_end, project_id, name_zh, name_en, belt, province_code, evaluator, evaluator_org, complete, total, grade, veto_item, is_final, inflated, inflation
WITH orgs AS (
    SELECT round_id, project_id, evaluator, min(evaluator_org) AS evaluator_org
    FROM eval_scores GROUP BY ALL
)
SELECT r.round_id, r.name AS round_name, r.kind, r.period_end, e.project_id, fp.name_zh, fp.name_en, fp.belt,
       fp.province_code, e.evaluator, o.evaluator_org, e.complete, e.total, e.grade, e.veto_item,
       coalesce(s.final_evaluator = e.evaluator, false) AS is_final,
       e.evaluator = 'self' AND coalesce(s.inflated, false) AS inflated,
       CASE WHEN e.evaluator = 'self' THEN s.inflation END AS inflation
FROM eval_rounds r
JOIN eval_results e ON e.round_id = r.round_id
JOIN filtered_projects(coalesce($as_of, default_as_of()), $belt, $province, $domain, $pilot_type, $phase, $status) fp ON fp.project_id = e.project_id
LEFT JOIN orgs o ON o.round_id = e.round_id AND o.project_id = e.project_id AND o.evaluator = e.evaluator
LEFT JOIN eval_standing_all() s ON s.round_id = e.round_id AND s.project_id = e.project_id
WHERE ($round IS NULL OR r.round_id = $round)
  AND ($project IS NULL OR list_contains($project::VARCHAR[], e.project_id))
ORDER BY r.period_end DESC, e.project_id, evaluator_precedence(e.evaluator);
