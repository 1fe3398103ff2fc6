"""The source registry: `data/sources.toml` (and `data/sample/sources.toml`).

Parsed into `SourceEntry`s in file order; relative paths are resolved against the file's
folder. Every problem of the file is collected and raised once as LoadError(sources_invalid).
"""
from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from loaders.errors import LoadError, LoadProblem, ProblemKind
from loaders.http_pull import is_url
from loaders.names import DATA_DIR

DEFAULT_SOURCES = DATA_DIR / "sources.toml"
SECTIONS = ("catalog", "disclosures", "column")
_KEYS = {
    "catalog": {"district", "source", "published_on", "document_no", "url", "filed_on", "allow_partial",
                "delay_s", "allow_hosts"},
    "disclosures": {"district", "source", "allow_partial", "delay_s", "allow_hosts"},
    "column": {"district", "url", "item", "max_pages", "delay_s", "allow_hosts"},
}
_REQUIRED = {"catalog": {"district", "source"}, "disclosures": {"district", "source"}, "column": {"district", "url"}}
DEFAULT_DELAY_S = 1.0
DEFAULT_MAX_PAGES = 100


@dataclass(frozen=True)
class SourceEntry:
    kind: str                 # 'catalog' | 'disclosures' | 'column'
    district: str
    source: str               # absolute path or URL (a column's first list page)
    published_on: dt.date | None = None
    document_no: str | None = None
    url: str | None = None
    filed_on: dt.date | None = None
    allow_partial: bool = False
    item: str | None = None               # column: "一级/二级", a second- or a first-level name
    max_pages: int = DEFAULT_MAX_PAGES    # column: list pages followed at most
    delay_s: float = DEFAULT_DELAY_S      # seconds between two requests to the same host
    allow_hosts: tuple[str, ...] = ()     # hosts a redirect may lead to besides the source's own


def parse_sources(path: str | Path | None = None) -> list[SourceEntry]:
    """Entries of a sources.toml, catalogs and logs interleaved in file order."""
    path = Path(path or DEFAULT_SOURCES)
    name = path.name
    if not path.exists():
        raise LoadError([LoadProblem(ProblemKind.SOURCE_NOT_FOUND, name, value=str(path))])
    raw = path.read_bytes()
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LoadError([LoadProblem(ProblemKind.SOURCES_INVALID, name, detail=str(exc))]) from None
    problems: list[LoadProblem] = []
    for key in doc:
        if key not in SECTIONS:
            problems.append(LoadProblem(ProblemKind.SOURCES_INVALID, name, column=key, detail=key))
    entries: list[tuple[int, SourceEntry]] = []
    for kind in SECTIONS:
        items = doc.get(kind, [])
        if not isinstance(items, list):
            problems.append(LoadProblem(ProblemKind.SOURCES_INVALID, name, column=kind, detail=kind))
            continue
        for n, item in enumerate(items, start=1):
            where = f"[[{kind}]] #{n}"
            unknown = set(item) - _KEYS[kind]
            missing = _REQUIRED[kind] - set(item)
            for key in sorted(unknown | missing):
                problems.append(LoadProblem(ProblemKind.SOURCES_INVALID, name, row=n, column=key,
                                            detail=f"{where} {key}"))
            for key in ("published_on", "filed_on"):
                if key in item and not isinstance(item[key], dt.date):
                    problems.append(LoadProblem(ProblemKind.SOURCES_INVALID, name, row=n, column=key,
                                                value=str(item[key]), detail=f"{where} {key}"))
            problems += _check_crawl_keys(item, name, n, where)
            if unknown or missing or problems:
                continue
            src = str(item["url"] if kind == "column" else item["source"])
            if kind == "column" and not is_url(src):
                problems.append(LoadProblem(ProblemKind.SOURCES_INVALID, name, row=n, column="url", value=src,
                                            detail=f"{where} url"))
                continue
            if not is_url(src) and not Path(src).is_absolute():
                src = str((path.parent / src).resolve())
            entries.append((_position(raw, kind, n), SourceEntry(
                kind, str(item["district"]), src, item.get("published_on"), item.get("document_no"),
                item.get("url") if kind != "column" else None, item.get("filed_on"),
                bool(item.get("allow_partial", False)), item.get("item"),
                int(item.get("max_pages", DEFAULT_MAX_PAGES)), float(item.get("delay_s", DEFAULT_DELAY_S)),
                tuple(str(h).lower() for h in item.get("allow_hosts", ())))))
    if problems:
        raise LoadError(problems)
    return [e for _, e in sorted(entries, key=lambda p: p[0])]


def _positive_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v > 0


def _seconds(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0


def _text(v: object) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _hosts(v: object) -> bool:
    return isinstance(v, list) and all(isinstance(h, str) for h in v)


_CRAWL_CHECKS: dict[str, Callable[[object], bool]] = {"max_pages": _positive_int, "delay_s": _seconds,
                                                      "item": _text, "allow_hosts": _hosts}


def _check_crawl_keys(item: dict[str, object], name: str, n: int, where: str) -> list[LoadProblem]:
    return [LoadProblem(ProblemKind.SOURCES_INVALID, name, row=n, column=key, value=str(item[key]),
                        detail=f"{where} {key}")
            for key, ok in _CRAWL_CHECKS.items() if key in item and not ok(item[key])]


def _position(raw: bytes, kind: str, n: int) -> int:
    """Byte offset of the n-th `[[kind]]` header, so entries keep their order in the file."""
    marker = f"[[{kind}]]".encode()
    offset = -1
    for _ in range(n):
        offset = raw.find(marker, offset + 1)
    return offset
