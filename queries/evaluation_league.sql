-- evaluation_league: a round's league table of the filtered pilots it evaluates: rank by final
-- score (pilots without one last, unranked), final score and grade and whose they are, the veto
-- item, the change since the previous round of the same kind, the self total and whether it is
-- inflated; the rank is among the filtered pilots. With $project and no $round: that pilot's every
-- round ended by the as-of date (the Project page). Stable interface.
-- params:
--   $round       VARCHAR    the round (NULL: every round ended by the as-of date)
--   $as_of       DATE       as-of date of the filters (a pilot's phase and place on it)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
--   $project     VARCHAR[]  only these project ids
-- columns: round_id, round_name, kind, period_end, rank, project_id, name_zh, name_en, belt, province_code, final_total, final_grade, final_evaluator, veto_item, change, previous_round, self_total, inflated, inflation
WITH standing AS (
    SELECT r.name AS round_name, r.kind, r.period_end, s.*
    FROM eval_rounds r
    JOIN eval_standing_all() s ON s.round_id = r.round_id
    JOIN filtered_projects(coalesce($as_of, default_as_of()), $belt, $province, $domain, $pilot_type, $phase, $status) fp ON fp.project_id = s.project_id
    WHERE r.round_id = $round OR ($round IS NULL AND r.period_end <= coalesce($as_of, default_as_of()))
),
ranked AS (
    SELECT *, CASE WHEN final_total IS NOT NULL
                   THEN rank() OVER (PARTITION BY round_id ORDER BY final_total DESC NULLS LAST) END AS rank
    FROM standing
)
SELECT s.round_id, s.round_name, s.kind, s.period_end,
       s.rank,
       s.project_id, p.name_zh, p.name_en, p.belt, p.province_code,
       s.final_total, s.final_grade, s.final_evaluator, s.final_veto_item AS veto_item, s.change,
       s.previous_round, s.self_total, s.inflated, s.inflation
FROM ranked s
JOIN project_base() p ON p.project_id = s.project_id
WHERE $project IS NULL OR list_contains($project::VARCHAR[], s.project_id)
ORDER BY s.period_end DESC, s.round_id, rank NULLS LAST, s.project_id;
