-- data_fingerprint: one md5 per data table an evaluation reads (row order does not matter:
-- each row's md5 is sorted before hashing), for scoring.rounds to store with every round.
-- findings (人工核查记录) count too: a new or superseding finding changes manual indicators and bonuses.
SELECT 'districts' AS tbl, count(*) AS n, md5(coalesce(string_agg(md5(t::VARCHAR), '' ORDER BY md5(t::VARCHAR)), '')) AS digest FROM districts t
UNION ALL SELECT 'district_aliases', count(*), md5(coalesce(string_agg(md5(t::VARCHAR), '' ORDER BY md5(t::VARCHAR)), '')) FROM district_aliases t
UNION ALL SELECT 'item_synonyms', count(*), md5(coalesce(string_agg(md5(t::VARCHAR), '' ORDER BY md5(t::VARCHAR)), '')) FROM item_synonyms t
UNION ALL SELECT 'standard_catalog', count(*), md5(coalesce(string_agg(md5(t::VARCHAR), '' ORDER BY md5(t::VARCHAR)), '')) FROM standard_catalog t
UNION ALL SELECT 'calendar', count(*), md5(coalesce(string_agg(md5(t::VARCHAR), '' ORDER BY md5(t::VARCHAR)), '')) FROM calendar t
UNION ALL SELECT 'district_catalogs', count(*), md5(coalesce(string_agg(md5(t::VARCHAR), '' ORDER BY md5(t::VARCHAR)), '')) FROM district_catalogs t
UNION ALL SELECT 'district_catalog_rows', count(*), md5(coalesce(string_agg(md5(t::VARCHAR), '' ORDER BY md5(t::VARCHAR)), '')) FROM district_catalog_rows t
UNION ALL SELECT 'disclosures', count(*), md5(coalesce(string_agg(md5(t::VARCHAR), '' ORDER BY md5(t::VARCHAR)), '')) FROM disclosures t
UNION ALL SELECT 'findings', count(*), md5(coalesce(string_agg(md5(t::VARCHAR), '' ORDER BY md5(t::VARCHAR)), '')) FROM findings t
ORDER BY tbl
