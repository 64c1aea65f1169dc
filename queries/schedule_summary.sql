-- schedule_summary: the filtered pilots' schedule per belt and in total (belt 'all'): how many
-- pilots, how many behind schedule (macro project_schedule), and their milestones on the as-of
-- date: how many, due by then, done on time, done late, overdue, upcoming, and completion (of
-- those due, the share done). `behind` is over the `running` pilots (active, suspended on the
-- date); `due` is done on time + done late + overdue (a completed or withdrawn pilot's
-- unfinished milestones are closed, in none of them).
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt        VARCHAR[]  belts: east, central, west
--   $province    VARCHAR[]  province codes
--   $city        VARCHAR[]  city codes (4 digits)
--   $domain      VARCHAR[]  project domains
--   $pilot_type  VARCHAR[]  pilot types
--   $phase       VARCHAR[]  the project's phase on the as-of date
--   $status      VARCHAR[]  project statuses
-- columns: belt, projects, running, behind, milestones, due, done_on_time, done_late, overdue, upcoming, closed, completion
SELECT coalesce(fp.belt, 'all') AS belt,
       count(*) AS projects,
       count(*) FILTER (WHERE is_running(fp.status)) AS running,
       count(*) FILTER (WHERE s.behind) AS behind,
       coalesce(sum(s.milestones), 0)::BIGINT AS milestones,
       coalesce(sum(s.due), 0)::BIGINT AS due,
       coalesce(sum(s.done_on_time), 0)::BIGINT AS done_on_time,
       coalesce(sum(s.done_late), 0)::BIGINT AS done_late,
       coalesce(sum(s.overdue), 0)::BIGINT AS overdue,
       coalesce(sum(s.upcoming), 0)::BIGINT AS upcoming,
       coalesce(sum(s.closed), 0)::BIGINT AS closed,
       milestone_completion(sum(s.done_of_due), sum(s.due)) AS completion
FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city) fp
JOIN project_schedule($as_of) s ON s.project_id = fp.project_id
GROUP BY GROUPING SETS ((fp.belt), ())
ORDER BY coalesce(belt_no(fp.belt), 4);
