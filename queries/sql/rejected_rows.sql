-- Every rejected row or problem with its located Chinese reason; $run_id NULL = all runs.
SELECT j.run_id, j.seq, r.kind, d.name, j.problem, j.file, j.sheet, j.row_no,
       j.column_name, j.value, j.message, r.result AS run_result
FROM rejected_rows j
JOIN load_runs r USING (run_id)
LEFT JOIN districts d ON d.code = r.district_code
WHERE $run_id IS NULL OR j.run_id = $run_id
ORDER BY j.run_id DESC, j.seq
