-- overview_totals: the headline numbers of the filtered pilots, as of a date: how many,
-- how healthy, how much money moved, how many targets are met, how many milestones overdue.
-- red, amber and green count running pilots only (active, suspended: `running`); completed and
-- withdrawn ones are counted apart (`closed`), as domain.md's "Project health" counts say;
-- their unfinished milestones are closed, not overdue. Every headline measure of
-- pilotdash.measures.HEADLINES is a column here, for Overview and (with $project) Project.
-- params:
--   $as_of        DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $belt         VARCHAR[]  belts: east, central, west
--   $province     VARCHAR[]  province codes
--   $city         VARCHAR[]  city codes (4 digits)
--   $domain       VARCHAR[]  project domains
--   $pilot_type   VARCHAR[]  pilot types
--   $phase        VARCHAR[]  the project's phase on the as-of date
--   $status       VARCHAR[]  project statuses
--   $fiscal_year  INTEGER[]  fiscal years (money columns only)
--   $project      VARCHAR[]  only these project ids (the Project page: its one pilot)
-- columns: projects, active, running, closed, red, amber, green, allocated, disbursed, spent, arrival_rate, execution_rate, utilisation, overspent_projects, pairs_with_data, share_met, overdue_milestones, grade_excellent, grade_good, grade_fair, grade_poor, on_time_delivery, issue_resolution
WITH fp AS (
    SELECT * FROM filtered_projects($as_of, $belt, $province, $domain, $pilot_type, $phase, $status, $city)
    WHERE $project IS NULL OR list_contains($project::VARCHAR[], project_id)
),
health AS (
    SELECT count(*) AS projects,
           count(*) FILTER (WHERE fp.status = 'active') AS active,
           count(*) FILTER (WHERE is_running(fp.status)) AS running,
           count(*) FILTER (WHERE NOT is_running(fp.status)) AS closed,
           count(*) FILTER (WHERE is_running(fp.status) AND h.health = 'red') AS red,
           count(*) FILTER (WHERE is_running(fp.status) AND h.health = 'amber') AS amber,
           count(*) FILTER (WHERE is_running(fp.status) AND h.health = 'green') AS green
    FROM fp JOIN project_health_all($as_of) h ON h.project_id = fp.project_id
),
money AS (
    SELECT sum(b.allocated) AS allocated, sum(b.disbursed) AS disbursed, sum(b.spent) AS spent,
           count(DISTINCT b.project_id) FILTER (WHERE b.overspend) AS overspent_projects
    FROM fp JOIN counted_budget_lines($as_of) b ON b.project_id = fp.project_id
    WHERE $fiscal_year IS NULL OR list_contains($fiscal_year::INTEGER[], b.fiscal_year)
),
targets_met AS (
    SELECT count(*) AS pairs_with_data, share_met_of(s.status) AS share_met
    FROM fp JOIN indicator_status_all($as_of) s ON s.project_id = fp.project_id
    WHERE s.actual IS NOT NULL
),
milestones AS (
    SELECT count(*) FILTER (WHERE m.state = 'overdue' AND is_running(fp.status)) AS overdue_milestones
    FROM fp JOIN milestone_states($as_of) m ON m.project_id = fp.project_id
),
-- Assessment: the final grades of the latest round ended by the as-of date.
grades AS (
    SELECT count(*) FILTER (WHERE f.final_grade = 'excellent') AS grade_excellent,
           count(*) FILTER (WHERE f.final_grade = 'good') AS grade_good,
           count(*) FILTER (WHERE f.final_grade = 'fair') AS grade_fair,
           count(*) FILTER (WHERE f.final_grade = 'poor') AS grade_poor
    FROM fp JOIN eval_final_all() f ON f.project_id = fp.project_id
    WHERE f.round_id = (SELECT arg_max(round_id, round_order(period_end, kind)) FROM eval_rounds
                        WHERE period_end <= $as_of)
),
-- tasks and issues (issue 24): on-time delivery and issue resolution over the selection's counts
delivery AS (
    SELECT ratio(sum(d.on_time)::DOUBLE, sum(d.leaves_due)::DOUBLE) AS on_time_delivery
    FROM fp JOIN task_delivery($as_of) d ON d.project_id = fp.project_id
),
resolution AS (
    SELECT ratio(count(*) FILTER (WHERE i.state = 'verified')::DOUBLE, count(*)::DOUBLE) AS issue_resolution
    FROM fp JOIN issue_states($as_of) i ON i.project_id = fp.project_id
)
SELECT health.projects, health.active, health.running, health.closed, health.red, health.amber, health.green,
       coalesce(money.allocated, 0) AS allocated, coalesce(money.disbursed, 0) AS disbursed,
       coalesce(money.spent, 0) AS spent,
       arrival_rate(money.disbursed, money.allocated) AS arrival_rate,
       execution_rate(money.spent, money.disbursed) AS execution_rate,
       utilisation(money.spent, money.allocated) AS utilisation,
       coalesce(money.overspent_projects, 0) AS overspent_projects,
       targets_met.pairs_with_data, targets_met.share_met, milestones.overdue_milestones,
       grades.grade_excellent, grades.grade_good, grades.grade_fair, grades.grade_poor,
       delivery.on_time_delivery, resolution.issue_resolution
FROM health, money, targets_met, milestones, grades, delivery, resolution;
