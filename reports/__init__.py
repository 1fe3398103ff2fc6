"""Front end of the downloadable files: the Excel workbooks built from the evaluation JSON.

`reports.excel` (the circulated 通报 workbook and one unit's gap list) and `reports.excel_format`
(safe cell writes, tables, widths, print setup). Pure openpyxl over their arguments, except
`reports.excel.report_context`, which reads the 说明 sheet's facts through `queries`. Never
imports Streamlit or `loaders`.
"""
from __future__ import annotations
