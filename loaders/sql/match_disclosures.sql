-- Match disclosures to the loaded city catalog with the rule of match_catalog_rows.sql.
-- $source_key restricts it to one newly loaded source; NULL matches every row.
UPDATE disclosures AS d SET item_id = (
    SELECT s.item_id FROM standard_catalog AS s
    WHERE s.level2_key = d.level2_key
    ORDER BY (s.level1_key = coalesce(d.level1_key, '')) DESC, s.seq
    LIMIT 1
)
WHERE d.source_key = coalesce(CAST($source_key AS VARCHAR), d.source_key);
