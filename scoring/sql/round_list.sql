-- round_list: every evaluation round with its latest revision, newest as-of date first.
SELECT r.round_id, r.name, r.as_of, r.since, r.status, r.document_no, r.circulated_on,
       r.circulated_at, r.circulated_by, r.created_at, r.created_by,
       v.revision, v.rules_version, v.data_fingerprint, v.computed_at, v.computed_by
FROM rounds r
JOIN round_revisions v ON v.round_id = r.round_id
WHERE v.revision = (SELECT max(revision) FROM round_revisions x WHERE x.round_id = r.round_id)
  AND (CAST($round_id AS BIGINT) IS NULL OR r.round_id = CAST($round_id AS BIGINT))
ORDER BY r.as_of DESC, r.round_id DESC
