-- The city item of every name a crawl may meet — the column's `item`, its breadcrumb segments and
-- every item path the title classifier can name — in one query, through the one matching rule
-- (loaders/sql/match_item.sql macro matched_item, installed by loaders.crawl.items.CityItems).
-- level1 is the first-level item's name when the (second part of the) name is a first-level
-- item: crawler-specific, the classifier then chooses among that item's children.
SELECT c.text,
       matched_item(c.level1_key, c.level2_key) AS item_id,
       (SELECT s.level1 FROM standard_catalog AS s WHERE s.level1_key = c.level2_key
        ORDER BY s.seq LIMIT 1) AS level1
FROM _crawl_candidates AS c
