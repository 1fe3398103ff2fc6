"""Load the bundled sample (`data/sample/`) through the same loaders a real file goes through.

`data/sample/sources.toml` has the format of `data/sources.toml` with paths relative to
itself. Every entry must load (a broken sample is a bug, so LoadError propagates);
afterwards meta is_sample = '1' so every screen can say the data is illustrative.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from loaders.api import load_entry
from loaders.db import Progress, set_meta
from loaders.model import LoadResult
from loaders.names import DATA_DIR
from loaders.sources import parse_sources

SAMPLE_SOURCES = DATA_DIR / "sample" / "sources.toml"


def load_sample(con: duckdb.DuckDBPyConnection, progress: Progress | None = None,
                sources_toml: str | Path | None = None) -> list[LoadResult]:
    """Load every entry of the sample registry in file order; returns one result per entry.

    Raises LoadError on the first entry that does not load.
    """
    entries = parse_sources(sources_toml or SAMPLE_SOURCES)
    results: list[LoadResult] = []
    for n, entry in enumerate(entries):
        if progress:
            progress(n / max(len(entries), 1), Path(entry.source).name)
        results.append(load_entry(con, entry))
    set_meta(con, "is_sample", "1")
    if progress:
        progress(1.0, "")
    return results
