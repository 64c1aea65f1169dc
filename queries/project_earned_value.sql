-- project_earned_value: one pilot's earned value as of a date: BAC, PV, EV, AC, SPI and CPI,
-- each index with its level (green, amber below 0.9, red below 0.8: ev_level), and the milestone counts
-- behind PV and EV.
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $project     VARCHAR    the project id
-- columns: bac, pv, ev, ac, spi, cpi, spi_band, cpi_band, milestones, due, done
SELECT ev.bac, ev.pv, ev.ev, ev.ac, ev.spi, ev.cpi, ev_level(ev.spi) AS spi_band, ev_level(ev.cpi) AS cpi_band,
       (SELECT count(*) FROM milestones m WHERE m.project_id = $project) AS milestones,
       (SELECT count(*) FROM milestones m WHERE m.project_id = $project AND m.due_date <= $as_of) AS due,
       (SELECT count(*) FROM milestones m WHERE m.project_id = $project AND m.done_date <= $as_of) AS done
FROM earned_value_all($as_of) ev
WHERE ev.project_id = $project;
