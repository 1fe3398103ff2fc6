-- Disclosures judged for timeliness in [$since, $as_of] that were published after their deadline
-- (dates as ISO text, item as 一级/二级).
SELECT code, disclosure_id, title, item_id, nullif(concat_ws('/', level1, level2), '') AS item,
       CAST(formed_on AS VARCHAR) AS formed_on, CAST(published_on AS VARCHAR) AS published_on,
       CAST(deadline AS VARCHAR) AS deadline, workdays_late, estimated
FROM {{judged_disclosures}}
WHERE published_on BETWEEN $since AND $as_of AND deadline IS NOT NULL AND NOT on_time
ORDER BY code, published_on, disclosure_id
