-- The disclosure rows of one crawled column, rebuilt from its active articles (DESIGN §8):
-- published_on = the displayed 发布日期, else the list date — or, when the rules switch
-- timeliness_uses_latest_credible_date is on, the latest of those, the URL date and a credible
-- first-seen date (an article that appeared after the column's first crawl).
SELECT a.row_no,
       a.title,
       coalesce(s.level1 || '/' || s.level2, a.suggested_item) AS item_raw,
       s.level1_key,
       s.level2_key,
       a.formed_on,
       CASE WHEN $latest_credible
            THEN greatest(coalesce(a.published_on, a.list_date), coalesce(a.url_date, a.published_on, a.list_date),
                          CASE WHEN a.seen_late THEN a.first_seen END)
            ELSE coalesce(a.published_on, a.list_date) END AS published_on,
       a.publisher,
       a.url,
       a.index_no,
       CAST(NULL AS VARCHAR) AS channel
FROM crawl_articles AS a
LEFT JOIN standard_catalog AS s ON s.item_id = a.item_id
WHERE a.source_key = $source_key AND a.status = 'active'
ORDER BY a.row_no
