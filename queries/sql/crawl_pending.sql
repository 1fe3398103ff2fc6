-- Active crawled articles without an item (未归类), with the classifier's suggestion.
SELECT d.name, a.title, a.url, a.suggested_item, a.confidence
FROM crawl_articles AS a JOIN districts AS d ON d.code = a.district_code
WHERE a.status = 'active' AND a.item_id IS NULL AND ($district = '' OR a.district_code = $district)
ORDER BY d.sort_order, a.url
