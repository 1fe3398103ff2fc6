"""The shapes passed between the parts of a load: a parsed table and a load result.

Every reader (xlsx, xls, csv, html, docx) returns a `ParsedDocument`: its tables as grids
of cleaned strings with merged cells already filled in, plus page metadata where the page
shows it (发布日期, 成文日期, 文号). Normalisers (catalog, disclosure_log) read only this shape.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

import pandas as pd

from loaders.errors import LoadProblem
from loaders.names import clean_text


@dataclass
class ParsedTable:
    """One table as a person sees it.

    `cells[i][j]` is the text of row i, column j ('' when blank); every row has the same
    length. Merged cells (xlsx merges, HTML rowspan/colspan, docx merges) repeat their value
    in every cell they cover. `row_numbers[i]` is the row number shown to the user.
    `links[i][j]` is the first hyperlink target of the cell ('' if none) where the format has
    links (HTML list pages link each title to its article); None otherwise.
    """
    file: str
    sheet: str | None
    cells: list[list[str]]
    row_numbers: list[int]
    links: list[list[str]] | None = None


@dataclass
class ParsedDocument:
    file: str
    format: str                                   # xlsx | xls | csv | html | docx
    tables: list[ParsedTable]
    meta: dict[str, str] = field(default_factory=dict)   # keys: published_on, written_on, document_no, filed_on


@dataclass
class NormalisedRows:
    """What a normaliser (catalog or disclosure log) makes of a parsed table: the rows ready
    for the store, every problem found, how many data rows were read, and the sheet read."""
    rows: pd.DataFrame
    problems: list[LoadProblem] = field(default_factory=list)
    rows_read: int = 0
    sheet: str | None = None


class LoadOutcome(StrEnum):
    """`LoadResult.result` (also `load_runs.result`); Chinese names in ui_text.errors.RESULT_LABELS."""
    LOADED = "loaded"
    UNCHANGED = "unchanged"
    PARTIAL = "partial"
    REFUSED = "refused"      # pull results only: the failure is reported per source, not raised


@dataclass
class LoadResult:
    """What one load did. `result` is 'loaded', 'unchanged' or 'partial' ('refused' only in
    `pull` results, whose failures are reported per source instead of raised)."""
    kind: str
    district_code: str | None
    source: str
    result: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    run_id: int | None = None
    problems: list[LoadProblem] = field(default_factory=list)


def rectangular(rows: list[list[str]]) -> list[list[str]]:
    """Pad rows to the same width."""
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def clean_cell(text: str) -> str:
    """`names.clean_text` with a fast path for the common cell: already NFKC, one line."""
    if not text:
        return ""
    if "\n" not in text and "\r" not in text and unicodedata.is_normalized("NFKC", text):
        return text.strip()
    return clean_text(text)


def cell_text(value: object) -> str:
    """A spreadsheet cell as text: dates as ISO (with the time only when it is not midnight),
    whole numbers without '.0', everything else cleaned (`names.clean_text`)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_cell(str(value))
