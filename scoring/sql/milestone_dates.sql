-- Per unit, the dates the two milestones were first met, independent of as_of (a condition on
-- day D only looks at data published on or before D, so "earliest D <= as_of" is this date when
-- it is <= as_of). m2020: the earliest catalog with a 文号 (undated versions count from loading). m2023: the earliest D on which the
-- effective catalog holds every city item with all nine elements and every first-level item has
-- a disclosure published on or before D; m2023_last says which condition was met last
-- ('catalog' or 'disclosure', with the first-level item whose first disclosure came last).
WITH n AS (SELECT count(*) AS items, count(DISTINCT level1) AS level1s FROM standard_catalog),
documented AS (
    SELECT code, min(starts_on) AS m2020_on, arg_min(document_no, (starts_on, load_seq)) AS m2020_document_no
    FROM catalog_versions()
    WHERE document_no IS NOT NULL
    GROUP BY ALL
),
full_versions AS (
    SELECT v.code, v.starts_on, v.ends_on
    FROM catalog_versions() AS v JOIN {{catalog_stats}} AS st USING (catalog_id), n
    WHERE st.complete_items = n.items AND (v.ends_on IS NULL OR v.ends_on > v.starts_on)
),
level1_firsts AS (
    SELECT code, level1, min(first_on) AS first_on FROM {{item_firsts}} GROUP BY ALL
),
all_level1 AS (
    SELECT l.code, max(l.first_on) AS covered_on, arg_max(l.level1, (l.first_on, l.level1)) AS last_level1
    FROM level1_firsts AS l, n
    GROUP BY l.code, n.level1s
    HAVING count(*) = n.level1s
),
met AS (
    SELECT f.code,
           min(greatest(f.starts_on, a.covered_on)) AS m2023_on,
           arg_min(CASE WHEN f.starts_on >= a.covered_on THEN 'catalog' ELSE 'disclosure' END,
                   greatest(f.starts_on, a.covered_on)) AS m2023_last,
           arg_min(a.last_level1, greatest(f.starts_on, a.covered_on)) AS m2023_last_level1
    FROM full_versions AS f JOIN all_level1 AS a USING (code)
    WHERE f.ends_on IS NULL OR greatest(f.starts_on, a.covered_on) < f.ends_on
    GROUP BY f.code
)
SELECT d.code, doc.m2020_on, doc.m2020_document_no, met.m2023_on, met.m2023_last,
       met.m2023_last_level1
FROM districts AS d
LEFT JOIN documented AS doc USING (code)
LEFT JOIN met USING (code)
