-- The supervised units in the bureau's usual order.
SELECT code, name, kind
FROM districts
ORDER BY sort_order, code
