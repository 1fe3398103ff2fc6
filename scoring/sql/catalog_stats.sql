-- catalog_stats (rules.sql) over the catalog rows' blank elements and their best rows: inside an
-- evaluation's shared_relations the temp tables computing them once ({{@catalog_row_blanks}},
-- {{@best_catalog_rows}} name them), elsewhere the views scoring_catalog_row_blanks and
-- scoring_best_catalog_rows.
FROM catalog_stats(blanks := {{@catalog_row_blanks}}, best := {{@best_catalog_rows}})
