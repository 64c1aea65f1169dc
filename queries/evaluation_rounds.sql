-- evaluation_rounds: the assessment rounds ended by the as-of date, latest first, with how many
-- pilots each evaluates and how many have a final score (the visible ones). Stable interface.
-- params:
--   $as_of  DATE  as-of date: rounds whose period ends on or before it
-- columns: round_id, name, kind, period_start, period_end, scheme, evaluated, graded
WITH counts AS (
    SELECT round_id, count(*) AS evaluated, count(final_total) AS graded
    FROM eval_standing_all() GROUP BY round_id
)
SELECT r.round_id, r.name, r.kind, r.period_start, r.period_end, r.scheme,
       coalesce(c.evaluated, 0) AS evaluated, coalesce(c.graded, 0) AS graded
FROM eval_rounds r
LEFT JOIN counts c ON c.round_id = r.round_id
WHERE r.period_end <= coalesce($as_of, default_as_of())
ORDER BY r.period_end DESC, r.round_id DESC;
