-- Drift between crawls with both evidence snapshots, newest first; $district '' = every unit.
SELECT d.name, e.kind, e.url, e.old_value, e.new_value, e.old_evidence, e.new_evidence, e.seen_on
FROM crawl_events AS e JOIN districts AS d ON d.code = e.district_code
WHERE $district = '' OR e.district_code = $district
ORDER BY e.seen_on DESC, e.event_id DESC
