-- Match district catalog rows and disclosures to the loaded city catalog by normalised
-- second-level name; where two city items share that name, the one under the same
-- first-level item wins. Run after any load and after the city catalog is replaced.
UPDATE district_catalog_rows AS r SET matched_item_id = (
    SELECT s.item_id FROM standard_catalog AS s
    WHERE s.level2_key = r.level2_key
    ORDER BY (s.level1_key = coalesce(r.level1_key, '')) DESC, s.seq
    LIMIT 1
);
UPDATE disclosures AS d SET item_id = (
    SELECT s.item_id FROM standard_catalog AS s
    WHERE s.level2_key = d.level2_key
    ORDER BY (s.level1_key = coalesce(d.level1_key, '')) DESC, s.seq
    LIMIT 1
);
