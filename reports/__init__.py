"""Front end of the downloadable files built from an evaluation: Excel workbooks and the Word notice.

`reports.excel` (the circulated 通报 workbook and one unit's gap list), `reports.round_compare`
(the 复评对比 workbook), all written by the one writer `reports.xlsx` with the formats of
`reports.excel_format`, and `reports.notice` (the Word 通报 of a round).
Pure functions over their arguments, except `reports.excel.report_context`, which reads the 说明
sheet's facts through `queries`. Never imports Streamlit or `loaders`.
"""
from __future__ import annotations
