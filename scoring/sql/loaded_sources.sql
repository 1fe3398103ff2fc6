-- What the database currently holds, for report context: one row per loaded catalog version and
-- per disclosure source, with the unit's name.
SELECT 'catalog' AS kind, d.name AS district, c.source, c.loaded_at
FROM district_catalogs AS c JOIN districts AS d ON d.code = c.district_code
UNION ALL
SELECT 'disclosures' AS kind, d.name AS district, s.source, s.loaded_at
FROM disclosure_sources AS s JOIN districts AS d ON d.code = s.district_code
ORDER BY loaded_at, kind, district
