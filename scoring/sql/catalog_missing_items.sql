-- Per catalog version, the city items it does not hold, in city-catalog order, and (catalog_id
-- NULL) every city item, for a unit without a catalog yet; of the data alone, the one home of the
-- rule (missing_items.sql takes each unit's rows from it), so an evaluation on a read-only connection keeps it and takes each unit's effective
-- catalog's rows from it (scoring.measure.detail_tables).
SELECT c.catalog_id, s.item_id, s.seq, s.level1, s.level2, concat_ws('/', s.level1, s.level2) AS item
FROM district_catalogs AS c
CROSS JOIN standard_catalog AS s
LEFT JOIN (SELECT DISTINCT catalog_id, matched_item_id AS item_id FROM district_catalog_rows
           WHERE matched_item_id IS NOT NULL) AS p ON p.catalog_id = c.catalog_id AND p.item_id = s.item_id
WHERE p.item_id IS NULL
UNION ALL
SELECT NULL, item_id, seq, level1, level2, concat_ws('/', level1, level2) FROM standard_catalog
ORDER BY catalog_id NULLS FIRST, seq
