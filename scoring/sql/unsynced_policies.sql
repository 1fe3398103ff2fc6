-- Policy documents published in [$since, $as_of] without an interpretation synced by $as_of,
-- with their sync deadline (for the explanation and for what-if; policy_listing.sql: dates as
-- ISO text).
SELECT * EXCLUDE (published_day, synced_on)
FROM {{policy_listing}}
WHERE published_day BETWEEN $since AND $as_of AND (synced_on IS NULL OR synced_on > $as_of)
ORDER BY code, published_day, disclosure_id
