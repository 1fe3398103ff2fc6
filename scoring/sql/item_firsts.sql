-- Per unit and city item: the day its first disclosure was published (no row while none is).
-- The one grouped pass over the disclosures that disclosure coverage, the 2023 milestone and the
-- undisclosed-items explanation all read.
-- Grouped first, then matched to the city catalog (10⁵ groups, not 10⁷ rows, meet the join).
SELECT f.code, f.item_id, s.level1, f.first_on
FROM (SELECT district_code AS code, item_id, min(published_on) AS first_on
      FROM disclosures
      WHERE published_on IS NOT NULL AND item_id IS NOT NULL
      GROUP BY district_code, item_id) AS f
JOIN standard_catalog AS s ON s.item_id = f.item_id
