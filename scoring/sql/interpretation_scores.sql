-- Per evaluation point × unit: policy documents published in [since, as_of] and how many were
-- synced by an interpretation published on or before as_of; estimated_docs: those whose sync
-- window touches an estimated (or out-of-table) calendar day.
-- $as_ofs, $sinces: parallel DATE[] lists, one entry per evaluation point.
WITH points AS (SELECT unnest($as_ofs::DATE[]) AS as_of, unnest($sinces::DATE[]) AS since),
docs AS (SELECT * FROM {{policy_documents}}),
counted AS (
    SELECT p.as_of, docs.code, count(*) AS policy_docs,
           count(*) FILTER (WHERE docs.synced_on <= p.as_of) AS synced,
           count(*) FILTER (WHERE docs.estimated) AS estimated_docs
    FROM points AS p
    JOIN docs ON docs.published_on BETWEEN p.since AND p.as_of
    GROUP BY ALL
)
SELECT p.as_of, d.code, coalesce(c.policy_docs, 0) AS policy_docs, coalesce(c.synced, 0) AS synced,
       coalesce(c.estimated_docs, 0) AS estimated_docs
FROM points AS p
CROSS JOIN districts AS d
LEFT JOIN counted AS c ON c.as_of = p.as_of AND c.code = d.code
