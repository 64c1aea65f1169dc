-- project_milestones: one pilot's milestones in due order, with the completion date as known on
-- the as-of date, the state then (done on time, done late, overdue, upcoming) and days overdue.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $project     VARCHAR    the project id
-- columns: milestone_id, phase, name, kind, due_date, done_date, state, overdue_days
SELECT milestone_id, phase, name, kind, due_date,
       CASE WHEN done_date <= $as_of THEN done_date END AS done_date, state, overdue_days
FROM milestone_states($as_of)
WHERE project_id = $project
ORDER BY due_date, milestone_id;
