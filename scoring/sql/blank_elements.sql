-- Rows of each unit's effective catalog as of $as_of with at least one blank element among the
-- nine: the blank element columns in schema order, the matched city item (NULL for a local
-- addition) and whether that item's best row (rules.sql best_catalog_rows) has all nine elements.
WITH eff AS (SELECT code, catalog_id FROM effective_catalogs($as_of)),
rows_ AS (
    SELECT e.code, r.catalog_id, r.row_no, r.matched_item_id AS item_id,
           coalesce(s.level1, r.level1) AS level1, coalesce(s.level2, r.level2) AS level2,
           r.blank_elements
    FROM eff AS e
    JOIN {{catalog_row_blanks}} AS r USING (catalog_id)
    LEFT JOIN standard_catalog AS s ON s.item_id = r.matched_item_id
    WHERE len(r.blank_elements) > 0
),
best AS (
    SELECT b.catalog_id, b.item_id, b.blanks = 0 AS complete
    FROM {{best_catalog_rows}} AS b JOIN eff USING (catalog_id)
)
SELECT r.code, r.catalog_id, r.row_no, r.item_id, r.level1, r.level2,
       concat_ws('/', r.level1, r.level2) AS item, r.blank_elements,
       coalesce(b.complete, false) AS item_complete_elsewhere
FROM rows_ AS r
LEFT JOIN best AS b ON b.catalog_id = r.catalog_id AND b.item_id = r.item_id
ORDER BY r.code, r.row_no
