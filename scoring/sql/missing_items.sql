-- Per unit, the city items its effective catalog as of $as_of does not hold (all of them when the
-- unit has no catalog yet), in city-catalog order.
WITH present AS (
    SELECT DISTINCT e.code, r.matched_item_id AS item_id
    FROM effective_catalogs($as_of) AS e
    JOIN district_catalog_rows AS r USING (catalog_id)
    WHERE r.matched_item_id IS NOT NULL
)
SELECT d.code, s.item_id, s.seq, s.level1, s.level2, concat_ws('/', s.level1, s.level2) AS item
FROM districts AS d
CROSS JOIN standard_catalog AS s
LEFT JOIN present AS p ON p.code = d.code AND p.item_id = s.item_id
WHERE p.item_id IS NULL
ORDER BY d.code, s.seq
