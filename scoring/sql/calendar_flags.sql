-- Units for which some judged date or deadline as of $as_of falls on an estimated calendar day
-- or outside the calendar table: judged disclosures in [$since, $as_of], pending disclosures and
-- policy documents in the window.
SELECT code FROM {{judged_disclosures}}
WHERE estimated AND published_on BETWEEN $since AND $as_of
UNION
SELECT code FROM {{policy_documents}}
WHERE estimated AND published_on BETWEEN $since AND $as_of
UNION
SELECT d.district_code AS code
FROM disclosures AS d
JOIN standard_catalog AS s ON s.item_id = d.item_id AND s.time_limit_workdays IS NOT NULL
LEFT JOIN calendar AS fc ON fc.day = d.formed_on
LEFT JOIN calendar AS ac ON ac.day = $as_of
LEFT JOIN calendar AS dl ON dl.is_workday AND dl.workday_no = fc.workday_no + s.time_limit_workdays
WHERE d.formed_on <= $as_of AND (d.published_on IS NULL OR d.published_on > $as_of)
  AND (fc.day IS NULL OR dl.day IS NULL OR ac.day IS NULL OR fc.source = 'estimated'
       OR dl.source = 'estimated' OR ac.source = 'estimated')
