-- The catalog version in force for one unit on a date: the latest published_on <= $as_of,
-- ties going to the version loaded last (DESIGN §6 "effective catalog").
SELECT catalog_id, published_on, document_no, url, filed_on, source, loaded_at
FROM district_catalogs
WHERE district_code = $code AND published_on <= $as_of
ORDER BY published_on DESC, load_seq DESC
LIMIT 1
