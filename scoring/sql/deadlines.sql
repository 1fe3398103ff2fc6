-- deadline(day, n) (rules.sql workday_deadlines) for every n an evaluation reads: each city item's
-- working-day limit and the interpretation window $window. scoring.measure.prepare keeps it per
-- connection as the temp table scoring_deadlines (rebuilt when the calendar, the limits or the
-- window change); elsewhere this file is spliced in.
FROM workday_deadlines(coalesce((SELECT list(time_limit_workdays) FROM standard_catalog
                                 WHERE time_limit_workdays IS NOT NULL), []) || [$window::INTEGER])
