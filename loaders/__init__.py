"""公开督导台 loaders: parse published catalogs and disclosure logs, validate, store in DuckDB.

Public API (see docs/ARCHITECTURE.md): load_catalog, load_disclosures, load_standard, pull,
LoadResult, LoadError, LoadProblem. Never imports streamlit or scoring.

Importing the package (pandas, pyarrow, numpy and DuckDB beneath it) allocates some hundred
thousand long-lived objects and no garbage: Python's cyclic collector is paused meanwhile (and
restored as it was), instead of walking them all again each time a generation fills (about
0.1 s CPU of each CLI start).
"""
from __future__ import annotations

import gc

_collecting = gc.isenabled()
gc.disable()
try:
    from loaders.api import load_catalog, load_disclosures, load_standard, pull
    from loaders.errors import LoadError, LoadProblem, ProblemKind
    from loaders.model import LoadResult
finally:
    if _collecting:
        gc.enable()

__all__ = ["LoadError", "LoadProblem", "LoadResult", "ProblemKind", "load_catalog", "load_disclosures",
           "load_standard", "pull"]
