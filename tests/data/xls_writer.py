"""A minimal legacy .xls (BIFF8 in an OLE2 compound file) writer for test fixtures.

No maintained Python package writes .xls any more (xlwt is archived), yet districts still
publish it, so the fixtures are written here: text cells (LABEL), numbers and date cells
(NUMBER with a date format), merged ranges (MERGEDCELLS). Enough for xlrd and for Excel.
"""
from __future__ import annotations

import datetime as dt
import struct

ENDOFCHAIN, FREESECT, FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
SECTOR = 512


def _rec(rid: int, data: bytes) -> bytes:
    return struct.pack("<HH", rid, len(data)) + data


def _bof(kind: int) -> bytes:
    return _rec(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))


def _font() -> bytes:
    name = "Arial"
    return _rec(0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0)
                + struct.pack("<BB", len(name), 0) + name.encode("latin-1"))


def _xf(font: int, fmt: int, style: bool) -> bytes:
    type_prot = 0xFFF5 if style else 0x0001
    return _rec(0x00E0, struct.pack("<HHHBBBBIIH", font, fmt, type_prot, 0x20, 0, 0, 0, 0, 0, 0x20C0))


def _label(r: int, c: int, text: str) -> bytes:
    raw = text.encode("utf-16-le")
    return _rec(0x0204, struct.pack("<HHHHB", r, c, 1, len(text), 1) + raw)


def _number(r: int, c: int, value: float, xf: int) -> bytes:
    return _rec(0x0203, struct.pack("<HHHd", r, c, xf, value))


def _excel_serial(value: dt.date | dt.datetime) -> float:
    base = dt.datetime(1899, 12, 30)
    moment = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
    return (moment - base).total_seconds() / 86400


def _sheet(rows: list[list[object]], merges: list[tuple[int, int, int, int]]) -> bytes:
    out = [_bof(0x0010)]
    ncols = max((len(r) for r in rows), default=0)
    out.append(_rec(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, ncols, 0)))
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            if isinstance(v, (dt.date, dt.datetime)):
                out.append(_number(r, c, _excel_serial(v), 2))
            elif isinstance(v, (int, float)):
                out.append(_number(r, c, float(v), 1))
            else:
                out.append(_label(r, c, str(v)))
    if merges:  # (first_row, last_row, first_col, last_col), inclusive
        out.append(_rec(0x00E5, struct.pack("<H", len(merges)) + b"".join(struct.pack("<HHHH", *m) for m in merges)))
    out.append(_rec(0x000A, b""))
    return b"".join(out)


def workbook_stream(sheets: list[tuple[str, list[list[object]], list[tuple[int, int, int, int]]]]) -> bytes:
    head = [_bof(0x0005), _rec(0x0042, struct.pack("<H", 1200))]
    head += [_font() for _ in range(4)]
    head += [_xf(0, 0, True), _xf(0, 0, False), _xf(0, 14, False)]
    bodies = [_sheet(rows, merges) for _, rows, merges in sheets]
    bound_len = sum(4 + 8 + len(name.encode("utf-16-le")) for name, _, _ in sheets)
    offset = sum(len(h) for h in head) + bound_len + 4  # + EOF
    bounds = []
    for (name, _, _), body in zip(sheets, bodies):
        bounds.append(_rec(0x0085, struct.pack("<IHBB", offset, 0, len(name), 1) + name.encode("utf-16-le")))
        offset += len(body)
    return b"".join(head + bounds + [_rec(0x000A, b"")] + bodies)


def compound_file(stream: bytes, name: str = "Workbook") -> bytes:
    """Wrap one stream in an OLE2 container (stream >= 4096 bytes so no mini stream is needed)."""
    stream = stream + b"\x00" * max(0, 4096 - len(stream))
    stream += b"\x00" * (-len(stream) % SECTOR)
    n_stream = len(stream) // SECTOR
    dir_sector = n_stream
    n_fat = 1
    while (n_stream + 1 + n_fat) > n_fat * (SECTOR // 4):
        n_fat += 1
    fat = [i + 1 for i in range(n_stream - 1)] + [ENDOFCHAIN, ENDOFCHAIN] + [FATSECT] * n_fat
    fat += [FREESECT] * (n_fat * (SECTOR // 4) - len(fat))
    difat = list(range(dir_sector + 1, dir_sector + 1 + n_fat)) + [FREESECT] * (109 - n_fat)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
              + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + b"\x00" * 6
              + struct.pack("<IIIIIIIII", 0, n_fat, dir_sector, 0, 4096, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
              + struct.pack("<109I", *difat))

    def entry(ename: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = (ename.encode("utf-16-le") + b"\x00\x00") if ename else b""
        return (raw.ljust(64, b"\x00") + struct.pack("<HBB", len(raw), kind, 1)
                + struct.pack("<III", FREESECT, FREESECT, child) + b"\x00" * 16 + struct.pack("<I", 0)
                + b"\x00" * 16 + struct.pack("<III", start, size, 0))

    directory = (entry("Root Entry", 5, 1, ENDOFCHAIN, 0) + entry(name, 2, FREESECT, 0, len(stream))
                 + entry("", 0, FREESECT, 0, 0) * 2)
    return header + stream + directory + struct.pack(f"<{len(fat)}I", *fat)


def write_xls(path: str, sheets: list[tuple[str, list[list[object]], list[tuple[int, int, int, int]]]]) -> None:
    with open(path, "wb") as f:
        f.write(compound_file(workbook_stream(sheets)))
