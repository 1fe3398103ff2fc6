-- One unit's effective catalog (as of $as_of) against the city catalog: every city item as
-- 'present' or 'missing', then every unmatched district row as 'local_addition'.
-- blank_elements lists the element columns (of the nine) left blank in the district row.
-- Rules (scoring/sql/rules.sql): effective_catalogs, catalog_row_blanks, best_catalog_rows (a city
-- item listed twice counts once, by its most complete row).
WITH eff AS (
    SELECT catalog_id FROM effective_catalogs($as_of) WHERE code = $code
), rows AS (
    SELECT r.row_no, r.matched_item_id, r.level1, r.level2, r.blank_elements
    FROM catalog_row_blanks() AS r JOIN eff USING (catalog_id)
), best AS (
    SELECT b.row_no, b.item_id AS matched_item_id, b.level1, b.level2, b.blank_elements
    FROM best_catalog_rows() AS b JOIN eff USING (catalog_id)
)
SELECT CASE WHEN b.row_no IS NULL THEN 'missing' ELSE 'present' END AS status,
       s.item_id, s.seq, s.level1, s.level2, b.level2 AS district_level2, b.row_no,
       b.blank_elements, coalesce(len(b.blank_elements), 0) AS n_blank
FROM standard_catalog s LEFT JOIN best b ON b.matched_item_id = s.item_id
UNION ALL
SELECT 'local_addition', NULL, NULL, level1, level2, level2, row_no, blank_elements, len(blank_elements)
FROM rows WHERE matched_item_id IS NULL
-- gaps first: missing items, then rows with blank elements, then complete ones, local additions last
ORDER BY CASE WHEN status = 'missing' THEN 0 WHEN status = 'present' AND n_blank > 0 THEN 1
              WHEN status = 'present' THEN 2 ELSE 3 END, seq, row_no
