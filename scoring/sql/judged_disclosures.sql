-- Every published disclosure whose item has a working-day limit and whose formation date is known:
-- its deadline (the N-th working day strictly after formed_on, looked up by running workday_no),
-- whether it was on time (published_on <= deadline) and working days late (in (deadline, published_on]).
-- Deadlines come from a small table of (day, N) pairs built from the calendar alone, so the big
-- table meets two small hash joins and filters on published_on reach its scan.
-- Days outside the calendar table count Monday–Friday (calendar_days) and are flagged estimated;
-- estimated is true when any of the three days is estimated or outside the table (deadline NULL).
WITH cal AS (SELECT * FROM {{calendar_days}}),
limits AS (
    SELECT item_id, level1, level2, time_limit_workdays AS n
    FROM standard_catalog WHERE time_limit_workdays IS NOT NULL
),
deadlines AS (
    SELECT c.day AS formed_on, k.n, dl.day AS deadline, dl.workday_no AS deadline_no,
           (c.source = 'estimated' OR dl.day IS NULL OR dl.source = 'estimated') AS estimated
    FROM cal AS c
    CROSS JOIN (SELECT DISTINCT n FROM limits) AS k
    LEFT JOIN cal AS dl ON dl.is_workday AND dl.workday_no = c.workday_no + k.n
)
SELECT d.disclosure_id, d.district_code AS code, d.title, d.item_id, l.level1, l.level2,
       d.formed_on, d.published_on, dd.deadline,
       d.published_on <= dd.deadline AS on_time,
       CASE WHEN d.published_on > dd.deadline THEN p.workday_no - dd.deadline_no END AS workdays_late,
       coalesce(dd.estimated, true) OR p.day IS NULL OR p.source = 'estimated' AS estimated
FROM disclosures AS d
JOIN limits AS l ON l.item_id = d.item_id
LEFT JOIN deadlines AS dd ON dd.formed_on = d.formed_on AND dd.n = l.n
LEFT JOIN cal AS p ON p.day = d.published_on
WHERE d.formed_on IS NOT NULL AND d.published_on IS NOT NULL
