-- Rows of each unit's effective catalog as of $as_of with at least one blank element among the
-- nine: the blank element columns in schema order, the matched city item (NULL for a local
-- addition) and whether that item still has another row with all nine elements.
WITH rows_ AS (
    SELECT e.code, r.catalog_id, r.row_no, r.matched_item_id AS item_id,
           coalesce(s.level1, r.level1) AS level1, coalesce(s.level2, r.level2) AS level2,
           r.blank_elements
    FROM {{effective_catalogs}} AS e
    JOIN {{catalog_row_blanks}} AS r USING (catalog_id)
    LEFT JOIN standard_catalog AS s ON s.item_id = r.matched_item_id
)
SELECT code, catalog_id, row_no, item_id, level1, level2, concat_ws('/', level1, level2) AS item,
       blank_elements,
       item_id IS NOT NULL AND bool_or(len(blank_elements) = 0)
           OVER (PARTITION BY code, item_id) AS item_complete_elsewhere
FROM rows_
QUALIFY len(blank_elements) > 0
ORDER BY code, row_no
