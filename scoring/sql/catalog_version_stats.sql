-- Every catalog version with the interval [starts_on, ends_on) it is its unit's effective catalog
-- for (rules.sql catalog_versions) and its counts (catalog_stats.sql); of the data alone.
-- catalog_scores.sql takes each point's effective version from it, as scoring.measure does from
-- its kept copy on a read-only connection (_kept_point_scores).
SELECT * FROM catalog_versions() JOIN {{catalog_stats}} USING (catalog_id)
