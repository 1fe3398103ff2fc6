-- Per unit and city item: the day its first disclosure was published (no row while none is).
-- The one grouped pass over the disclosures that disclosure coverage, the 2023 milestone and the
-- undisclosed-items explanation all read.
SELECT d.district_code AS code, d.item_id, s.level1, min(d.published_on) AS first_on
FROM disclosures AS d JOIN standard_catalog AS s ON s.item_id = d.item_id
WHERE d.published_on IS NOT NULL
GROUP BY d.district_code, d.item_id, s.level1
