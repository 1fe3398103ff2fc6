-- Every district catalog row with the list of its blank elements among the nine (schema
-- column names, in schema order). The one home of "which elements does a row leave blank";
-- a ticked 对象/方式/层级 sub-column was stored as text by the loader, so it counts as filled.
SELECT catalog_id, row_no, matched_item_id, level1, level2,
       list_filter([
           CASE WHEN coalesce(trim(level2), '') = '' THEN 'level2' END,
           CASE WHEN coalesce(trim(content), '') = '' THEN 'content' END,
           CASE WHEN coalesce(trim(basis), '') = '' THEN 'basis' END,
           CASE WHEN coalesce(trim(time_limit), '') = '' THEN 'time_limit' END,
           CASE WHEN coalesce(trim(subject), '') = '' THEN 'subject' END,
           CASE WHEN coalesce(trim(channels), '') = '' THEN 'channels' END,
           CASE WHEN coalesce(trim(audience), '') = '' THEN 'audience' END,
           CASE WHEN coalesce(trim(method), '') = '' THEN 'method' END,
           CASE WHEN coalesce(trim(disclosure_level), '') = '' THEN 'disclosure_level' END
       ], lambda x: x IS NOT NULL) AS blank_elements
FROM district_catalog_rows
