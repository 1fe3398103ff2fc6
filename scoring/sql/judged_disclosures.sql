-- Every disclosure published in [$first_day, $last_day] (the union of the windows evaluated)
-- whose item has a working-day limit and whose formation date is known:
-- its deadline (deadlines.sql, rules.sql workday_deadlines: the N-th working day strictly after formed_on),
-- whether it was on time (published_on <= deadline) and working days late (in (deadline, published_on]).
-- The big table meets two small hash joins (the (day, N) deadlines and the calendar), so filters
-- on published_on reach its scan.
-- estimated is true when any of the three days is estimated or outside the extended calendar.
-- The listing columns (id, title, item, formed_on) are kept for the late rows only, the ones
-- overdue_disclosures.sql lists: the counts need none of them, and copying every judged title
-- into the temp table cost more than the judging itself.
WITH limits AS (
    SELECT item_id, level1, level2, time_limit_workdays AS n
    FROM standard_catalog WHERE time_limit_workdays IS NOT NULL
)
SELECT CASE WHEN d.published_on > dd.deadline THEN d.disclosure_id END AS disclosure_id,
       d.district_code AS code,
       CASE WHEN d.published_on > dd.deadline THEN d.title END AS title,
       CASE WHEN d.published_on > dd.deadline THEN d.item_id END AS item_id,
       CASE WHEN d.published_on > dd.deadline THEN l.level1 END AS level1,
       CASE WHEN d.published_on > dd.deadline THEN l.level2 END AS level2,
       CASE WHEN d.published_on > dd.deadline THEN d.formed_on END AS formed_on,
       d.published_on, dd.deadline,
       d.published_on <= dd.deadline AS on_time,
       CASE WHEN d.published_on > dd.deadline THEN p.workday_no - dd.deadline_no END AS workdays_late,
       coalesce(dd.estimated, true) OR p.day IS NULL OR p.source = 'estimated' AS estimated
FROM disclosures AS d
JOIN limits AS l ON l.item_id = d.item_id
LEFT JOIN {{deadlines}} AS dd ON dd.day = d.formed_on AND dd.n = l.n
LEFT JOIN calendar_days() AS p ON p.day = d.published_on
WHERE d.formed_on IS NOT NULL AND d.published_on BETWEEN $first_day AND $last_day
