-- A district's catalog versions published on or before the as-of date, newest first.
-- Parameters: $district (code), $as_of (DATE).
SELECT published_on, document_no, source, filed_on
FROM district_catalogs
WHERE district_code = $district AND published_on <= $as_of
ORDER BY published_on DESC, load_seq DESC
