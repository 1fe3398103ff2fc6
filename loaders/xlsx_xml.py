"""Plain data sheets of an .xlsx read straight from their XML, at once in Arrow (RE2 kernels).

A data sheet as Excel, WPS or openpyxl save it is a flat list of `<c r=".." s=".." t="..">`
elements holding `<v>` values or inline strings, with its texts in `xl/sharedStrings.xml`.
`sheets()` splits that XML into one string per cell, matches every cell against one strict
pattern, looks the shared strings up by index (`take`) and gives each sheet's cells as Arrow
arrays: their rows, their columns, their text and their numbers; xlsx_table renders and
cleans them exactly as it does python-calamine's values.

It reads what calamine would read the same way, or declines (returns None) and the reader
takes calamine: a cell or shared string the pattern does not describe (formulas, other
attributes, comments, CDATA), numeric character references, `_xHHHH_` escapes, carriage
returns, merged cells, error-free but non-numeric `<v>` numbers, date or time styles, date
cells (t="d"), the 1904 date system, sheets that are not worksheets, anything damaged.
"""
from __future__ import annotations

import io
import re
import string
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"

# One cell after its '<c ': r, then s and t in either order (Excel writes r s t, openpyxl r t s),
# then nothing, a <v> value or an inline string, then only row tags and whitespace up to the next.
_CELL = (r'^<c r="[A-Z]{1,3}[1-9][0-9]{0,6}"'
         r'(?: s="[0-9]{1,9}")?(?: t="[a-zA-Z]{1,9}")?(?: s="[0-9]{1,9}")?'
         r'(?:/>|>(?:<v>[^<]*</v>|<is>(?:<t/>|<t(?: xml:space="preserve")?>[^<]*</t>)</is>)?</c>)'
         r'(?:\s|</row>|<row\b[^>]*>)*$')
_ROW_TAGS = r"^(?:\s|</row>|<row\b[^>]*>)*$"
_PLAIN_SI = r'^<si>(?:<t/>|<t(?: xml:space="preserve")?>[^<]*</t>)</si>\s*$'
# A rich-text shared string: runs with empty-element run properties, phonetic runs, which calamine
# leaves out (as Excel shows them), and phonetic properties.
_RICH_SI = (r'^<si>(?:<t(?: xml:space="preserve")?>[^<]*</t>|<t/>'
            r'|<r>(?:<rPr>(?:<[a-zA-Z]+(?: [^<>]*)?/>)*</rPr>)?(?:<t(?: xml:space="preserve")?>[^<]*</t>|<t/>)</r>)*'
            r'(?:<rPh\b[^<>]*><t(?: xml:space="preserve")?>[^<]*</t></rPh>)*(?:<phoneticPr\b[^<>]*/>)?</si>\s*$')
_XML_SPACE = " \t\n"  # what calamine trims from a text not marked xml:space="preserve" (\r is declined)
_NAMED = r"&(?:amp|lt|gt|quot|apos);"  # any other reference (numeric ones included): declined
_ESCAPED = re.compile(rb"_x[0-9A-Fa-f]{4}_")
# Built-in number formats calamine reads as numbers (every other built-in id is a date, time or
# duration to it); a custom format counts as a number only when made of these characters alone.
_NUMBER_FORMATS = frozenset(range(0, 14)) | frozenset(range(23, 27)) | frozenset(range(37, 45)) | \
    frozenset({48, 49}) | frozenset(range(59, 164))
_NUMBER_CODE = re.compile(r'^(?:[0#?.,%;+\- E()]|General)*$')


class Decline(Exception):
    """The workbook holds something this reader does not read as calamine does."""


@dataclass
class SheetCells:
    """One worksheet's cells: 0-based rows and columns, each cell's text (NULL for a number and for
    a cell without a value), and the numbers with the positions of their cells."""
    name: str
    rows: npt.NDArray[np.int64]
    cols: npt.NDArray[np.int64]
    text: pa.Array
    number_at: npt.NDArray[np.intp]
    number: npt.NDArray[np.float64]


def _parts(archive: zipfile.ZipFile) -> tuple[list[tuple[str, str]], str | None, str | None]:
    """[(sheet name, worksheet part)] in the workbook's order, the shared strings and styles parts."""
    book = ET.fromstring(archive.read("xl/workbook.xml"))
    if book.tag != _NS + "workbook":
        raise Decline("namespace")
    props = book.find(_NS + "workbookPr")
    if props is not None and props.get("date1904") not in (None, "0", "false"):
        raise Decline("1904")
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets: dict[str, tuple[str, str]] = {}
    for rel in rels.findall(_PKG_NS + "Relationship"):
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        targets[rel.get("Id", "")] = (rel.get("Type", ""), part)
    names = set(archive.namelist())
    sheets = []
    for sheet in book.findall(f"{_NS}sheets/{_NS}sheet"):
        kind, part = targets.get(sheet.get(_REL_NS + "id", ""), ("", ""))
        if kind != _WORKSHEET or part not in names or "/../" in f"/{part}":
            raise Decline("sheet part")
        sheets.append((sheet.get("name", ""), part))
    found = {kind.rsplit("/", 1)[-1]: part for kind, part in targets.values()}
    strings, styles = found.get("sharedStrings"), found.get("styles")
    for fixed, found_part in (("xl/sharedStrings.xml", strings), ("xl/styles.xml", styles)):
        if (found_part is not None and found_part != fixed) or (found_part is None and fixed in names) or \
                (found_part is not None and found_part not in names):
            raise Decline("part names")
    return sheets, strings, styles


def _number_styles(xml: bytes | None) -> npt.NDArray[np.bool_]:
    """Per cell style (cellXfs index): whether calamine reads a number in it as a plain number."""
    if xml is None:
        return np.ones(1, dtype=bool)
    root = ET.fromstring(xml)
    codes = {f.get("numFmtId", ""): f.get("formatCode", "") for f in root.findall(f"{_NS}numFmts/{_NS}numFmt")}
    plain = []
    for xf in root.findall(f"{_NS}cellXfs/{_NS}xf"):
        key = xf.get("numFmtId", "0")
        number = int(key) if key.isdigit() else -1
        if key in codes:
            plain.append(bool(_NUMBER_CODE.match(codes[key])))
        else:
            plain.append(number in _NUMBER_FORMATS)
    return np.array(plain or [True], dtype=bool)


def _unescape(texts: pa.Array) -> pa.Array:
    """XML's five named references replaced ('&amp;' last); any other reference: Decline."""
    if not len(texts) or not pc.any(pc.match_substring(texts, "&")).as_py():
        return texts
    if pc.any(pc.match_substring(pc.replace_substring_regex(texts, _NAMED, ""), "&")).as_py():
        raise Decline("character reference")
    for name, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        texts = pc.replace_substring(texts, name, char)
    return texts


def _text(raw: pa.Array, keep: npt.NDArray[np.bool_]) -> pa.Array:
    """A `<t>` element's text as calamine reads it: trimmed unless xml:space="preserve", unescaped."""
    if not keep.all():
        raw = pc.if_else(pa.array(keep), raw, pc.utf8_trim(raw, _XML_SPACE))
    return _unescape(raw)


def _clean_xml(xml: bytes) -> None:
    """Decline what the patterns leave to calamine anywhere in a part."""
    if b"\r" in xml or b"<!--" in xml or b"<![CDATA[" in xml or _ESCAPED.search(xml) is not None:
        raise Decline("markup")


def _padded(inner: bytes) -> npt.NDArray[np.uint8]:
    """The bytes of a part with 16 zero bytes after them (no pattern looks past them)."""
    d = np.zeros(len(inner) + 16, dtype=np.uint8)
    d[:len(inner)] = np.frombuffer(inner, dtype=np.uint8)
    return d


def _tags(d: npt.NDArray[np.uint8], lt: npt.NDArray[np.intp], tag: bytes) -> npt.NDArray[np.intp]:
    """Positions of `tag` (which starts with '<') among the positions `lt` of every '<'."""
    at = lt
    for k, byte in enumerate(tag[1:], 1):
        at = at[d[at + k] == byte]
    return at


def _view(inner: bytes, starts: npt.NDArray[np.intp]) -> pa.Array:
    """The pieces of `inner` from each start to the next (the last to the end), without a copy."""
    offsets = np.append(starts, len(inner)).astype(np.int32)
    pieces = pa.Array.from_buffers(pa.string(), len(starts), [None, pa.py_buffer(offsets), pa.py_buffer(inner)])
    pieces.validate(full=True)  # UTF-8
    return pieces


def _gather(d: npt.NDArray[np.uint8], begin: npt.NDArray[np.intp], end: npt.NDArray[np.intp]) -> pa.Array:
    """The strings d[begin[i]:end[i]] as one Arrow string array: string views into `d` written in
    numpy (a view holds a text of up to 12 bytes itself, a longer one its first 4 bytes and
    offset), then one cast in Arrow that copies the bytes. `d` must end with 16 spare bytes."""
    n = len(begin)
    length = (end - begin).astype(np.int32)
    views = np.zeros((n, 4), dtype=np.int32)
    views[:, 0] = length
    raw = views.view(np.uint8).reshape(n, 16)
    short = length <= 12
    for k in range(12):
        byte = d[begin + k]
        raw[:, 4 + k] = np.where((k < length) & short if k >= 4 else (k < length) | ~short, byte, 0)
    long = np.flatnonzero(~short)
    views[long, 2] = 0
    views[long, 3] = begin[long]
    return pa.Array.from_buffers(pa.string_view(), n, [None, pa.py_buffer(views), pa.py_buffer(d)]).cast(pa.string())


def _after(positions: npt.NDArray[np.intp], at: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    """For each of `at`, the first of the sorted `positions` at or after it."""
    return positions[np.minimum(np.searchsorted(positions, at), len(positions) - 1)]


def _inner(xml: bytes, open_tag: bytes, close_tag: bytes) -> bytes | None:
    """The content of the one element `open_tag` (a regex) .. `close_tag`, None if it is empty."""
    start, end = re.search(open_tag + rb"\s*>", xml), xml.rfind(close_tag)
    if start is None or end < start.end():
        if re.search(open_tag + rb"\s*/>", xml):
            return None
        raise Decline("element")
    return xml[start.end():end]


def _shared_strings(xml: bytes | None) -> pa.Array:
    if xml is None:
        return pa.array([], pa.string())
    _clean_xml(xml)
    inner = _inner(xml, rb"<sst\b[^>]*", b"</sst>")
    if inner is None:
        return pa.array([], pa.string())
    d = _padded(inner)
    lt, gt = np.flatnonzero(d == 0x3C), np.flatnonzero(d == 0x3E)
    starts = _tags(d, lt, b"<si>")
    if inner[:starts[0] if len(starts) else len(inner)].strip():
        raise Decline("sst head")
    if not len(starts):
        return pa.array([], pa.string())
    items = _view(inner, starts)
    plain = pc.match_substring_regex(items, _PLAIN_SI).to_numpy(zero_copy_only=False)
    t_open = _after(gt, starts + 4)  # the '>' of <t>, <t xml:space="preserve"> or <t/>
    empty = d[t_open - 1] == 0x2F
    begin = t_open + 1
    end = np.where(empty, begin, _after(lt, begin))
    texts = _text(_gather(d, np.where(plain, begin, 0), np.where(plain, end, 0)), (t_open - starts > 6) | empty)
    rich = np.flatnonzero(~plain)
    if not len(rich):
        return texts
    runs = items.take(pa.array(rich))
    if not pc.all(pc.match_substring_regex(runs, _RICH_SI)).as_py():
        raise Decline("shared string")
    runs = pc.replace_substring_regex(runs, r'<rPh\b[^<>]*><t(?: xml:space="preserve")?>[^<]*</t></rPh>', "")
    runs = pc.replace_substring_regex(runs, r"<rPr>(?:<[^<>]*/>)*</rPr>", "")
    runs = pc.replace_substring_regex(runs, r"<t>[ \t\n]*([^<]*?)[ \t\n]*</t>", r"\1")
    runs = pc.replace_substring_regex(runs, r'<t xml:space="preserve">([^<]*)</t>', r"\1")
    runs = pc.replace_substring_regex(runs, r"<si>|<t/>|</?r>|<phoneticPr\b[^<>]*/>|</si>\s*$", "")
    mask = np.zeros(len(items), dtype=bool)
    mask[rich] = True
    return pc.replace_with_mask(texts, pa.array(mask), _unescape(runs))


def _references(refs: pa.Array) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """0-based (rows, columns) of cell references ('A1', already validated: 1–3 letters, then
    1–7 digits): the digits cast at once, each distinct column's letters converted once."""
    rows = pc.cast(pc.utf8_ltrim(refs, string.ascii_uppercase), pa.int64()).to_numpy() - 1
    letters = pc.dictionary_encode(pc.utf8_rtrim(refs, string.digits))
    numbers = []
    for text in letters.dictionary.to_pylist():
        n = 0
        for ch in text:
            n = n * 26 + ord(ch) - 64
        numbers.append(n - 1)
    return rows, np.asarray(numbers, dtype=np.int64)[letters.indices.to_numpy(zero_copy_only=False)]


_ATTRS = re.compile(r'^(?: s="(?P<s1>[0-9]{1,9})")?(?: t="(?P<t>[a-zA-Z]{1,9})")?(?: s="(?P<s2>[0-9]{1,9})")?/?$')


def _sheet(name: str, xml: bytes, strings: pa.Array, plain_styles: npt.NDArray[np.bool_]) -> SheetCells:
    _clean_xml(xml)
    if b"<mergeCell" in xml:
        raise Decline("merged cells")
    inner = _inner(xml, rb"<sheetData", b"</sheetData>")
    none = np.zeros(0, dtype=np.int64)
    if inner is None:
        return SheetCells(name, none, none, pa.array([], pa.string()), none, np.zeros(0))
    if b"<sheetData" in inner:
        raise Decline("sheetData")
    d = _padded(inner)
    lt, gt, quote = np.flatnonzero(d == 0x3C), np.flatnonzero(d == 0x3E), np.flatnonzero(d == 0x22)
    starts = _tags(d, lt, b"<c ")
    if not re.match(_ROW_TAGS, inner[:starts[0] if len(starts) else len(inner)].decode("ascii", "replace")):
        raise Decline("row")
    if not len(starts):
        return SheetCells(name, none, none, pa.array([], pa.string()), none, np.zeros(0))
    if not pc.all(pc.match_substring_regex(_view(inner, starts), _CELL)).as_py():
        raise Decline("cell")
    # Every cell now reads <c r="A1"[ s=".."][ t=".."][ s=".."](/>|>[<v>..</v>|<is><t..>..</t></is>]</c>).
    ref_end = _after(quote, starts + 6)
    rows, cols = _references(_gather(d, starts + 6, ref_end))
    if len(rows) > 1 and not (np.diff(rows * 20_000 + cols) > 0).all():  # in reading order, each cell once
        raise Decline("cell order")
    tag_end = _after(gt, starts)
    closed = d[tag_end - 1] == 0x2F
    attrs = pc.dictionary_encode(_gather(d, ref_end + 1, tag_end))
    kinds, styles = [], []
    for text in attrs.dictionary.to_pylist():
        m = _ATTRS.match(text)
        if m is None or (m["s1"] and m["s2"]):
            raise Decline("attributes")
        kinds.append(m["t"] or "n")
        styles.append(int(m["s1"] or m["s2"] or 0))
    codes = attrs.indices.to_numpy(zero_copy_only=False)
    kind_names = sorted(set(kinds))
    if not set(kind_names) <= {"n", "s", "b", "e", "str", "inlineStr"}:
        raise Decline("cell type")
    kind = np.asarray([kind_names.index(k) for k in kinds], dtype=np.int64)[codes]
    style = np.asarray(styles, dtype=np.int64)[codes]
    closed |= ~closed & (d[np.minimum(tag_end + 2, len(d) - 1)] == 0x2F)  # <c ...></c>
    has_v = ~closed & (d[np.minimum(tag_end + 2, len(d) - 1)] == 0x76)  # <v>
    has_inline = ~closed & ~has_v
    value_begin = np.where(has_v, tag_end + 4, 0)
    t_open = _after(gt, tag_end + 5)  # the '>' of the inline string's <t ...>
    value_begin = np.where(has_inline, t_open + 1, value_begin)
    value_end = np.where(has_v | has_inline, _after(lt, value_begin), 0)

    def of(kind_name: str) -> npt.NDArray[np.intp]:
        return np.flatnonzero(kind == kind_names.index(kind_name)) if kind_name in kind_names else none

    inline = of("inlineStr")
    if has_v[inline].any() or has_inline.sum() != has_inline[inline].sum():  # <is> only in inline strings
        raise Decline("inline string")
    inline = inline[has_inline[inline]]
    number_at = of("n")
    number_at = number_at[has_v[number_at]]
    number = np.zeros(0)
    if len(number_at):
        if (style[number_at] >= len(plain_styles)).any() or not plain_styles[style[number_at]].all():
            raise Decline("number style")
        try:
            number = pc.cast(_gather(d, value_begin[number_at], value_end[number_at]), pa.float64()).to_numpy()
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            raise Decline("number") from None
    parts: list[tuple[npt.NDArray[np.intp], pa.Array]] = []
    shared = of("s")
    shared = shared[has_v[shared]]
    if len(shared):
        try:
            index = pc.cast(_gather(d, value_begin[shared], value_end[shared]), pa.int64())
        except pa.ArrowInvalid:
            raise Decline("shared string index") from None
        if pc.min(index).as_py() < 0 or pc.max(index).as_py() >= len(strings):
            raise Decline("shared string index")
        parts.append((shared, strings.take(index)))
    flags = of("b")
    flags = flags[has_v[flags]]
    if len(flags):
        values = _gather(d, value_begin[flags], value_end[flags])
        if not pc.all(pc.is_in(values, pa.array(["0", "1"]))).as_py():
            raise Decline("boolean")
        parts.append((flags, pc.if_else(pc.equal(values, "1"), "TRUE", "FALSE")))
    texts = of("str")
    texts = texts[has_v[texts]]
    if len(texts):
        parts.append((texts, _text(_gather(d, value_begin[texts], value_end[texts]), np.zeros(len(texts), bool))))
    if len(inline):
        keep = t_open[inline] - tag_end[inline] > 7  # <t xml:space="preserve"> rather than <t>
        parts.append((inline, _text(_gather(d, value_begin[inline], value_end[inline]), keep)))
    which = np.full(len(starts), -1, dtype=np.int64)  # each cell's text among the parts' (-1: none)
    done = 0
    for at, _ in parts:
        which[at] = done + np.arange(len(at))
        done += len(at)
    values = pa.concat_arrays([v.cast(pa.string()) for _, v in parts]) if parts else pa.array([], pa.string())
    text = values.take(pa.array(which, mask=which < 0))
    return SheetCells(name, rows, cols, text, number_at, number)


def sheets(data: bytes) -> list[SheetCells] | None:
    """Every worksheet's cells in the workbook's order, or None: read it with calamine."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts, strings_part, styles_part = _parts(archive)
            strings = _shared_strings(archive.read(strings_part) if strings_part else None)
            plain_styles = _number_styles(archive.read(styles_part) if styles_part else None)
            return [_sheet(name, archive.read(part), strings, plain_styles) for name, part in parts]
    except (Decline, KeyError, ET.ParseError, zipfile.BadZipFile, pa.ArrowException, ValueError):
        return None
