-- The catalog version in force for one unit on a date (DESIGN §6 "effective catalog", as
-- scoring decides it: scoring/sql/rules.sql effective_catalogs).
SELECT c.catalog_id, c.published_on, c.document_no, c.url, c.filed_on, c.source, c.loaded_at
FROM effective_catalogs($as_of) AS e
JOIN district_catalogs AS c USING (catalog_id)
WHERE e.code = $code
