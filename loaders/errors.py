"""Typed, located load problems: `LoadProblem(kind, file, sheet, row, column, value)` and
`LoadError(problems)`.

Readers and normalisers collect every problem of a file and raise once. The kind is an
English enum; its Chinese message comes from `ui_text.errors`. Warning kinds (a duplicate
row that is skipped, a disclosure kept as 未归类) never block a load; every other kind does,
unless the caller asked for a partial load and the problem belongs to a row.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ui_text import errors as text


class ProblemKind(str, Enum):
    EMPTY_FILE = "empty_file"
    UNREADABLE_FILE = "unreadable_file"
    BAD_ZIP = "bad_zip"
    FORMAT_MISMATCH = "format_mismatch"
    UNKNOWN_FORMAT = "unknown_format"
    ENCODING = "encoding"
    NO_TABLE = "no_table"
    MISSING_COLUMN = "missing_column"
    UNKNOWN_DISTRICT = "unknown_district"
    MISSING_ITEM_NAME = "missing_item_name"
    MISSING_LEVEL1 = "missing_level1"
    DUPLICATE_ROW = "duplicate_row"
    MISSING_TITLE = "missing_title"
    UNCLASSIFIED_ITEM = "unclassified_item"
    BAD_DATE = "bad_date"
    IMPOSSIBLE_DATE = "impossible_date"
    MISSING_DATES = "missing_dates"
    PUBLISHED_BEFORE_FORMED = "published_before_formed"
    SOURCE_NOT_FOUND = "source_not_found"
    FETCH_FAILED = "fetch_failed"
    FETCH_TIMEOUT = "fetch_timeout"
    TOO_LARGE = "too_large"
    SOURCES_INVALID = "sources_invalid"
    BAD_OPTION = "bad_option"
    DATABASE_ERROR = "database_error"
    # ── crawl (issue #15) and a pull that never aborts (issue #16 item 6) ──
    FETCH_BAD_REPLY = "fetch_bad_reply"
    FETCH_TRUNCATED = "fetch_truncated"
    FETCH_DEADLINE = "fetch_deadline"
    BAD_URL = "bad_url"
    REDIRECT_REFUSED = "redirect_refused"
    ROBOTS_DISALLOWED = "robots_disallowed"
    SCANNED_PDF = "scanned_pdf"
    NO_CATALOG_ATTACHMENT = "no_catalog_attachment"
    # ── reliab: load guards, limits, database state (issue #16) ──
    REPLACE_SHRINKS = "replace_shrinks"
    CATALOG_SHRINKS = "catalog_shrinks"
    CATALOG_UNMATCHED = "catalog_unmatched"
    STANDARD_IMPLAUSIBLE = "standard_implausible"
    OTHER_UNIT = "other_unit"
    DATE_OUT_OF_RANGE = "date_out_of_range"
    REPEATED_ROW = "repeated_row"
    REEXPORT = "reexport"
    SAMPLE_OVER_REAL = "sample_over_real"
    DB_INCOMPLETE = "db_incomplete"
    DB_LOCKED = "db_locked"
    TOO_MANY_CELLS = "too_many_cells"
    ZIP_BOMB = "zip_bomb"
    SPAN_TOO_LARGE = "span_too_large"
    TOO_MANY_ROWS = "too_many_rows"
    TOO_COSTLY = "too_costly"
    # perf lane: readers by content (issue #16 item 8, issue #15 item 8)
    MIXED_ENCODING = "mixed_encoding"
    CONTROL_CHARACTERS = "control_characters"
    ENCRYPTED = "encrypted"
    FORMULA_NOT_CACHED = "formula_not_cached"


WARNING_KINDS = frozenset({ProblemKind.DUPLICATE_ROW, ProblemKind.UNCLASSIFIED_ITEM, ProblemKind.REPEATED_ROW,
                           ProblemKind.REEXPORT, ProblemKind.CONTROL_CHARACTERS})


@dataclass(frozen=True)
class LoadProblem:
    """One thing wrong with an input, located as precisely as the format allows.

    `row` is the row number a person sees (spreadsheet row, csv record, HTML/docx table row).
    """
    kind: ProblemKind
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    detail: str | None = None

    @property
    def is_warning(self) -> bool:
        return self.kind in WARNING_KINDS

    @property
    def is_row_level(self) -> bool:
        """A problem confined to one data row (a partial load may skip that row)."""
        return self.row is not None and self.kind not in (ProblemKind.NO_TABLE, ProblemKind.MISSING_COLUMN)

    @property
    def message(self) -> str:
        return text.format_problem(self.kind.value, self.file, self.sheet, self.row, self.column,
                                   self.value, self.detail)


class LoadError(Exception):
    """Raised with every problem of an input; nothing was written to the data tables."""

    def __init__(self, problems: list[LoadProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(p.message for p in self.problems))


def blocking(problems: list[LoadProblem]) -> list[LoadProblem]:
    """The problems that stop a load (everything but warnings)."""
    return [p for p in problems if not p.is_warning]
