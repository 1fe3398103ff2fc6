-- workday_after: the $n-th working day strictly after $day (DESIGN §6 deadline(x, N)), on the
-- extended calendar (days outside the known calendar count Monday–Friday, flagged estimated).
SELECT min(c.day) AS deadline, bool_or(c.source = 'estimated') AS estimated
FROM {{calendar_days}} AS c
WHERE c.is_workday
  AND c.workday_no = (SELECT x.workday_no FROM {{calendar_days}} AS x WHERE x.day = $day) + $n
