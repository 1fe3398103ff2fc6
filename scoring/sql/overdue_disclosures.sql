-- Disclosures judged for timeliness in [$since, $as_of] that were published after their deadline
-- (late_disclosures.sql: dates as ISO text, item as 一级/二级).
SELECT * EXCLUDE (published_day)
FROM {{late_disclosures}}
WHERE published_day BETWEEN $since AND $as_of
ORDER BY code, published_day, disclosure_id
