-- finding_list: every finding ever recorded (optionally of one unit: $code NULL = all), newest
-- applies_from first, with the unit's name.
SELECT f.finding_id, f.district_code AS code, d.name AS district, f.indicator, f.value, f.value_text,
       strftime(f.applies_from, '%Y-%m-%d') AS applies_from, f.note, f.evidence_url,
       f.evidence_file, f.evidence_sha256, f.recorded_by,
       strftime(f.recorded_at, '%Y-%m-%d %H:%M:%S') AS recorded_at
FROM findings AS f
JOIN districts AS d ON d.code = f.district_code
WHERE CAST($code AS VARCHAR) IS NULL OR f.district_code = $code
ORDER BY d.sort_order, f.indicator, f.applies_from DESC, f.recorded_at DESC, f.finding_id DESC
