-- Per catalog and matched city item, how many elements its best row (rules.sql best_catalog_rows)
-- leaves blank, over the catalog rows' blank elements: inside an evaluation's shared_relations the
-- temp table computing them once ({{@catalog_row_blanks}} names it), elsewhere the view
-- scoring_catalog_row_blanks. A relation of the data alone (measure.DATA_ONLY).
SELECT catalog_id, item_id, len(blank_elements) AS blanks
FROM best_catalog_rows(blanks := {{@catalog_row_blanks}})
