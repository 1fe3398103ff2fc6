-- Rows of each unit's effective catalog as of $as_of with at least one blank element among the
-- nine: that catalog's rows of catalog_blank_elements.sql (the one home of the rule), by unit and
-- row.
SELECT e.code, b.catalog_id, b.row_no, b.item_id, b.level1, b.level2, b.item, b.blank_elements,
       b.item_complete_elsewhere
FROM effective_catalogs($as_of) AS e
JOIN {{catalog_blank_elements}} AS b USING (catalog_id)
ORDER BY e.code, b.row_no
