-- Disclosures formed on or before $as_of and not published by then (published_on NULL or later):
-- the deadline when the item has a working-day limit, working days left as of $as_of (negative
-- when overdue) and whether an involved day is estimated or outside the calendar. Dates as ISO text.
WITH cal AS (SELECT * FROM {{calendar_days}})
SELECT d.district_code AS code, d.disclosure_id, d.title, d.item_id, s.level1, s.level2,
       coalesce(nullif(concat_ws('/', s.level1, s.level2), ''), d.item_raw) AS item,
       CAST(d.formed_on AS VARCHAR) AS formed_on, CAST(dl.day AS VARCHAR) AS deadline,
       dl.workday_no - ac.workday_no AS workdays_left,
       coalesce($as_of > dl.day, false) AS overdue,
       (s.time_limit_workdays IS NOT NULL
        AND (fc.day IS NULL OR dl.day IS NULL OR ac.day IS NULL OR fc.source = 'estimated'
             OR dl.source = 'estimated' OR ac.source = 'estimated')) AS estimated
FROM disclosures AS d
LEFT JOIN standard_catalog AS s ON s.item_id = d.item_id
LEFT JOIN cal AS fc ON fc.day = d.formed_on
LEFT JOIN cal AS ac ON ac.day = $as_of
LEFT JOIN cal AS dl ON dl.is_workday AND dl.workday_no = fc.workday_no + s.time_limit_workdays
WHERE d.formed_on <= $as_of AND (d.published_on IS NULL OR d.published_on > $as_of)
ORDER BY d.district_code, dl.day NULLS LAST, d.formed_on, d.disclosure_id
