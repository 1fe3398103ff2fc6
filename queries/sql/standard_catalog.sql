-- The city standard catalog for browsing, optionally narrowed by a search text.
-- $q: text to look for (case-insensitive) in names, elements and notes; NULL = every row.
SELECT item_id, seq, level1, level2, content, basis, time_limit, subject, channels,
       audience, method, disclosure_level, time_limit_workdays, confidence, sources, notes
FROM standard_catalog
WHERE $q IS NULL
   OR contains(lower(concat_ws(' ', item_id, level1, level2, content, basis, time_limit, subject,
                               channels, audience, method, disclosure_level, notes)), lower($q))
ORDER BY seq
