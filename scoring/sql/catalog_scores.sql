-- Per evaluation point × unit: the effective catalog (rules.sql catalog_versions: latest
-- published_on <= as_of, ties to the one loaded last) and its counts (rules.sql catalog_stats).
-- A unit without a catalog gets zeros and has_catalog false.
-- $as_ofs, $sinces: parallel DATE[] lists, one entry per evaluation point.
WITH points AS (SELECT unnest($as_ofs::DATE[]) AS as_of, unnest($sinces::DATE[]) AS since),
versions AS (SELECT * FROM {{catalog_version_stats}})
SELECT p.as_of, d.code,
       v.catalog_id IS NOT NULL AS has_catalog,
       v.catalog_id,
       coalesce(v.catalog_rows, 0) AS catalog_rows,
       coalesce(v.filled_elements, 0) AS filled_elements,
       coalesce(v.covered_items, 0) AS covered_items,
       coalesce(v.complete_items, 0) AS complete_items
FROM points AS p
CROSS JOIN districts AS d
LEFT JOIN versions AS v
       ON v.code = d.code AND v.starts_on <= p.as_of AND (v.ends_on IS NULL OR v.ends_on > p.as_of)
