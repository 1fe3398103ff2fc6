"""Server entry of 公开督导台: `streamlit run serve.py` serves dashboard.py exactly as
`streamlit run dashboard.py` does (same pages, sign-in and flags), and at server start, before the
first visitor, warms what the first screen needs (`appkit.warmup`): the imports, and 督导总览's
ranking and chart for the default view. run.sh and the README use it; `streamlit run
dashboard.py` still works (its first visitor computes them instead).
"""
import streamlit as st

from appkit.warmup import lifespan

app = st.App("dashboard.py", lifespan=lifespan)
