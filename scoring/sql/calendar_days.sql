-- The working-day calendar extended 25 years beyond both ends of the `calendar` table with
-- Monday–Friday days marked 'estimated' (DESIGN §3), keeping workday_no a running count across
-- the seams: the day before the table has number 0, days after continue from the table's last.
WITH bounds AS (SELECT min(day) AS lo, max(day) AS hi, max(workday_no) AS top FROM calendar),
before AS (
    SELECT CAST(g.d AS DATE) AS day, isodow(g.d) <= 5 AS is_workday
    FROM bounds, unnest(generate_series(CAST(bounds.lo - INTERVAL 25 YEAR AS TIMESTAMP),
                                        CAST(bounds.lo - INTERVAL 1 DAY AS TIMESTAMP),
                                        INTERVAL 1 DAY)) AS g(d)
),
after AS (
    SELECT CAST(g.d AS DATE) AS day, isodow(g.d) <= 5 AS is_workday
    FROM bounds, unnest(generate_series(CAST(bounds.hi + INTERVAL 1 DAY AS TIMESTAMP),
                                        CAST(bounds.hi + INTERVAL 25 YEAR AS TIMESTAMP),
                                        INTERVAL 1 DAY)) AS g(d)
)
SELECT day, is_workday, workday_no, source FROM calendar
UNION ALL
SELECT day, is_workday,
       -CAST(coalesce(sum(is_workday::INT) OVER (ORDER BY day DESC ROWS BETWEEN UNBOUNDED PRECEDING
                                                  AND 1 PRECEDING), 0) AS INTEGER) AS workday_no,
       'estimated' AS source
FROM before
UNION ALL
SELECT day, is_workday,
       CAST((SELECT top FROM bounds) + sum(is_workday::INT) OVER (ORDER BY day) AS INTEGER) AS workday_no,
       'estimated' AS source
FROM after
