-- task_tree: one pilot's task tree as of a date, parents before their children (goal 总目标 →
-- sub-project 子项目 → action 行动项): each node's owner, dates, weight, progress (rolled up from its
-- children by weight for a parent; at most 99 until done), planned progress (elapsed share of its
-- window, 0–100), state (done_on_time, done_late, overdue, behind, on_track, closed), days
-- overdue, red/amber/green (its worst descendant's) and deliverable. `path` orders the tree.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $project     VARCHAR    the project id
-- columns: task_id, parent_id, root_id, level, leaf, name, owner, start_date, due_date, done_date, weight, progress, planned, state, overdue_days, rag, deliverable, path
SELECT task_id, parent_id, root_id, level, leaf, name, owner, start_date, due_date, done_date, weight,
       progress, planned, state, overdue_days, rag, deliverable,
       concat_ws('/', grand_id, parent_id, task_id) AS path
FROM task_rag($as_of)
WHERE project_id = $project
ORDER BY path;
