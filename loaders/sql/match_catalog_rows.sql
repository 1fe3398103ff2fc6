-- Match the rows of one newly loaded district catalog to the city catalog: the rule of
-- refresh_matches.sql, restricted to that catalog so a load does not rewrite every row.
UPDATE district_catalog_rows AS r SET matched_item_id = (
    SELECT s.item_id FROM standard_catalog AS s
    WHERE s.level2_key = r.level2_key
    ORDER BY (s.level1_key = coalesce(r.level1_key, '')) DESC, s.seq
    LIMIT 1
)
WHERE r.catalog_id = $catalog_id;
