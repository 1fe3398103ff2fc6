-- A disclosure whose item is a bare first-level name (no first level given, the name is a city
-- first-level item and no second-level one) names that first-level item: its key moves to
-- level1_key and level2_key is emptied. Part of the item match (run by loaders.db.refresh_matches
-- right after match_disclosures.sql): only rows the match left without an item can be such a row,
-- so they stay 未归类 (item_id NULL) while level1_key still counts them under their first-level
-- item (e.g. a 政策解读 for the interpretation rule, scoring/sql/policy_documents.sql).
-- $source_key restricts it to one newly loaded source; NULL rewrites every row.
UPDATE disclosures AS d SET level1_key = d.level2_key, level2_key = NULL
WHERE d.source_key = coalesce(CAST($source_key AS VARCHAR), d.source_key)
  AND d.item_id IS NULL AND coalesce(d.level1_key, '') = ''
  AND d.level2_key IN (SELECT level1_key FROM standard_catalog);
