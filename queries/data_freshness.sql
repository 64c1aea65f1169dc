-- data_freshness: where the data came from and how current it is: rows per table, the newest
-- reading, the last applied upload and when the store was built.
-- columns: item, value
SELECT 'newest_reading' AS item, max(period_end)::VARCHAR AS value FROM readings
UNION ALL SELECT 'projects', count(*)::VARCHAR FROM projects
UNION ALL SELECT 'readings', count(*)::VARCHAR FROM readings
UNION ALL SELECT 'budget_lines', count(*)::VARCHAR FROM budget_lines
UNION ALL SELECT 'milestones', count(*)::VARCHAR FROM milestones
UNION ALL SELECT 'risks', count(*)::VARCHAR FROM risks
UNION ALL SELECT 'last_upload', max(uploaded_at)::VARCHAR FROM upload_log WHERE status = 'applied'
UNION ALL SELECT 'built_at', max(value) FROM store_meta WHERE key = 'built_at'
UNION ALL SELECT 'source', max(value) FROM store_meta WHERE key = 'source'
UNION ALL SELECT 'is_demo', coalesce(max(value), '0') FROM store_meta WHERE key = 'is_demo'
UNION ALL SELECT 'default_as_of', default_as_of()::VARCHAR;
