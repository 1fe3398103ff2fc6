-- point_measures: per evaluation point × unit (the bureau's order within each point, as units.sql),
-- the unit, every measurement of catalog_scores, disclosure_scores and interpretation_scores, the
-- milestone dates of milestone_dates and N (city items): one statement instead of five queries
-- merged in pandas. $as_ofs, $sinces: parallel DATE[] lists, one entry per evaluation point.
WITH points AS (
    SELECT unnest($as_ofs::DATE[]) AS as_of, unnest($sinces::DATE[]) AS since,
           generate_subscripts($as_ofs::DATE[], 1) AS point_no
),
units AS ({{units}}),
cat AS ({{catalog_scores}}),
dis AS ({{disclosure_scores}}),
itp AS ({{interpretation_scores}}),
ms AS ({{milestone_dates}})
SELECT p.as_of, p.since, u.code, u.name, u.kind, u.sort_order,
       c.has_catalog, c.catalog_id, c.catalog_rows, c.filled_elements, c.covered_items, c.complete_items,
       d.disclosed_items, d.judged, d.on_time, d.estimated_judged, d.unclassified,
       i.policy_docs, i.synced, i.estimated_docs,
       m.m2020_on, m.m2020_document_no, m.m2023_on, m.m2023_last, m.m2023_last_level1,
       (SELECT count(*) FROM standard_catalog) AS n_items
FROM points AS p
CROSS JOIN units AS u
LEFT JOIN cat AS c ON c.as_of = p.as_of AND c.code = u.code
LEFT JOIN dis AS d ON d.as_of = p.as_of AND d.code = u.code
LEFT JOIN itp AS i ON i.as_of = p.as_of AND i.code = u.code
LEFT JOIN ms AS m ON m.code = u.code
ORDER BY p.point_no, u.sort_order, u.code
