-- The policy documents of the window (policy_documents.sql) as interpretation_scores.sql counts
-- them: unit, publication day, the day an interpretation synced it (NULL: none by last_day) and
-- whether its sync window touches an estimated day; scoring.measure keeps it with a kept window
-- and counts each point's [since, as_of] from it (_kept_point_scores).
SELECT code, published_on, synced_on, estimated FROM {{policy_documents}}
