-- The most recent $limit load attempts, newest first, with the unit's name.
SELECT r.run_id, r.started_at, r.kind, r.district_code, d.name, r.source, r.result,
       r.rows_read, r.rows_loaded, r.rows_rejected, r.message
FROM load_runs r LEFT JOIN districts d ON d.code = r.district_code
ORDER BY r.run_id DESC
LIMIT $limit
