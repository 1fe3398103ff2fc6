-- fix_disclosures: for the units in $codes, the first disclosure published on or before $as_of
-- of each city item (by = 'item', key '一级/二级') and of each title (by = 'title'): the evidence
-- that a no_disclosure or pending_overdue gap was closed. Ties go to the lower disclosure id.
WITH pub AS (
    SELECT d.district_code AS code, concat_ws('/', s.level1, s.level2) AS item, d.title, d.url,
           d.published_on, d.disclosure_id
    FROM disclosures AS d
    LEFT JOIN standard_catalog AS s ON s.item_id = d.item_id
    WHERE d.published_on IS NOT NULL AND d.published_on <= $as_of
      AND list_contains(CAST($codes AS VARCHAR[]), d.district_code)
)
SELECT 'item' AS by, code, item AS key,
       first(title ORDER BY published_on, disclosure_id) AS title,
       first(url ORDER BY published_on, disclosure_id) AS url,
       min(published_on) AS published_on
FROM pub WHERE item IS NOT NULL AND item <> '' GROUP BY code, item
UNION ALL
SELECT 'title' AS by, code, title AS key, title,
       first(url ORDER BY published_on, disclosure_id) AS url,
       min(published_on) AS published_on
FROM pub GROUP BY code, title
