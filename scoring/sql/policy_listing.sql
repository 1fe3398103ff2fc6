-- Every policy document of the window (policy_documents.sql) as unsynced_policies.sql lists them
-- (dates as ISO text), with the days each as_of is cut by (published_day, synced_on):
-- unsynced_policies.sql keeps those of [since, as_of] not synced by as_of, as scoring.measure does
-- from its copy kept with a kept window (detail_tables).
SELECT code, disclosure_id, title, CAST(published_on AS VARCHAR) AS published_on, names,
       CAST(sync_deadline AS VARCHAR) AS sync_deadline, published_on AS published_day, synced_on
FROM {{policy_documents}}
ORDER BY code, published_day, disclosure_id
