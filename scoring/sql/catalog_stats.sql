-- catalog_stats (rules.sql) over the catalog rows' blank elements: inside an evaluation's
-- shared_relations the temp table computing them once ({{@catalog_row_blanks}} names it),
-- elsewhere the view scoring_catalog_row_blanks.
FROM catalog_stats(blanks := {{@catalog_row_blanks}})
