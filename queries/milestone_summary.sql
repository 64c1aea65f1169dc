-- milestone_summary: the filtered pilots' milestones by state on the as-of date, per belt and
-- in total (belt 'all'): how many, how many due by then, done on time, done late, overdue,
-- upcoming, and completion (of those due, the share done).
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
-- columns: belt, milestones, due, done_on_time, done_late, overdue, upcoming, completion
SELECT coalesce(fp.belt, 'all') AS belt,
       count(m.milestone_id) AS milestones,
       count(*) FILTER (WHERE m.due_date <= $as_of) AS due,
       count(*) FILTER (WHERE m.state = 'done_on_time') AS done_on_time,
       count(*) FILTER (WHERE m.state = 'done_late') AS done_late,
       count(*) FILTER (WHERE m.state = 'overdue') AS overdue,
       count(*) FILTER (WHERE m.state = 'upcoming') AS upcoming,
       milestone_completion(count(*) FILTER (WHERE m.due_date <= $as_of AND m.done_date <= $as_of),
                            count(*) FILTER (WHERE m.due_date <= $as_of)) AS completion
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status) fp
JOIN milestone_states($as_of) m ON m.project_id = fp.project_id
GROUP BY GROUPING SETS ((fp.belt), ())
ORDER BY CASE coalesce(fp.belt, 'all') WHEN 'east' THEN 1 WHEN 'central' THEN 2 WHEN 'west' THEN 3 ELSE 4 END;
