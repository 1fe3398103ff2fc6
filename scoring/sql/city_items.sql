-- The loaded city catalog: one row per second-level item, in table order.
SELECT item_id, seq, level1, level2, time_limit_workdays FROM standard_catalog ORDER BY seq
