"""公开督导台 loaders: parse published catalogs and disclosure logs, validate, store in DuckDB.

Public API (see docs/ARCHITECTURE.md): load_catalog, load_disclosures, load_standard, pull,
LoadResult, LoadError, LoadProblem. Never imports streamlit or scoring.
"""
from __future__ import annotations

from loaders.api import load_catalog, load_disclosures, load_standard, pull
from loaders.errors import LoadError, LoadProblem, ProblemKind
from loaders.model import LoadResult

__all__ = ["LoadError", "LoadProblem", "LoadResult", "ProblemKind", "load_catalog", "load_disclosures",
           "load_standard", "pull"]
