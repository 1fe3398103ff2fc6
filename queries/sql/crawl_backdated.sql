-- 疑似倒签 (issue #15): crawled articles whose URL or credible first-seen date is later than the
-- displayed date by more than $threshold days; $district '' = every unit.
SELECT d.name, a.title, a.url, coalesce(a.published_on, a.list_date) AS published_on,
       a.url_date, a.first_seen, a.backdated_days
FROM crawl_articles AS a JOIN districts AS d ON d.code = a.district_code
WHERE a.status = 'active' AND a.backdated_days > $threshold AND ($district = '' OR a.district_code = $district)
ORDER BY d.sort_order, a.backdated_days DESC, a.url
