-- Per unit, the city items without any disclosure published on or before $as_of, in city order:
-- the rows of unit_item_firsts.sql (the one home of the rule) with no first disclosure by then.
SELECT code, item_id, seq, level1, level2, item
FROM {{unit_item_firsts}}
WHERE first_on IS NULL OR first_on > $as_of
ORDER BY code, seq
