"""Streamlit glue shared by `dashboard.py` and the pages: the only non-page package that imports streamlit.

`appkit.db` opens (and on first use builds) the database and holds one cached connection per
file; `appkit.cache` wraps `scoring` calls in `st.cache_data` keyed by database path, data
version and dates; `appkit.shell` makes every page run inside dashboard.py's gate and checks
roles; `appkit.widgets` holds the sign-in form, sidebar and period pickers; `appkit.charts`
draws with one Plotly template whose font renders Chinese; `appkit.tables` turns evaluation JSON
into display frames; `appkit.uploads` runs loads from the data-management page.
"""
from __future__ import annotations
