"""Which city item a crawled article belongs to, in the order of DESIGN §8 / issue #15 item 3:
the data steward's confirmation; the entry's `item`; the column name / breadcrumb matched
against the loaded city catalog (names and synonyms); the title classifier above its threshold;
else 未归类 with the classifier's suggestion.

An `item` or breadcrumb segment may name a second-level item, "一级/二级", or only a first-level
item — then the classifier chooses among that first-level item's children.
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb

from loaders.crawl.classify import classify
from loaders.names import name_key


@dataclass(frozen=True)
class Resolved:
    item_id: str | None
    basis: str | None            # entry | column | classifier | confirmed; None = 未归类
    suggested: str | None        # "一级/二级" suggestion when unresolved
    confidence: float | None
    off_field: bool = False


class CityItems:
    """The loaded city catalog, keyed for matching names and "一级/二级" paths."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        rows = con.execute("SELECT item_id, level1, level2, level1_key, level2_key FROM standard_catalog "
                           "ORDER BY seq").fetchall()
        self.by_level2: dict[str, str] = {}
        self.by_path: dict[tuple[str, str], str] = {}
        self.level1: dict[str, str] = {}
        self.path_of: dict[str, str] = {}
        for item_id, l1, l2, k1, k2 in rows:
            self.by_level2.setdefault(k2, item_id)
            self.by_path[(k1, k2)] = item_id
            self.level1.setdefault(k1, l1)
            self.path_of[item_id] = f"{l1}/{l2}"

    def match(self, text: str | None) -> tuple[str | None, str | None]:
        """(item_id, None) for a second-level name or path, (None, level1 name) for a first-level
        name only, (None, None) when it names no city item."""
        if not text:
            return None, None
        if "/" in text:
            l1, l2 = (name_key(p) for p in text.split("/", 1))
            if (l1, l2) in self.by_path:
                return self.by_path[(l1, l2)], None
            text = text.split("/", 1)[1]
        key = name_key(text)
        if key in self.by_level2:
            return self.by_level2[key], None
        if key in self.level1:
            return None, self.level1[key]
        return None, None

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
