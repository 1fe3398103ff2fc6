-- The effective catalog of each unit as of $as_of (latest published_on <= $as_of; ties go to the
-- one loaded last). Units without one have no row.
SELECT code, catalog_id, starts_on AS published_on, document_no
FROM {{catalog_versions}}
WHERE starts_on <= $as_of AND (ends_on IS NULL OR ends_on > $as_of)
