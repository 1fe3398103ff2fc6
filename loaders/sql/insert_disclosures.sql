-- The rows of one disclosure source (registered as _incoming_disclosures) into disclosures,
-- matched as they go in: the one matching rule (the macro of match_item.sql) runs once per
-- distinct (level1_key, level2_key) and is joined back, instead of a second pass updating every
-- row just inserted (1M-row log: about 0.25 CPU s less and no row versions for the update,
-- issue #17). match_level1_only.sql then handles the rows left without an item, as it does after
-- match_disclosures.sql. {columns}: the incoming columns (schema names, from loaders.store);
-- the id is built here from $source_key and row_no.
INSERT INTO disclosures (disclosure_id, district_code, source_key, item_id, {columns})
SELECT $source_key || '#' || CAST(i.row_no AS VARCHAR), $district_code, $source_key, m.item_id, {incoming}
FROM _incoming_disclosures AS i
LEFT JOIN (SELECT l1, l2, matched_item(l1, l2) AS item_id
           FROM (SELECT DISTINCT level1_key AS l1, level2_key AS l2 FROM _incoming_disclosures)) AS m
       ON i.level1_key IS NOT DISTINCT FROM m.l1 AND i.level2_key IS NOT DISTINCT FROM m.l2;
