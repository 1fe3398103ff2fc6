-- Disclosures of one unit published in [$since, $as_of], counted per month and first-level item,
-- on the full grid (every month of the window × the city's first-level items, zeros included).
-- level1 is NULL for disclosures not matched to a city item (未归类); that row appears only if any.
WITH months AS (
    SELECT strftime(m, '%Y-%m') AS month
    FROM generate_series(date_trunc('month', $since::DATE), date_trunc('month', $as_of::DATE),
                         INTERVAL 1 MONTH) AS t(m)
), counts AS (
    SELECT strftime(d.published_on, '%Y-%m') AS month, s.level1, count(*) AS n
    FROM disclosures d LEFT JOIN standard_catalog s ON s.item_id = d.item_id
    WHERE d.district_code = $code AND d.published_on BETWEEN $since AND $as_of
    GROUP BY ALL
), level1s AS (
    SELECT level1, min(seq) AS level1_order FROM standard_catalog GROUP BY level1
    UNION ALL
    SELECT NULL, 1000000 WHERE EXISTS (SELECT 1 FROM counts WHERE level1 IS NULL)
)
SELECT m.month, l.level1, l.level1_order, coalesce(c.n, 0) AS n
FROM months m CROSS JOIN level1s l
LEFT JOIN counts c ON c.month = m.month AND c.level1 IS NOT DISTINCT FROM l.level1
ORDER BY l.level1_order, m.month
