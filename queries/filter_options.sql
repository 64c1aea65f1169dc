-- filter_options: the values the data offers for each sidebar filter, as codes, so that the
-- filters never offer a choice that matches nothing by construction.
-- columns: field, code, belt
SELECT 'belt' AS field, belt AS code, belt FROM (SELECT DISTINCT belt FROM provinces)
UNION ALL
SELECT 'province', province_code, belt FROM provinces
UNION ALL
SELECT DISTINCT 'city', p.city_code, pr.belt FROM projects p JOIN provinces pr ON pr.province_code = p.province_code
WHERE p.city_code IS NOT NULL
UNION ALL
SELECT DISTINCT 'domain', domain, NULL FROM projects
UNION ALL
SELECT DISTINCT 'pilot_type', pilot_type, NULL FROM projects
UNION ALL
SELECT DISTINCT 'status', status, NULL FROM projects
UNION ALL
SELECT DISTINCT 'fiscal_year', fiscal_year::VARCHAR, NULL FROM budget_lines
ORDER BY field, code;
