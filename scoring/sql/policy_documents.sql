-- Every policy document published in [$first_day, $last_day] (the union of the evaluated windows;
-- disclosures under $policy_level1/$policy_level2 whose title
-- names a 《…》 document): its sync deadline (deadline(published_on, $window), rules.sql) and
-- the earliest date an interpretation of the same unit (first-level $interp_level1, by matched
-- item or by the first-level name the log gave) sharing a 《…》 name was published within
-- [published_on, sync_deadline]; synced_on NULL when none was by $last_day (only whether it is
-- <= as_of matters, so later interpretations are not read).
-- The cheap item filters run first (materialized) so title string work touches only those rows;
-- 〈〉 count as 《》 (a name never contains either).
WITH interp_level1 AS (
    SELECT DISTINCT level1_key FROM standard_catalog WHERE level1 = $interp_level1
),
policy_rows AS MATERIALIZED (
    SELECT d.disclosure_id, d.district_code AS code, d.title, d.published_on
    FROM disclosures AS d
    WHERE d.item_id IN (SELECT item_id FROM standard_catalog
                        WHERE level1 = $policy_level1 AND level2 = $policy_level2)
      AND d.published_on BETWEEN $first_day AND $last_day
),
docs AS (
    SELECT *, list_distinct(regexp_extract_all(title, '[《〈]([^《》〈〉]+)[》〉]', 1)) AS names
    FROM policy_rows
    WHERE (contains(title, '《') OR contains(title, '〈'))
),
windows AS (
    SELECT docs.*, w.deadline AS sync_deadline, coalesce(w.estimated, true) AS estimated
    FROM docs
    LEFT JOIN {{deadlines}} AS w ON w.day = docs.published_on AND w.n = $window
),
interp_rows AS MATERIALIZED (
    SELECT d.district_code AS code, d.published_on, d.title
    FROM disclosures AS d
    WHERE d.published_on BETWEEN $first_day AND $last_day
      AND (d.item_id IN (SELECT item_id FROM standard_catalog WHERE level1 = $interp_level1)
           OR d.level1_key IN (SELECT level1_key FROM interp_level1))
),
interps AS (
    SELECT code, published_on,
           unnest(list_distinct(regexp_extract_all(title, '[《〈]([^《》〈〉]+)[》〉]', 1))) AS name
    FROM interp_rows
    WHERE (contains(title, '《') OR contains(title, '〈'))
),
synced AS (
    SELECT w.disclosure_id, min(i.published_on) AS synced_on
    FROM (SELECT disclosure_id, code, published_on, sync_deadline, unnest(names) AS name
          FROM windows) AS w
    JOIN interps AS i
      ON i.code = w.code AND i.name = w.name
     AND i.published_on BETWEEN w.published_on AND w.sync_deadline
    GROUP BY w.disclosure_id
)
SELECT w.code, w.disclosure_id, w.title, w.published_on, w.names, w.sync_deadline, s.synced_on,
       w.estimated
FROM windows AS w LEFT JOIN synced AS s USING (disclosure_id)
WHERE len(w.names) > 0
