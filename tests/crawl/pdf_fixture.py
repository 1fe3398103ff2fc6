"""Hand-written PDFs for the crawl tests (no PDF library is installed for writing one).

`catalog_pdf()` is a one-page text PDF holding a ruled catalog table: a Type0 font with
Identity-H encoding whose glyph ids are indexes into the page's characters, and a ToUnicode
CMap, so text extractors (pdfplumber) read real Chinese text without an embedded font file.
`scanned_pdf()` is a page holding only an image: what a scanned catalog looks like.
"""
from __future__ import annotations

import csv
import zlib
from pathlib import Path

_TSV = Path(__file__).resolve().parents[2] / "data" / "standard_catalog.tsv"


def _catalog_rows() -> list[list[str]]:
    """The 43 city items as a district publishes them (first element only, to fit the cells)."""
    with _TSV.open(encoding="utf-8") as f:
        items = list(csv.DictReader(f, delimiter="\t"))
    rows = [["序号", "一级事项", "二级事项", "公开内容", "公开时限", "公开主体"]]
    for r in items:
        first = r["content_elements"].split(";")[0].lstrip("●〇")[:10]
        rows.append([r["seq"], r["level1"], r["level2"], first, "信息形成之日起20个工作日内", "区住房保障中心"])
    return rows


CATALOG_ROWS = _catalog_rows()
_WIDTHS = [30, 60, 110, 130, 170, 110]
_ROW_H = 18
_SIZE = 8


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _stream(data: bytes, extra: str = "") -> bytes:
    packed = zlib.compress(data)
    return f"<< /Length {len(packed)} /Filter /FlateDecode {extra}>>\nstream\n".encode() + packed + b"\nendstream"


def catalog_pdf(rows: list[list[str]] | None = None) -> bytes:
    rows = rows or CATALOG_ROWS
    chars = sorted({c for row in rows for cell in row for c in cell})
    cid = {c: i + 1 for i, c in enumerate(chars)}
    ops: list[str] = ["0.5 w"]
    x0, top = 30, 820
    width = sum(_WIDTHS)
    for r in range(len(rows) + 1):
        y = top - r * _ROW_H
        ops.append(f"{x0} {y} m {x0 + width} {y} l S")
    x = x0
    for w in [0, *_WIDTHS]:
        x += w
        ops.append(f"{x} {top} m {x} {top - len(rows) * _ROW_H} l S")
    for r, row in enumerate(rows):
        x = x0
        for w, cell in zip(_WIDTHS, row):
            glyphs = "".join(f"{cid[c]:04X}" for c in cell)
            ops.append(f"BT /F1 {_SIZE} Tf {x + 3} {top - (r + 1) * _ROW_H + 5} Td <{glyphs}> Tj ET")
            x += w
    content = "\n".join(ops).encode()
    bf = "\n".join(f"<{cid[c]:04X}> <{ord(c):04X}>" for c in chars)
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) "
            "/Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def "
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            f"{len(chars)} beginbfchar\n{bf}\nendbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end")
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>"),
        _stream(content),
        (b"<< /Type /Font /Subtype /Type0 /BaseFont /NotoSansCJK /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>"),
        (b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NotoSansCJK /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R /DW 1000 /CIDToGIDMap /Identity >>"),
        _stream(cmap.encode()),
        (b"<< /Type /FontDescriptor /FontName /NotoSansCJK /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 "
        b"/Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"),
    ])


def scanned_pdf() -> bytes:
    """A page whose only content is a small grey image (no text at all)."""
    pixels = bytes([128] * 16 * 16)
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> "
        b"/Contents 4 0 R >>"),
        _stream(b"q 500 0 0 700 40 80 cm /Im1 Do Q"),
        _stream(pixels, "/Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceGray "
                        "/BitsPerComponent 8 "),
    ])
