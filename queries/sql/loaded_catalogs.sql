-- Every loaded catalog version of one unit, oldest first, with its row counts.
SELECT c.catalog_id, c.published_on, c.document_no, c.filed_on, c.url, c.source, c.loaded_at,
       count(r.row_no) AS rows, count(DISTINCT r.matched_item_id) AS matched_items
FROM district_catalogs c LEFT JOIN district_catalog_rows r USING (catalog_id)
WHERE c.district_code = $code
GROUP BY c.catalog_id, c.published_on, c.document_no, c.filed_on, c.url, c.source, c.loaded_at, c.load_seq
ORDER BY c.published_on NULLS LAST, c.load_seq
