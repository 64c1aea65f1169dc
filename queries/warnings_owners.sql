-- warnings_owners: the owners of live warnings (open or acknowledged), with the key that names
-- each in a link and how many live warnings each has, most first.
-- columns: owner, owner_key, live
SELECT owner, owner_key(owner) AS owner_key, count(*) AS live
FROM warnings
WHERE state IN ('open', 'acknowledged') AND owner IS NOT NULL
GROUP BY owner
ORDER BY live DESC, owner
