-- The catalog version in force for one unit on a date: the latest published_on <= $as_of,
-- ties going to the version loaded last (DESIGN §6 "effective catalog"). As in scoring, a version
-- loaded without a publication date counts from the day it was loaded.
SELECT catalog_id, published_on, document_no, url, filed_on, source, loaded_at
FROM district_catalogs
WHERE district_code = $code AND coalesce(published_on, CAST(loaded_at AS DATE)) <= $as_of
ORDER BY coalesce(published_on, CAST(loaded_at AS DATE)) DESC, load_seq DESC
LIMIT 1
