-- Every catalog version with the interval it is the effective catalog for (a version loaded
-- without a publication date counts from the day it was loaded, never earlier):
-- [starts_on, ends_on), ends_on NULL while it is the latest. Versions published on the same day
-- as a later-loaded one get an empty interval (ties go to the one loaded last).
-- Per version: rows, non-blank elements among the nine per row (summed), distinct city items
-- matched, and city items matched by at least one row with all nine elements filled.
WITH row_stats AS (
    SELECT r.catalog_id,
           count(*) AS catalog_rows,
           sum(filled) AS filled_elements,
           count(DISTINCT s.item_id) AS covered_items,
           count(DISTINCT s.item_id) FILTER (WHERE filled = 9) AS complete_items
    FROM (
        SELECT catalog_id, matched_item_id, 9 - len(blank_elements) AS filled
        FROM {{catalog_row_blanks}}
    ) AS r
    LEFT JOIN standard_catalog AS s ON s.item_id = r.matched_item_id
    GROUP BY r.catalog_id
)
SELECT c.catalog_id, c.district_code AS code, coalesce(c.published_on, CAST(c.loaded_at AS DATE)) AS starts_on,
       lead(coalesce(c.published_on, CAST(c.loaded_at AS DATE)))
           OVER (PARTITION BY c.district_code
                 ORDER BY coalesce(c.published_on, CAST(c.loaded_at AS DATE)), c.load_seq) AS ends_on,
       nullif(trim(c.document_no), '') AS document_no,
       coalesce(rs.catalog_rows, 0) AS catalog_rows,
       coalesce(rs.filled_elements, 0) AS filled_elements,
       coalesce(rs.covered_items, 0) AS covered_items,
       coalesce(rs.complete_items, 0) AS complete_items
FROM district_catalogs AS c
LEFT JOIN row_stats AS rs USING (catalog_id)
