-- Every published disclosure whose item has a working-day limit and whose formation date is known:
-- its deadline (the N-th working day strictly after formed_on, looked up by running workday_no),
-- whether it was on time (published_on <= deadline) and working days late (in (deadline, published_on]).
-- Days outside the calendar table count Monday–Friday (calendar_days) and are flagged estimated;
-- estimated is true when any of the three days is estimated or outside the table.
WITH cal AS (SELECT * FROM {{calendar_days}})
SELECT d.disclosure_id, d.district_code AS code, d.title, d.item_id, s.level1, s.level2,
       d.formed_on, d.published_on, dl.day AS deadline,
       d.published_on <= dl.day AS on_time,
       CASE WHEN d.published_on > dl.day THEN pc.workday_no - dl.workday_no END AS workdays_late,
       (fc.day IS NULL OR pc.day IS NULL OR dl.day IS NULL
        OR fc.source = 'estimated' OR pc.source = 'estimated' OR dl.source = 'estimated') AS estimated
FROM disclosures AS d
JOIN standard_catalog AS s ON s.item_id = d.item_id AND s.time_limit_workdays IS NOT NULL
LEFT JOIN cal AS fc ON fc.day = d.formed_on
LEFT JOIN cal AS pc ON pc.day = d.published_on
LEFT JOIN cal AS dl ON dl.is_workday AND dl.workday_no = fc.workday_no + s.time_limit_workdays
WHERE d.formed_on IS NOT NULL AND d.published_on IS NOT NULL
