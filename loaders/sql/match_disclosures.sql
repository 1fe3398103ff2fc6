-- Match the disclosures of one newly loaded source to the city catalog: the rule of
-- refresh_matches.sql, restricted to that source so a load does not rewrite every row.
UPDATE disclosures AS d SET item_id = (
    SELECT s.item_id FROM standard_catalog AS s
    WHERE s.level2_key = d.level2_key
    ORDER BY (s.level1_key = coalesce(d.level1_key, '')) DESC, s.seq
    LIMIT 1
)
WHERE d.source_key = $source_key;
