-- Per unit and publication day, the published disclosures matched to no city item (未归类); of the
-- data alone. disclosure_scores.sql sums the days up to each as_of, as scoring.measure does from its
-- kept copy on a read-only connection (_kept_point_scores).
SELECT district_code AS code, published_on, count(*) AS unclassified
FROM disclosures
WHERE item_id IS NULL AND published_on IS NOT NULL
GROUP BY ALL
