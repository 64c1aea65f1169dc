-- project_budget_lines: one pilot's budget lines by fiscal year, source and category with
-- arrival, execution and utilisation and the overspend flag; counted says whether the line
-- counts on the as-of date (fiscal year not after it; later years are in BAC only).
-- params:
--   $as_of       DATE       as-of date (default: today or the newest reading, whichever is earlier)
--   $project     VARCHAR    the project id
-- columns: fiscal_year, source, category, allocated, disbursed, spent, arrival_rate, execution_rate, utilisation, overspend, counted
SELECT b.fiscal_year, b.source, b.category, b.allocated, b.disbursed, b.spent,
       arrival_rate(b.disbursed, b.allocated) AS arrival_rate,
       execution_rate(b.spent, b.disbursed) AS execution_rate,
       utilisation(b.spent, b.allocated) AS utilisation,
       coalesce(c.overspend, false) AS overspend,
       c.project_id IS NOT NULL AS counted
FROM budget_lines b
LEFT JOIN counted_budget_lines($as_of) c
  ON c.project_id = b.project_id AND c.fiscal_year = b.fiscal_year AND c.source = b.source AND c.category = b.category
WHERE b.project_id = $project
ORDER BY b.fiscal_year, b.source, b.category;
