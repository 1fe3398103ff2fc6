-- matched_item(l1_key, l2_key): the one home of the item-matching rule (DESIGN §6): the city item
-- whose normalised second-level name is l2_key; where two city items share that name, the one
-- under the first-level item l1_key wins, then the first in city order. NULL (未归类) when none.
-- A TEMP macro, installed by loaders.db.refresh_matches before the two matching updates use it.
CREATE OR REPLACE TEMP MACRO matched_item(l1_key, l2_key) AS (
    SELECT s.item_id FROM standard_catalog AS s
    WHERE s.level2_key = l2_key
    ORDER BY (s.level1_key = coalesce(l1_key, '')) DESC, s.seq
    LIMIT 1
);
