-- findings_in_force: every finding in force on $as_of (one per unit and indicator, chosen as in
-- finding_values.sql), with every column the explanations and the self-check show.
SELECT f.finding_id, f.district_code AS code, f.indicator, f.value, f.value_text,
       strftime(f.applies_from, '%Y-%m-%d') AS applies_from, f.note, f.evidence_url,
       f.evidence_file, f.evidence_sha256, f.recorded_by,
       strftime(f.recorded_at, '%Y-%m-%d %H:%M:%S') AS recorded_at
FROM findings AS f
WHERE f.applies_from <= $as_of
QUALIFY row_number() OVER (PARTITION BY f.district_code, f.indicator
                           ORDER BY f.applies_from DESC, f.recorded_at DESC, f.finding_id DESC) = 1
ORDER BY f.district_code, f.indicator
