"""The xlsx reader's direct XML path (`loaders/xlsx_xml.py`) reads every workbook exactly as the
calamine path does (cells, row numbers, column types, warnings, errors), or declines to it."""
from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from bench import loadfiles
from loaders import xlsx_table, xlsx_xml
from loaders.errors import LoadError

ROOT = Path(__file__).resolve().parents[2]
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def outcome(data: bytes, direct: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, ...]:
    """What `xlsx_table.read` makes of `data`, with the direct path allowed or not."""
    with monkeypatch.context() as m:
        if not direct:
            m.setattr(xlsx_xml, "sheets", lambda *args: None)
        try:
            doc = xlsx_table.read(data, "台账.xlsx")
        except LoadError as e:
            return ("error", [str(p) for p in e.problems])
    tables = [(t.file, t.sheet, list(t.row_numbers), t.links, t.frame().dtypes.tolist(), t.frame().columns.tolist(),
               t.frame().astype(object).values.tolist()) for t in doc.tables]
    return ("ok", doc.format, tables, [(p.kind, p.file, p.sheet, p.row, p.value, p.detail) for p in doc.warnings])


def same(data: bytes, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Asserts both paths agree; whether the direct path read the workbook."""
    assert outcome(data, True, monkeypatch) == outcome(data, False, monkeypatch)
    return xlsx_xml.sheets(data) is not None


def workbook(sheet_data: str, shared: str | None = None, styles: str | None = None, extra: str = "") -> bytes:
    """A minimal workbook of one sheet 'S' from its <sheetData> content (and optional parts)."""
    out = io.BytesIO()
    rels = f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("_rels/.rels", f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
                   f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets><sheet name="S" sheetId="1" '
                   'r:id="rId1"/></sheets></workbook>')
        if shared is not None:
            rels += f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{_NS}">{shared}</sst>')
        if styles is not None:
            rels += f'<Relationship Id="rId3" Type="{_REL}/styles" Target="styles.xml"/>'
            z.writestr("xl/styles.xml", f'<styleSheet xmlns="{_NS}">{styles}</styleSheet>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{_PKG}">{rels}</Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", f'<worksheet xmlns="{_NS}"><sheetData>{sheet_data}</sheetData>{extra}'
                   '</worksheet>')
    return out.getvalue()


def test_every_fixture_and_sample_workbook_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted((ROOT / "tests").rglob("*.xlsx")) + sorted((ROOT / "data").rglob("*.xlsx"))
    assert len(files) > 30
    for path in files:
        same(path.read_bytes(), monkeypatch)


def test_a_ledger_as_excel_saves_it_is_read_directly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = loadfiles.make("xlsx", 3000, tmp_path)
    assert same(path.read_bytes(), monkeypatch)


_PIECES = ["a", " ", "  ", "\n", "\t", "中文", "全角ＡＢＣ１２３", "\u3000", "&", "<", ">", '"', "'", "&amp;", "\x01", "\x7f",
           "ﬁ", "①", "\u00a0", "e\u0301", "2023-01-01", "2023年6月1日", "  lead", "trail  ", "😀", "\u200b", "#N/A"]
_NUMBERS = ["1", "-0", "1.5", "1E+20", "12345678901234567890", "0.1", "3e-5", "-7", "9007199254740993", "1e308"]


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 4)))


def _xml_text(rng: random.Random, text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if rng.random() < 0.4:  # decimal character references, as openpyxl writes them
        escaped = "".join(f"&#{ord(ch)};" if (ord(ch) > 127 or ch in " a") and rng.random() < 0.7 else ch
                          for ch in escaped)
    if rng.random() < 0.3:
        escaped = escaped.replace('"', "&quot;").replace("'", "&apos;")
    if not text and rng.random() < 0.5:
        return "<t/>"
    return f'<t xml:space="preserve">{escaped}</t>' if rng.random() < 0.5 else f"<t>{escaped}</t>"


def _random_xml_workbook(rng: random.Random) -> bytes:
    items = []
    for _ in range(rng.randint(0, 8)):
        kind = rng.random()
        if kind < 0.6:
            items.append(f"<si>{_xml_text(rng, _text(rng))}</si>")
        elif kind < 0.85:  # rich text runs
            rpr = ["", '<rPr><b/><sz val="11"/><rFont val="宋体"/></rPr>']
            items.append("<si>" + "".join(f"<r>{rng.choice(rpr)}{_xml_text(rng, _text(rng))}</r>"
                                         for _ in range(rng.randint(1, 3))) + "</si>")
        else:  # a phonetic run, which is not read
            items.append(f'<si>{_xml_text(rng, _text(rng))}<rPh sb="0" eb="1"><t>カ</t></rPh><phoneticPr fontId="1"/></si>')
    styles = ('<numFmts count="2"><numFmt numFmtId="164" formatCode="0.00"/><numFmt numFmtId="165" '
              'formatCode="yyyy-mm-dd"/></numFmts><cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="2"/>'
              '<xf numFmtId="164"/><xf numFmtId="49"/><xf numFmtId="10"/></cellXfs>')
    rows = []
    for r in range(1, rng.randint(1, 10)):
        cells = []
        for c in sorted(rng.sample(range(30), rng.randint(0, 6))):
            ref = (chr(65 + c) if c < 26 else "A" + chr(65 + c - 26)) + str(r)
            style = f' s="{rng.randint(0, 4)}"' if rng.random() < 0.3 else ""
            kind = rng.random()
            body: str | None
            if kind < 0.3 and items:
                body, t = f"<v>{rng.randint(0, len(items) - 1)}</v>", ' t="s"'
            elif kind < 0.5:
                body, t = f"<v>{rng.choice(_NUMBERS)}</v>", rng.choice(["", ' t="n"'])
            elif kind < 0.6:
                body, t = f"<is>{_xml_text(rng, _text(rng))}</is>", ' t="inlineStr"'
            elif kind < 0.65:
                body, t = f"<v>{rng.choice('01')}</v>", ' t="b"'
            elif kind < 0.7:
                body, t = "<v>#N/A</v>", ' t="e"'
            elif kind < 0.8:
                body, t = f"<v>{_xml_text(rng, _text(rng))[3:-4]}</v>", ' t="str"'
            elif kind < 0.85:
                body, t = "", rng.choice(["", ' t="s"', ' t="inlineStr"', ' t="n"'])
            else:
                body, t = None, ""
            attrs = f'r="{ref}"' + (style + t if rng.random() < 0.5 else t + style)
            cells.append(f"<c {attrs}/>" if body is None else f"<c {attrs}>{body}</c>")
        rows.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    return workbook("".join(rows), "".join(items) if items or rng.random() < 0.5 else None,
                    styles if rng.random() < 0.7 else None)


def _random_openpyxl_workbook(rng: random.Random) -> bytes:
    book = openpyxl.Workbook()
    values: list[Any] = [0, 1, -1, 10**15, 2**53 + 1, -0.0, 0.5, 1e20, 1e-7, 0.1 + 0.2, True, False,
                         dt.date(2023, 1, 5), dt.datetime(2023, 1, 2, 3, 4, 5)]
    for s in range(rng.randint(1, 3)):
        sheet = book.active if s == 0 else book.create_sheet()
        sheet.title = rng.choice(["台账", "Sheet", "a&b", "公开 信息"]) + str(s)
        for r in range(rng.randint(0, 12)):
            for c in range(rng.randint(1, 30)):
                if rng.random() < 0.5:
                    value = _text(rng).replace("\x01", "") if rng.random() < 0.6 else rng.choice(values)
                    sheet.cell(row=r + 1 + (r > 5) * rng.randint(0, 3), column=c + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_random_workbooks_read_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(17)
    direct = 0
    for case in range(120):
        data = _random_xml_workbook(rng) if case % 2 else _random_openpyxl_workbook(rng)
        direct += same(data, monkeypatch)
    assert direct >= 30  # (most hand-written ones; openpyxl writes character references: declined)


@pytest.mark.parametrize("sheet_data, shared, styles, extra", [
    ('<row r="1"><c r="A1" t="inlineStr"><is><t>&#x4F60;</t></is></c></row>', None, None, ""),  # hexadecimal reference
    ('<row r="1"><c r="A1" t="inlineStr"><is><t>a&#38;lt;</t></is></c></row>', None, None, ""),  # a reference to '&'
    ('<row r="1"><c r="A1" t="inlineStr"><is><t>' + "&#20320;" * 20_001 + '</t></is></c></row>', None, None,
     ""),  # a part of many references (calamine reads it faster)
    ('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', "<si><t>a_x000D_b</t></si>", None, ""),  # _xHHHH_ escape
    ('<row r="1"><c r="A1" s="1"><v>45000</v></c></row>', None,
     '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>', ""),  # a date style
    ('<row r="1"><c r="A1" t="d"><v>2020-01-02T03:04:05</v></c></row>', None, None, ""),  # a date cell
    ('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c><c r="B1"/></row>', None, None,
     '<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>'),  # merged cells
    ('<row r="1"><c r="A1"><v> 7 </v></c></row>', None, None, ""),  # a number calamine keeps as text
    ('<row r="1"><c r="A1" t="inlineStr"><is><t>a\r\nb</t></is></c></row>', None, None, ""),  # a carriage return
    ('<row r="1"><c r="A1" t="inlineStr" cm="1"><is><t>x</t></is></c></row>', None, None, ""),  # another attribute
    ('<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>2</v></c></row>', None, None, ""),  # cells out of order
])
def test_unusual_workbooks_decline_to_calamine(sheet_data: str, shared: str | None, styles: str | None, extra: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    data = workbook(sheet_data, shared, styles, extra)
    assert xlsx_xml.sheets(data) is None
    same(data, monkeypatch)


def test_texts_read_as_calamine_reads_them(monkeypatch: pytest.MonkeyPatch) -> None:
    shared = ('<si><t>  a  </t></si><si><t xml:space="preserve">  b  </t></si><si><r><rPr><b/></rPr><t>x</t></r>'
              '<r><t xml:space="preserve"> y </t></r></si><si><t>課き</t><rPh sb="0" eb="1"><t>カ</t></rPh></si>'
              '<si><t>&amp;&lt;&quot;&apos;&gt;</t></si><si><t/></si>')
    cells = "".join(f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(6))
    data = workbook(f'<row r="1">{cells}<c r="G1" t="b"><v>1</v></c><c r="H1" t="e"><v>#N/A</v></c>'
                    '<c r="I1" t="str"><v>s&amp;t</v></c><c r="J1" t="inlineStr"><is><t>&#20320;&#22909;&#32;&amp;#65;'
                    '&#128512;</t></is></c><c r="AB1"><v>1E+20</v></c></row>', shared)
    assert same(data, monkeypatch)
    assert xlsx_table.read(data, "f.xlsx").tables[0].cells[0][:10] == ["a", "b", "x y", "課き", "&<\"'>", "", "TRUE", "",
                                                                       "s&t", "你好 &#65;😀"]


def test_shared_strings_as_excel_writes_them_take_the_one_slice_path_and_read_the_same(
        monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["序号", "  a  b ", "", "\tx\n", "&amp;&lt;y&gt;", "&#20320;好", "_z_", "é" * 20]
    xml = ('<?xml version="1.0"?>\n<sst xmlns="x" count="8">' +
           "".join(f"<si><t>{t}</t></si>" for t in texts) + "</sst>").encode()
    inner = xlsx_xml._inner(xml, rb"<sst\b[^>]*", b"</sst>")
    assert inner is not None
    assert xlsx_xml._uniform(inner, xlsx_xml._padded(inner), xlsx_xml._find(inner, b"<si>")) is not None
    fast = xlsx_xml._shared_strings(xml)
    monkeypatch.setattr(xlsx_xml, "_uniform", lambda *args: None)
    assert fast.to_pylist() == xlsx_xml._shared_strings(xml).to_pylist() == \
        ["序号", "a  b", "", "x", "&<y>", "你好", "_z_", "é" * 20]


def test_numbers_become_arrow_text_as_cell_text_writes_them() -> None:
    import numpy as np
    import pyarrow as pa

    for values in ([1.0, 2.0, 100000.0, -0.0, -7.0, 2.0 ** 62], [1.5, 3.0], [float("inf"), 1.0], [2.0 ** 63, 4.0],
                   [float("nan")], []):
        array = np.array(values, dtype=np.float64)
        assert xlsx_table._numbers_array(array).equals(pa.array(xlsx_table._numbers_text(array), pa.string()))
    assert xlsx_table._numbers_array(np.array([3.0, -0.0])).to_pylist() == ["3", "0"]
