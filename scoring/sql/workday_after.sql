-- workday_after: the $n-th working day strictly after $day (DESIGN §6 deadline(x, N), rules.sql),
-- on the extended calendar (days outside the known calendar count Monday–Friday, flagged estimated).
SELECT w.deadline, w.estimated
FROM (SELECT 1) AS one
LEFT JOIN workday_deadlines([$n::INTEGER]) AS w ON w.day = $day::DATE
