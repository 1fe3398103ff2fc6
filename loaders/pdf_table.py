"""Read a text PDF (a catalog attachment) into its tables with pdfplumber.

Each table pdfplumber finds on a page (ruled lines first, else aligned text) becomes a
`ParsedTable` named 第N页; cells are cleaned like every other reader's. A PDF without any
text is a scanned image: LoadError(scanned_pdf) says it must be entered by hand. A PDF that
cannot be opened is LoadError(unreadable_file).
"""
from __future__ import annotations

import io

from loaders.errors import LoadError, LoadProblem, ProblemKind
from loaders.model import ParsedDocument, ParsedTable, clean_cell, rectangular
from ui_text.errors import PDF_PAGE_SHEET

MAX_PAGES = 200


def read(data: bytes, file: str) -> ParsedDocument:
    """Tables of a text PDF. Raises LoadError(scanned_pdf | unreadable_file)."""
    import pdfplumber  # imported here: only PDF attachments need it
    from pdfminer.pdfparser import PDFSyntaxError

    tables: list[ParsedTable] = []
    text_chars = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for n, page in enumerate(pdf.pages[:MAX_PAGES], start=1):
                text_chars += len(page.chars)
                found = page.extract_tables() or page.extract_tables({"vertical_strategy": "text",
                                                                      "horizontal_strategy": "text"})
                for grid in found:
                    cells = rectangular([[clean_cell(c or "") for c in row] for row in grid])
                    if any(any(r) for r in cells):
                        tables.append(ParsedTable(file, PDF_PAGE_SHEET.format(n=n), cells, list(range(1, len(cells) + 1))))
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise LoadError([LoadProblem(ProblemKind.UNREADABLE_FILE, file, detail=type(exc).__name__)]) from None
    if text_chars == 0:
        raise LoadError([LoadProblem(ProblemKind.SCANNED_PDF, file)])
    return ParsedDocument(file, "pdf", tables)
