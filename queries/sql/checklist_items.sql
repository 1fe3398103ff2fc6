-- One row per city item for one district as of a date: is it in the district's effective
-- catalog (scoring/sql/rules.sql effective_catalogs), which of
-- the nine elements its best matching row leaves blank, and its disclosures up to as_of.
-- Parameters: $district (code), $as_of (DATE).
WITH effective AS (
    SELECT catalog_id FROM effective_catalogs($as_of) WHERE code = $district
),
-- A catalog listing an item twice is judged by its most complete row (rules.sql best_catalog_rows).
best AS (
    SELECT b.item_id, b.blank_elements
    FROM best_catalog_rows() AS b JOIN effective USING (catalog_id)
),
published AS (
    SELECT item_id, count(*) AS disclosure_count, max(published_on) AS last_published_on
    FROM disclosures
    WHERE district_code = $district AND published_on <= $as_of AND item_id IS NOT NULL
    GROUP BY item_id
)
SELECT s.seq,
       s.item_id,
       s.level1,
       s.level2,
       s.level1 || '/' || s.level2 AS item,
       b.item_id IS NOT NULL AS in_catalog,
       coalesce(b.blank_elements, []::VARCHAR[]) AS blank_elements,
       coalesce(p.disclosure_count, 0) AS disclosure_count,
       p.last_published_on
FROM standard_catalog AS s
LEFT JOIN best AS b USING (item_id)
LEFT JOIN published AS p USING (item_id)
ORDER BY s.seq
