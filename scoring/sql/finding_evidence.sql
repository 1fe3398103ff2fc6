-- finding_evidence: the unit and the kept evidence file of one finding ($finding_id), for the
-- evidence download (the scope decides from district_code who may read the file).
SELECT f.finding_id, f.district_code AS code, f.indicator, f.evidence_file, f.evidence_sha256
FROM findings AS f
WHERE f.finding_id = $finding_id
