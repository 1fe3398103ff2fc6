-- One unit's effective catalog (as of $as_of) against the city catalog: every city item as
-- 'present' or 'missing', then every unmatched district row as 'local_addition'.
-- blank_elements lists the element columns (of the nine) left blank in the district row.
WITH eff AS (
    SELECT catalog_id
    FROM district_catalogs
    WHERE district_code = $code AND coalesce(published_on, CAST(loaded_at AS DATE)) <= $as_of
    ORDER BY coalesce(published_on, CAST(loaded_at AS DATE)) DESC, load_seq DESC
    LIMIT 1
), rows AS (
    SELECT r.row_no, r.matched_item_id, r.level1, r.level2,
           list_filter([
               CASE WHEN trim(coalesce(r.level2, '')) = '' THEN 'level2' END,
               CASE WHEN trim(coalesce(r.content, '')) = '' THEN 'content' END,
               CASE WHEN trim(coalesce(r.basis, '')) = '' THEN 'basis' END,
               CASE WHEN trim(coalesce(r.time_limit, '')) = '' THEN 'time_limit' END,
               CASE WHEN trim(coalesce(r.subject, '')) = '' THEN 'subject' END,
               CASE WHEN trim(coalesce(r.channels, '')) = '' THEN 'channels' END,
               CASE WHEN trim(coalesce(r.audience, '')) = '' THEN 'audience' END,
               CASE WHEN trim(coalesce(r.method, '')) = '' THEN 'method' END,
               CASE WHEN trim(coalesce(r.disclosure_level, '')) = '' THEN 'disclosure_level' END
           ], lambda x: x IS NOT NULL) AS blank_elements
    FROM district_catalog_rows r JOIN eff USING (catalog_id)
), best AS (
    -- a city item listed twice counts once, by its most complete row
    SELECT * FROM rows WHERE matched_item_id IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY matched_item_id ORDER BY len(blank_elements), row_no) = 1
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
