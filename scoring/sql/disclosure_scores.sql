-- Per evaluation point × unit: city items with a disclosure published on or before as_of,
-- disclosures judged for timeliness in [since, as_of], how many were on time and how many involve
-- an estimated (or out-of-table) calendar day, and the count of
-- published disclosures matched to no city item (未归类).
-- $as_ofs, $sinces: parallel DATE[] lists, one entry per evaluation point.
-- Judged disclosures (counted per unit and day, judged_daily.sql) are summed per unit and bin,
-- the bins being the spans between consecutive window bounds (every since and as_of + 1): each
-- window is a whole number of bins, so the big table is grouped once into few groups, however
-- many points there are.
WITH points AS (SELECT unnest($as_ofs::DATE[]) AS as_of, unnest($sinces::DATE[]) AS since),
firsts AS (SELECT code, item_id, first_on FROM {{item_firsts}}),
bounds AS (
    SELECT since AS b FROM points UNION SELECT as_of + 1 FROM points
),
spans AS (
    SELECT CAST(g.d AS DATE) AS day
    FROM unnest(generate_series(CAST((SELECT min(since) FROM points) AS TIMESTAMP),
                                CAST((SELECT max(as_of) FROM points) AS TIMESTAMP),
                                INTERVAL 1 DAY)) AS g(d)
),
bins AS (
    SELECT s.day, max(b.b) OVER (ORDER BY s.day) AS bin
    FROM spans AS s LEFT JOIN bounds AS b ON b.b = s.day
),
judged_daily AS (
    SELECT j.code, n.bin, sum(j.judged) AS judged, sum(j.on_time) AS on_time, sum(j.estimated) AS estimated
    FROM {{judged_daily}} AS j
    JOIN bins AS n ON n.day = j.published_on
    GROUP BY ALL
),
unclassified_daily AS (SELECT * FROM {{unclassified_daily}}),
base AS (SELECT p.as_of, p.since, d.code FROM points AS p CROSS JOIN districts AS d),
covered AS (
    SELECT b.as_of, b.code, count(*) AS disclosed_items
    FROM base AS b JOIN firsts AS f ON f.code = b.code AND f.first_on <= b.as_of
    GROUP BY ALL
),
timely AS (
    SELECT b.as_of, b.code, sum(j.judged) AS judged, sum(j.on_time) AS on_time,
           sum(j.estimated) AS estimated_judged
    FROM base AS b
    JOIN judged_daily AS j ON j.code = b.code AND j.bin BETWEEN b.since AND b.as_of
    GROUP BY ALL
),
unclassified AS (
    SELECT b.as_of, b.code, sum(u.unclassified) AS unclassified
    FROM base AS b JOIN unclassified_daily AS u ON u.code = b.code AND u.published_on <= b.as_of
    GROUP BY ALL
)
SELECT b.as_of, b.code,
       coalesce(c.disclosed_items, 0) AS disclosed_items,
       coalesce(t.judged, 0) AS judged,
       coalesce(t.on_time, 0) AS on_time,
       coalesce(t.estimated_judged, 0) AS estimated_judged,
       coalesce(u.unclassified, 0) AS unclassified
FROM base AS b
LEFT JOIN covered AS c USING (as_of, code)
LEFT JOIN timely AS t USING (as_of, code)
LEFT JOIN unclassified AS u USING (as_of, code)
