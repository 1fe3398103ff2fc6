-- Per unit: the catalog in force on $as_of (文号, 发布日期, 备案日期), NULLs when it has none.
WITH eff AS (
    SELECT district_code, published_on, document_no, filed_on, url
    FROM district_catalogs
    WHERE coalesce(published_on, CAST(loaded_at AS DATE)) <= $as_of
    QUALIFY row_number() OVER (PARTITION BY district_code
                               ORDER BY coalesce(published_on, CAST(loaded_at AS DATE)) DESC, load_seq DESC) = 1
)
SELECT d.code, d.name, d.kind, e.published_on, e.document_no, e.filed_on, e.url
FROM districts d LEFT JOIN eff e ON e.district_code = d.code
ORDER BY d.sort_order
