-- indicator_catalogue: the indicators the store knows: code, names, category, unit, direction
-- (higher or lower is better) and national target, in catalogue order (by category).
-- columns: indicator_code, name_zh, name_en, category, unit, direction, national_target
SELECT indicator_code, name_zh, name_en, category, unit, direction, national_target
FROM indicators
ORDER BY list_position(['policy_innovation', 'industry_breakthrough', 'public_services', 'governance',
                        'resource_efficiency', 'service_efficiency'], category),
         indicator_code;
