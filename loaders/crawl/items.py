"""Which city item a crawled article belongs to, in the order of DESIGN §8 / issue #15 item 3:
the data steward's confirmation; the entry's `item`; the column name / breadcrumb matched
against the loaded city catalog (names and synonyms); the title classifier above its threshold;
else 未归类 with the classifier's suggestion.

Matching a name is the loaders' one rule: the name is split into first/second level on the
disclosure logs' path separators (`loaders.vocabulary.item_path_parts`), keyed with
`name_key`, and matched by the SQL macro `matched_item` (`loaders/sql/match_item.sql`) — one
query for every name of a crawl (`sql/match_candidates.sql`), not one per article.
What is crawler-specific stays here: an `item` or breadcrumb segment that names only a
first-level item makes the classifier choose among that item's children; a breadcrumb item
outside the entry's first-level item is not taken; the steward's confirmation wins.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from loaders.crawl.classify import classify, load_rules
from loaders.db import read_sql
from loaders.names import name_key
from loaders.vocabulary import item_path_parts

MATCH_SQL = (Path(__file__).resolve().parent / "sql" / "match_candidates.sql").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Resolved:
    item_id: str | None
    basis: str | None            # entry | column | classifier | confirmed; None = 未归类
    suggested: str | None        # "一级/二级" suggestion when unresolved
    confidence: float | None
    off_field: bool = False


class CityItems:
    """The loaded city catalog's match of every name a crawl may meet: `texts` (the entry's item
    and breadcrumb) and every item the title classifier can name, matched in one query."""

    def __init__(self, con: duckdb.DuckDBPyConnection, texts: Iterable[str | None] = ()) -> None:
        self._con = con
        self.path_of: dict[str, str] = dict(con.execute(
            "SELECT item_id, level1 || '/' || level2 FROM standard_catalog ORDER BY seq").fetchall())
        self._matches: dict[str, tuple[str | None, str | None]] = {}
        self._add([*texts, *(r.item for r in load_rules().rules)])

    def _add(self, texts: Iterable[str | None]) -> None:
        new = sorted({t for t in texts if t and t not in self._matches})
        if not new:
            return
        parts = [item_path_parts(t) for t in new]
        candidates = pd.DataFrame({"text": new, "level1_key": [name_key(p[0]) for p in parts],
                                   "level2_key": [name_key(p[1]) for p in parts]})
        self._con.execute(read_sql("match_item"))
        self._con.register("_crawl_candidates", candidates)
        try:
            rows = self._con.execute(MATCH_SQL).fetchall()
        finally:
            self._con.unregister("_crawl_candidates")
        for text, item_id, level1 in rows:
            self._matches[text] = (item_id, None) if item_id else (None, level1)

    def match(self, text: str | None) -> tuple[str | None, str | None]:
        """(item_id, None) for a second-level name or path, (None, level1 name) for a first-level
        name only, (None, None) when it names no city item. A name not given up front costs a query."""
        if not text:
            return None, None
        self._add([text])
        return self._matches[text]

    def resolve(self, title: str, entry_item: str | None, breadcrumb: list[str],
                confirmed: str | None) -> Resolved:
        if confirmed and confirmed in self.path_of:
            return Resolved(confirmed, "confirmed", None, None)
        within: str | None = None
        item_id, level1 = self.match(entry_item)
        if item_id:
            return Resolved(item_id, "entry", None, None)
        within = level1
        for segment in reversed(breadcrumb):
            item_id, level1 = self.match(segment)
            if item_id and (within is None or self.path_of[item_id].startswith(within + "/")):
                return Resolved(item_id, "column", None, None)
            within = within or level1
        result = classify(title, within)
        path_id, _ = self.match(result.item)
        if result.accepted and path_id:
            return Resolved(path_id, "classifier", None, result.confidence)
        return Resolved(None, None, result.item, result.confidence, result.off_field)
