-- finding_values: per evaluation point × unit × indicator, the value of the finding in force on
-- as_of: the one with the latest applies_from <= as_of (same date: recorded last, then the
-- highest id). A finding dated after as_of does not count.
-- $as_ofs: DATE[] of the evaluation points.
WITH points AS (SELECT DISTINCT unnest($as_ofs::DATE[]) AS as_of)
SELECT p.as_of, f.district_code AS code, f.indicator, f.value
FROM points AS p
JOIN findings AS f ON f.applies_from <= p.as_of
QUALIFY row_number() OVER (PARTITION BY p.as_of, f.district_code, f.indicator
                           ORDER BY f.applies_from DESC, f.recorded_at DESC, f.finding_id DESC) = 1
