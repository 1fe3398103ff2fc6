-- Per evaluation point × unit: catalog_scores.sql, disclosure_scores.sql and
-- interpretation_scores.sql side by side (each has one row per point and unit), in one statement
-- rather than three.
SELECT *
FROM {{catalog_scores}} AS c
JOIN {{disclosure_scores}} AS d USING (as_of, code)
JOIN {{interpretation_scores}} AS i USING (as_of, code)
