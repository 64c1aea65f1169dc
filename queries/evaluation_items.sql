-- evaluation_items: a pilot's scorecard in a round as its tree of items (level 1 to 3): marks,
-- method and its argument, the veto flag, and for one evaluator (default: whose score is final)
-- each leaf's value on the period end, its score and state (scored, no_data, not_applicable,
-- not_scored) and the evidence given; a parent's score is the sum of its applicable leaves'.
-- Stable interface.
-- params:
--   $round      VARCHAR  the round
--   $project    VARCHAR  the pilot
--   $evaluator  VARCHAR  self, department or third_party (NULL: the final evaluator, else self)
-- columns: round_id, project_id, evaluator, item_code, parent_code, top_code, level, name_zh, name_en, marks, method, method_arg, veto, is_leaf, value, score, state, evidence, evaluator_org
WITH who AS (
    SELECT coalesce($evaluator,
                    (SELECT final_evaluator FROM eval_final_all() WHERE round_id = $round AND project_id = $project),
                    (SELECT min(evaluator) FROM eval_results WHERE round_id = $round AND project_id = $project),
                    'self') AS evaluator
),
tree AS (
    SELECT t.* FROM eval_tree() t JOIN eval_rounds r ON r.scheme = t.scheme WHERE r.round_id = $round
),
leaves AS (
    SELECT lr.item_code, lr.value, lr.score, lr.state
    FROM eval_leaf_results lr, who
    WHERE lr.round_id = $round AND lr.project_id = $project AND lr.evaluator IN ('', who.evaluator)
),
evaluated AS (
    SELECT count(*) > 0 AS yes FROM eval_round_pilots_all() WHERE round_id = $round AND project_id = $project
)
SELECT $round AS round_id, $project AS project_id, who.evaluator, t.item_code, t.parent_code, t.top_code, t.level,
       t.name_zh, t.name_en,
       coalesce(t.marks, (SELECT sum(l.marks) FROM tree l WHERE l.is_leaf
                          AND (l.parent_code = t.item_code OR l.top_code = t.item_code))) AS marks,
       t.method, t.method_arg, coalesce(t.veto = 'true', false) AS veto, t.is_leaf,
       lv.value,
       CASE WHEN t.is_leaf THEN lv.score
            ELSE (SELECT sum(c.score) FROM tree l JOIN leaves c ON c.item_code = l.item_code
                  WHERE l.is_leaf AND (l.parent_code = t.item_code OR l.top_code = t.item_code)) END AS score,
       CASE WHEN t.is_leaf THEN coalesce(lv.state, CASE WHEN t.method = 'manual' THEN 'not_scored' END) END AS state,
       s.evidence, s.evaluator_org
FROM tree t
CROSS JOIN who
CROSS JOIN evaluated
LEFT JOIN leaves lv ON lv.item_code = t.item_code
LEFT JOIN eval_scores s ON s.round_id = $round AND s.project_id = $project AND s.evaluator = who.evaluator
     AND s.item_code = t.item_code
WHERE evaluated.yes
ORDER BY t.top_code, coalesce(t.parent_code, ''), t.item_code;
