-- best_catalog_rows (rules.sql) over the catalog rows' blank elements: inside an evaluation's
-- shared_relations the temp table computing them once ({{@catalog_row_blanks}} names it),
-- elsewhere the view scoring_catalog_row_blanks. A relation of the data alone (measure.DATA_ONLY).
FROM best_catalog_rows(blanks := {{@catalog_row_blanks}})
