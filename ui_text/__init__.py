"""Every word a user sees, in Simplified Chinese, keyed by English identifiers. No Streamlit here.

One package, one module per audience, so that parts can grow their own texts without
touching each other's: `common` (glossary, units, element names), `errors` (loader problem
templates), `scoring` (component and rule labels, gap texts), `pages` (page titles and
widgets), `excel` (sheet and header names). Code never holds a CJK literal outside this package
and `data/`.
"""
from __future__ import annotations

from ui_text.common import ELEMENT_LABELS, GLOSSARY, SAMPLE_BADGE

__all__ = ["ELEMENT_LABELS", "GLOSSARY", "SAMPLE_BADGE"]
