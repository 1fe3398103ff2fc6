-- fix_catalogs: the effective catalog of every unit as of $as_of with its provenance: the
-- evidence that a catalog gap (missing item, blank elements) was closed.
SELECT e.code, e.catalog_id, e.published_on, e.document_no, c.source, c.url
FROM effective_catalogs($as_of) AS e
JOIN district_catalogs AS c USING (catalog_id)
