-- The supervised units in the bureau's order.
SELECT code, name, kind, sort_order FROM districts ORDER BY sort_order, code
