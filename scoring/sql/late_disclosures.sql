-- Every judged disclosure of the window (judged_disclosures.sql) published after its deadline, as
-- overdue_disclosures.sql lists them (dates as ISO text, item as 一级/二级) with the publication day
-- (published_day) each as_of is cut by: overdue_disclosures.sql keeps [since, as_of], as
-- scoring.measure does from its copy kept with a kept window (detail_tables).
SELECT code, disclosure_id, title, item_id, nullif(concat_ws('/', level1, level2), '') AS item,
       CAST(formed_on AS VARCHAR) AS formed_on, CAST(published_on AS VARCHAR) AS published_on,
       CAST(deadline AS VARCHAR) AS deadline, workdays_late, estimated, published_on AS published_day
FROM {{judged_disclosures}}
WHERE deadline IS NOT NULL AND NOT on_time
ORDER BY code, published_day, disclosure_id
