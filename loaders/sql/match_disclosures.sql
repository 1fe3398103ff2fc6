-- Match disclosures to the loaded city catalog (rule: match_item.sql).
-- $source_key restricts it to one newly loaded source; NULL matches every row.
UPDATE disclosures AS d SET item_id = matched_item(d.level1_key, d.level2_key)
WHERE d.source_key = coalesce(CAST($source_key AS VARCHAR), d.source_key);
