-- Disclosures judged for timeliness in [$since, $as_of] that were published after their deadline.
SELECT code, disclosure_id, title, item_id, level1, level2, formed_on, published_on, deadline,
       workdays_late, estimated
FROM {{judged_disclosures}}
WHERE published_on BETWEEN $since AND $as_of AND deadline IS NOT NULL AND NOT on_time
ORDER BY code, published_on, disclosure_id
