-- Crawled entries recorded but never scored: off-site, off-field, blocked by robots.txt.
SELECT d.name, a.status, a.title, a.url, a.list_date
FROM crawl_articles AS a JOIN districts AS d ON d.code = a.district_code
WHERE a.status IN ('off_site', 'off_field', 'blocked') AND ($district = '' OR a.district_code = $district)
ORDER BY d.sort_order, a.status, a.url
