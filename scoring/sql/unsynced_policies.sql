-- Policy documents published in [$since, $as_of] without an interpretation synced by $as_of,
-- with their sync deadline (for the explanation and for what-if). Dates as ISO text.
SELECT code, disclosure_id, title, CAST(published_on AS VARCHAR) AS published_on, names,
       CAST(sync_deadline AS VARCHAR) AS sync_deadline
FROM {{policy_documents}}
WHERE published_on BETWEEN $since AND $as_of AND (synced_on IS NULL OR synced_on > $as_of)
ORDER BY code, published_on, disclosure_id
