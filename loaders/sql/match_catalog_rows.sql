-- Match district catalog rows to the loaded city catalog (rule: match_item.sql).
-- $catalog_id restricts it to one newly loaded catalog; NULL matches every row (after the
-- city catalog is replaced).
UPDATE district_catalog_rows AS r SET matched_item_id = matched_item(r.level1_key, r.level2_key)
WHERE r.catalog_id = coalesce(CAST($catalog_id AS VARCHAR), r.catalog_id);
