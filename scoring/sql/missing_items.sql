-- Per unit, the city items its effective catalog as of $as_of does not hold (all of them when the
-- unit has no catalog yet), in city-catalog order: that catalog's rows of catalog_missing_items.sql
-- (the one home of the rule; an evaluation on a read-only connection cuts the same rows from a kept
-- copy, scoring.measure.detail_tables).
SELECT d.code, m.item_id, m.seq, m.level1, m.level2, m.item
FROM districts AS d
LEFT JOIN effective_catalogs($as_of) AS e USING (code)
JOIN {{catalog_missing_items}} AS m ON m.catalog_id IS NOT DISTINCT FROM e.catalog_id
ORDER BY d.code, m.seq
