-- A district's catalog versions that took effect on or before the as-of date, newest first
-- (a version loaded without a publication date counts from its load day: scoring/sql/rules.sql catalog_versions).
-- Parameters: $district (code), $as_of (DATE).
SELECT c.published_on, c.document_no, c.source, c.filed_on
FROM catalog_versions() AS v
JOIN district_catalogs AS c USING (catalog_id)
WHERE v.code = $district AND v.starts_on <= $as_of
ORDER BY v.starts_on DESC, c.load_seq DESC
