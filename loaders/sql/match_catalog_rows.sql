-- Match district catalog rows to the loaded city catalog by normalised second-level name;
-- where two city items share that name, the one under the same first-level item wins.
-- $catalog_id restricts it to one newly loaded catalog; NULL matches every row (after the
-- city catalog is replaced). The one home of the matching rule, with match_disclosures.sql.
UPDATE district_catalog_rows AS r SET matched_item_id = (
    SELECT s.item_id FROM standard_catalog AS s
    WHERE s.level2_key = r.level2_key
    ORDER BY (s.level1_key = coalesce(r.level1_key, '')) DESC, s.seq
    LIMIT 1
)
WHERE r.catalog_id = coalesce(CAST($catalog_id AS VARCHAR), r.catalog_id);
