"""Streamlit glue shared by `dashboard.py` and the pages: the only non-page package that imports streamlit.

`appkit.db` opens (and on first use builds) the database and holds one cached connection per
file; `appkit.cache` wraps `scoring` calls in `st.cache_data` keyed by database path, data
version and dates; `appkit.charts` draws with one Plotly template whose font renders Chinese;
`appkit.widgets` holds the sign-in form, sidebar, period pickers and empty states;
`appkit.tables` turns evaluation JSON into the frames the pages display.
"""
from __future__ import annotations
