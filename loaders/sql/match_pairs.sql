-- The matched item of each distinct (level1_key, level2_key) pair of an incoming disclosure source
-- (registered as _incoming_pairs by loaders.store._insert_matched): the one matching rule, the
-- macro of match_item.sql, run once per pair; the store takes the items back to the rows by code.
SELECT pair, matched_item(l1, l2) AS item_id FROM _incoming_pairs ORDER BY pair
