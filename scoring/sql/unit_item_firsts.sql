-- Per unit and city item (by code, then city order), the day its first disclosure was published
-- (NULL while none is): the one home of undisclosed_items.sql's rule, for every as_of at once, of the data alone (kept on a
-- read-only connection; an evaluation keeps the rows with no first_on by its as_of).
SELECT d.code, s.item_id, s.seq, s.level1, s.level2, concat_ws('/', s.level1, s.level2) AS item, x.first_on
FROM districts AS d
CROSS JOIN standard_catalog AS s
LEFT JOIN {{item_firsts}} AS x ON x.code = d.code AND x.item_id = s.item_id
ORDER BY d.code, s.seq
