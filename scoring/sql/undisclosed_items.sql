-- Per unit, the city items without any disclosure published on or before $as_of, in city order.
WITH disclosed AS (
    SELECT code, item_id FROM {{item_firsts}} WHERE first_on <= $as_of
)
SELECT d.code, s.item_id, s.seq, s.level1, s.level2, concat_ws('/', s.level1, s.level2) AS item
FROM districts AS d
CROSS JOIN standard_catalog AS s
LEFT JOIN disclosed AS x ON x.code = d.code AND x.item_id = s.item_id
WHERE x.item_id IS NULL
ORDER BY d.code, s.seq
