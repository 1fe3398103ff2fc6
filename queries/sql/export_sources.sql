-- export_sources: every district file behind the current data, for the 说明 sheet of the
-- Excel report (reports.excel.report_context). One row per catalog version and per
-- disclosure source, units in the bureau's order, then in load order.
SELECT district, kind, source, loaded_at, published_on, document_no
FROM (
    SELECT d.name AS district, 'catalog' AS kind, c.source, c.loaded_at, c.published_on,
           c.document_no, d.sort_order, c.load_seq
    FROM district_catalogs c JOIN districts d ON d.code = c.district_code
    UNION ALL
    SELECT d.name, 'disclosures', s.source, s.loaded_at, NULL, NULL, d.sort_order, s.load_seq
    FROM disclosure_sources s JOIN districts d ON d.code = s.district_code
)
ORDER BY sort_order, load_seq
