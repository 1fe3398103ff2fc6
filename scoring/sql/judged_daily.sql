-- Per unit and publication day, the judged disclosures (judged_disclosures.sql) counted: those
-- judged for timeliness (a deadline known), those on time and those involving an estimated (or
-- out-of-table) calendar day. disclosure_scores.sql sums the days of each window [since, as_of],
-- as scoring.measure does from its copy kept with a kept window (_kept_point_scores).
SELECT code, published_on, count(*) FILTER (WHERE deadline IS NOT NULL) AS judged,
       count(*) FILTER (WHERE on_time) AS on_time, count(*) FILTER (WHERE estimated) AS estimated
FROM {{judged_disclosures}}
GROUP BY ALL
