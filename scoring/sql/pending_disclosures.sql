-- Disclosures formed on or before $as_of and not published by then (published_on NULL or later):
-- the deadline when the item has a working-day limit (deadlines.sql), working days
-- left as of $as_of (negative when overdue) and whether an involved day is estimated or outside the
-- calendar. Dates as ISO text.
WITH pending AS (
    SELECT d.district_code AS code, d.disclosure_id, d.title, d.item_id, d.item_raw, d.formed_on,
           s.level1, s.level2, s.time_limit_workdays AS n
    FROM disclosures AS d
    LEFT JOIN standard_catalog AS s ON s.item_id = d.item_id
    WHERE d.formed_on <= $as_of AND (d.published_on IS NULL OR d.published_on > $as_of)
)
SELECT p.code, p.disclosure_id, p.title, p.item_id, p.level1, p.level2,
       coalesce(nullif(concat_ws('/', p.level1, p.level2), ''), p.item_raw) AS item,
       CAST(p.formed_on AS VARCHAR) AS formed_on, CAST(w.deadline AS VARCHAR) AS deadline,
       w.deadline_no - ac.workday_no AS workdays_left,
       coalesce($as_of > w.deadline, false) AS overdue,
       (p.n IS NOT NULL AND (coalesce(w.estimated, true) OR ac.day IS NULL OR ac.source = 'estimated'))
           AS estimated
FROM pending AS p
LEFT JOIN {{deadlines}} AS w ON w.day = p.formed_on AND w.n = p.n
LEFT JOIN calendar_days() AS ac ON ac.day = $as_of
ORDER BY p.code, w.deadline NULLS LAST, p.formed_on, p.disclosure_id
