-- The rows of one disclosure source (registered as _incoming_disclosures, item_id already set by
-- match_pairs.sql per distinct key pair, loaders.store._insert_matched) into disclosures: a plain
-- scan with no join (about 0.4 CPU s less per 1M rows than joining the match in here, issue #17).
-- A large source goes in on every thread without keeping the rows' order (loaders.db.unordered):
-- readers of disclosures order by their keys (disclosure_id is unique) or count.
-- match_level1_only.sql then handles the rows left without an item, as it does after
-- match_disclosures.sql. {columns}: the incoming columns (schema names, from loaders.store);
-- the id is built here from $source_key and row_no.
INSERT INTO disclosures (disclosure_id, district_code, source_key, item_id, {columns})
SELECT $source_key || '#' || CAST(row_no AS VARCHAR), $district_code, $source_key, item_id, {columns}
FROM _incoming_disclosures
