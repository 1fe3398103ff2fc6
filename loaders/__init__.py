"""公开督导台 loaders: parse published catalogs and disclosure logs, validate, store in DuckDB.

Public API (see docs/ARCHITECTURE.md): load_catalog, load_disclosures, load_standard, pull,
LoadResult, LoadError, LoadProblem. Never imports streamlit or scoring.

The names are looked up when first used (PEP 562): importing the package, or a light module of
it (`loaders.names`, `loaders.reference`), does not import pandas, pyarrow, numpy and DuckDB, so
`python -m loaders` can start reading an xlsx before those imports run (`loaders.cli`).
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from loaders.api import load_catalog, load_disclosures, load_standard, pull
    from loaders.errors import LoadError, LoadProblem, ProblemKind
    from loaders.model import LoadResult

_HOMES = {"load_catalog": "loaders.api", "load_disclosures": "loaders.api", "load_standard": "loaders.api",
          "pull": "loaders.api", "LoadError": "loaders.errors", "LoadProblem": "loaders.errors",
          "ProblemKind": "loaders.errors", "LoadResult": "loaders.model"}

__all__ = ["LoadError", "LoadProblem", "LoadResult", "ProblemKind", "load_catalog", "load_disclosures",
           "load_standard", "pull"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'loaders' has no attribute {name!r}")
    from loaders.readers import no_gc

    with no_gc():  # the heavy imports allocate no garbage (see `loaders.cli.main`)
        value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
