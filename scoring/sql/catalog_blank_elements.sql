-- Per catalog version, its rows with at least one blank element among the nine: the one home of
-- the rule (blank_elements.sql takes each unit's rows from it), of the data alone (kept on a read-only connection; each unit's effective catalog's
-- rows are taken from it by scoring.measure.detail_tables).
SELECT r.catalog_id, r.row_no, r.matched_item_id AS item_id,
       coalesce(s.level1, r.level1) AS level1, coalesce(s.level2, r.level2) AS level2,
       concat_ws('/', coalesce(s.level1, r.level1), coalesce(s.level2, r.level2)) AS item, r.blank_elements,
       coalesce(b.blanks = 0, false) AS item_complete_elsewhere
FROM {{catalog_row_blanks}} AS r
LEFT JOIN standard_catalog AS s ON s.item_id = r.matched_item_id
LEFT JOIN {{best_catalog_rows}} AS b ON b.catalog_id = r.catalog_id AND b.item_id = r.matched_item_id
WHERE len(r.blank_elements) > 0
ORDER BY r.catalog_id, r.row_no
