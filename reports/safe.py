"""Formula safety for every table a user downloads (issue #16 item 7): the one place it lives.

A cell that a spreadsheet would read as a formula (leading =, +, -, @, or a tab / carriage
return before one) is written with a leading apostrophe, the OWASP-recommended neutraliser, so
`=HYPERLINK("http://…")` from a portal title arrives as text. The Excel exports use the same
prefixes (`reports.excel_format.FORMULA_PREFIXES`, written with Excel's quote prefix); CSV has
no quote-prefix flag, hence the apostrophe. `csv_download` adds the Chinese headers and a BOM
so Excel opens it as UTF-8. Pure pandas, no Streamlit.
"""
from __future__ import annotations

import pandas as pd

from reports.excel_format import FORMULA_PREFIXES

CSV_DANGEROUS = (*FORMULA_PREFIXES, "\t", "\r")


def formula_safe_text(value: object) -> object:
    """`value` with a leading apostrophe when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(CSV_DANGEROUS):
        return "'" + value
    return value


def formula_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells (and column names) are formula-safe (vectorised)."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            text = series.astype("string")
            risky = text.str.startswith(CSV_DANGEROUS).fillna(False).astype(bool)
            if risky.any():
                out[column] = series.where(~risky, "'" + text)
    out.columns = [formula_safe_text(str(c)) for c in out.columns]
    return out


def csv_download(frame: pd.DataFrame, headers: dict[str, str]) -> bytes:
    """UTF-8-BOM CSV of `frame`'s `headers` columns, headed by their Chinese labels, formula-safe."""
    shown = frame[list(headers)].rename(columns=headers)
    return formula_safe_frame(shown).to_csv(index=False).encode("utf-8-sig")
