"""The page read-model: read-only queries the pages and exports need beyond the evaluation.

`queries.views` (standard catalog browse, catalog diff, heatmap, catalog versions, load history,
rejected rows, meta flags), `queries.self_check` (the 区县自查 checklist and its assembly over an
evaluation) and `queries.reader` (runs `queries/sql/<name>.sql`, whose `{{relation}}` are
`scoring/sql` relations). Reads only; never imports Streamlit or `loaders`.
"""
from __future__ import annotations
