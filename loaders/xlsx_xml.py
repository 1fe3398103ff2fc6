"""Plain data sheets of an .xlsx read straight from their XML, at once in Arrow and numpy.

A data sheet as Excel, WPS or openpyxl save it is a flat list of `<c r=".." s=".." t="..">`
elements holding `<v>` values or inline strings, with its texts in `xl/sharedStrings.xml`.
`sheets()` checks the whole of `<sheetData>` against one strict RE2 pattern (one DFA pass),
then reads every cell's reference, type, style and value at fixed places on the bytes (numpy
steps over all cells at once) and gives each sheet's cells by where their text comes from:
shared-string indexes, other texts, numbers; xlsx_table renders and cleans them exactly as it
does python-calamine's values (each shared string cleaned once).

It reads what calamine would read the same way, or declines (returns None) and the reader
takes calamine: anything the patterns do not describe (formulas, other attributes or elements,
comments, CDATA), hexadecimal or unknown references, a part of more than MAX_REFERENCES
decimal ones, `_xHHHH_` escapes, carriage returns, merged cells, `<v>` numbers calamine keeps as
text, date or time styles, date cells (t="d"), the 1904 date system, sheets that are not
worksheets, anything damaged.

`inspect` is everything of an xlsx read that needs neither pandas nor calamine (the limits, the
formula and hyperlink search, `sheets`): `readers.begin` runs it on a thread while the CLI
imports the rest.
"""
from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import PurePosixPath

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from loaders import limits

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"

# One cell after its '<c ': r, then s and t in either order (Excel writes r s t, openpyxl r t s),
# then nothing, a <v> value or an inline string, then only row tags and whitespace up to the next.
# A cell's text holds no carriage return and no '_x' (so no _xHHHH_ escape, which calamine decodes).
_TEXT = r"(?:[^<\r_]|_+[^<\r_x])*_*"
_CELL = (r'<c r="[A-Z]{1,3}[1-9][0-9]{0,6}"'
         r'(?:(?: s="[0-9]{1,9}")?(?: t="[a-zA-Z]{1,9}")?| t="[a-zA-Z]{1,9}" s="[0-9]{1,9}")'
         r'(?:/>|>(?:<v>' + _TEXT + r'</v>|<is>(?:<t/>|<t(?: xml:space="preserve")?>' + _TEXT + r'</t>)</is>)?</c>)')
# The whole of <sheetData>: cells, row tags and whitespace only (one RE2 DFA pass over the part).
_SHEET_DATA = r"^(?:[ \t\n]|</row>|<row\b[^>]*>|" + _CELL + r")*$"
_ALL_PLAIN_SI = r'^(?:\s|<si>(?:<t/>|<t(?: xml:space="preserve")?>[^<]*</t>)</si>)*$'
_PLAIN_SI = r'^<si>(?:<t/>|<t(?: xml:space="preserve")?>[^<]*</t>)</si>\s*$'
# A rich-text shared string: runs with empty-element run properties, phonetic runs, which calamine
# leaves out (as Excel shows them), and phonetic properties.
_RICH_SI = (r'^<si>(?:<t(?: xml:space="preserve")?>[^<]*</t>|<t/>'
            r'|<r>(?:<rPr>(?:<[a-zA-Z]+(?: [^<>]*)?/>)*</rPr>)?(?:<t(?: xml:space="preserve")?>[^<]*</t>|<t/>)</r>)*'
            r'(?:<rPh\b[^<>]*><t(?: xml:space="preserve")?>[^<]*</t></rPh>)*(?:<phoneticPr\b[^<>]*/>)?</si>\s*$')
_XML_SPACE = " \t\n"  # what calamine trims from a text not marked xml:space="preserve" (\r is declined)
_REFERENCE = r"&(?:amp|lt|gt|quot|apos|#[0-9]{1,7});"  # any other reference (hexadecimal ones included): declined
_ESCAPED = re.compile(rb"_x[0-9A-Fa-f]{4}_")
# Built-in number formats calamine reads as numbers (every other built-in id is a date, time or
# duration to it); a custom format counts as a number only when made of these characters alone.
_NUMBER_FORMATS = frozenset(range(0, 14)) | frozenset(range(23, 27)) | frozenset(range(37, 45)) | \
    frozenset({48, 49}) | frozenset(range(59, 164))
_NUMBER_CODE = re.compile(r'^(?:[0#?.,%;+\- E()]|General)*$')


# pyarrow asks its pandas shim before it converts numpy or Python values (`pa.array`, `to_numpy`,
# a Python scalar as a kernel's argument), and the shim imports pandas: this reader runs while the
# CLI imports pandas (`readers.begin`) and would wait for that import at its first such call.
# Its arrays go between numpy and Arrow by their buffers instead.
_NO_TEXT = pa.nulls(0, pa.string())


def _bool_array(mask: npt.NDArray[np.bool_]) -> pa.Array:
    """`pa.array(mask)` from its bits."""
    return pa.Array.from_buffers(pa.bool_(), len(mask), [None, pa.py_buffer(np.packbits(mask, bitorder="little"))])


def _index_array(at: npt.NDArray[np.intp]) -> pa.Array:
    """`pa.array(at)` as int64, from its buffer."""
    return pa.Array.from_buffers(pa.int64(), len(at), [None, pa.py_buffer(np.ascontiguousarray(at, dtype=np.int64))])


def _numpy_bools(array: pa.Array) -> npt.NDArray[np.bool_]:
    """`array.to_numpy(zero_copy_only=False)` of a boolean array without nulls, from its bits."""
    if array.null_count or not len(array):
        converted: npt.NDArray[np.bool_] = array.to_numpy(zero_copy_only=False)
        return converted
    bits = np.frombuffer(array.buffers()[1], dtype=np.uint8)
    return np.unpackbits(bits, count=array.offset + len(array), bitorder="little")[array.offset:].astype(bool)


class Decline(Exception):
    """The workbook holds something this reader does not read as calamine does."""


@dataclass
class SheetCells:
    """One worksheet's cells with a value, by where their text comes from: 0-based rows and
    columns of each group, the shared strings' indexes, the other texts (inline strings, formula
    results, booleans) as they read before cleaning, the numbers."""
    name: str
    shared: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]  # rows, cols, index
    texts: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], pa.Array]
    numbers: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]


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


def _decimal_references(texts: pa.Array) -> pa.Array:
    """Decimal character references (&#20320;, as openpyxl writes every non-ASCII character) as
    their UTF-8 bytes, on the texts' bytes at once: each reference's first bytes take the
    character, the rest are dropped. Declines a reference to '&', a control character, a
    surrogate or nothing (and a hexadecimal one: `_unescape` finds it left over)."""
    texts = pc.cast(texts, pa.string()).combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts
    texts = pa.concat_arrays([texts]) if texts.offset else texts
    offsets = np.frombuffer(texts.buffers()[1], dtype=np.int32, count=len(texts) + 1).astype(np.int64)
    size = int(offsets[-1] - offsets[0])
    d = np.zeros(size + 16, dtype=np.uint8)
    d[:size] = np.frombuffer(texts.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
    offsets -= offsets[0]
    amp = np.flatnonzero(d[:size] == 0x26)
    amp = amp[(d[amp + 1] == 0x23) & (d[amp + 2] >= 0x30) & (d[amp + 2] <= 0x39)]
    if not len(amp):
        return texts
    semi = _until(d, amp + 2, 0x3B, 9)
    # the reference must end before its text does
    cell_end = offsets[np.searchsorted(offsets, amp, side="right")]
    if (semi >= cell_end).any():
        raise Decline("character reference")
    for k in range(int((semi - amp - 2).max())):
        c = d[amp + 2 + k]
        if ((amp + 2 + k < semi) & ((c < 0x30) | (c > 0x39))).any():
            raise Decline("character reference")
    cp = _value(d, amp + 2, semi, 10, 0x30)
    if ((cp < 0x20) & (cp != 0x09) & (cp != 0x0A)).any() or (cp == 0x26).any() or \
            ((cp >= 0xD800) & (cp <= 0xDFFF)).any() or (cp > 0x10FFFF).any() or (cp == 0xFFFE).any() or \
            (cp == 0xFFFF).any():
        raise Decline("character reference")
    length = 1 + (cp >= 0x80) + (cp >= 0x800) + (cp >= 0x10000)
    first = np.select([length == 1, length == 2, length == 3], [cp, 0xC0 | (cp >> 6), 0xE0 | (cp >> 12)],
                      0xF0 | (cp >> 18))
    d[amp] = first
    for k in range(1, 4):  # continuation bytes, from the most significant
        at = np.flatnonzero(length > k)
        d[amp[at] + k] = 0x80 | ((cp[at] >> (6 * (length[at] - 1 - k))) & 0x3F)
    delta = np.zeros(size + 1, dtype=np.int8)
    delta[amp + length] += 1
    delta[semi + 1] -= 1
    keep = np.cumsum(delta[:size], dtype=np.int8) == 0
    dropped = np.concatenate([[0], np.cumsum(semi + 1 - amp - length)])
    shift = dropped[np.searchsorted(amp, offsets, side="left")]
    new_offsets = (offsets - shift).astype(np.int32)
    return pa.Array.from_buffers(pa.string(), len(texts), [None, pa.py_buffer(new_offsets), pa.py_buffer(d[:size][keep])])


# A part written with a character reference per character (openpyxl's inline strings: 57 MB for a
# 100k-row ledger) reads faster through calamine than through `_decimal_references`.
MAX_REFERENCES = 20_000


def _few_references(xml: bytes) -> None:
    # (a part without any '&' is told by one memchr, 25x faster than counting the pairs)
    if b"&" in xml and xml.count(b"&#") > MAX_REFERENCES:
        raise Decline("many character references")


def _unescape(texts: pa.Array) -> pa.Array:
    """Decimal character references decoded, then XML's five named references replaced ('&amp;'
    last); any other reference: Decline."""
    data = texts.buffers()[2]  # (all of it, perhaps more than the texts: a '&' there only costs the test)
    if not len(texts) or data is None or not (np.frombuffer(data, dtype=np.uint8) == 0x26).any():
        return texts
    if texts.null_count:
        raise Decline("null text")
    if pc.any(pc.match_substring(pc.replace_substring_regex(texts, _REFERENCE, ""), "&")).as_py():
        raise Decline("character reference")  # (a bare '&', a hexadecimal or unknown reference)
    texts = _decimal_references(texts)
    for name, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        texts = pc.replace_substring(texts, name, char)
    return texts


def _edges(d: npt.NDArray[np.uint8], begin: npt.NDArray[np.intp], end: npt.NDArray[np.intp]) -> npt.NDArray[np.bool_]:
    """Whether each text d[begin:end] starts or ends with a space, tab or line feed."""
    first, last = d[begin], d[np.maximum(end - 1, 0)]
    edges: npt.NDArray[np.bool_] = (end > begin) & ((first == 0x20) | (first == 0x09) | (first == 0x0A) |
                                                    (last == 0x20) | (last == 0x09) | (last == 0x0A))
    return edges


def _text(raw: pa.Array, keep: npt.NDArray[np.bool_], edges: npt.NDArray[np.bool_]) -> pa.Array:
    """A `<t>` element's text as calamine reads it: trimmed unless xml:space="preserve" (`edges`:
    which texts have anything to trim), unescaped."""
    texts = _unescape(raw)  # (calamine trims the text with its references decoded: '&#32;a' reads 'a')
    if (texts is not raw or (edges & ~keep).any()) and not keep.all():
        texts = pc.if_else(_bool_array(keep), texts, pc.utf8_trim(texts, _XML_SPACE))
    return texts


def _clean_xml(xml: bytes) -> None:
    """Decline what the patterns leave to calamine anywhere in a part."""
    if b"\r" in xml or b"<!--" in xml or b"<![CDATA[" in xml or (b"_x" in xml and _ESCAPED.search(xml) is not None):
        raise Decline("markup")


def _padded(inner: bytes | memoryview) -> npt.NDArray[np.uint8]:
    """The bytes of a part with 80 zero bytes after them (no step looks further past its end)."""
    d = np.zeros(len(inner) + 80, dtype=np.uint8)
    d[:len(inner)] = np.frombuffer(inner, dtype=np.uint8)
    return d


def _find(inner: bytes | memoryview, word: bytes) -> npt.NDArray[np.intp]:
    """Sorted positions of the 4 bytes `word` in `inner`: the bytes read as 32-bit words at each
    of the four alignments, compared at once (no array as long as the part's '<'s)."""
    assert len(word) == 4
    key = np.frombuffer(word, dtype="<u4")[0]
    found = []
    for shift in range(4):
        words = (len(inner) - shift) // 4
        if words > 0:
            at = np.flatnonzero(np.frombuffer(inner, dtype="<u4", count=words, offset=shift) == key)
            found.append(at * 4 + shift)
    return np.sort(np.concatenate(found)) if found else np.zeros(0, dtype=np.intp)


def _until(d: npt.NDArray[np.uint8], begin: npt.NDArray[np.intp], byte: int, longest: int = 64) -> npt.NDArray[np.intp]:
    """For each of `begin`, the first position at or after it holding `byte`, found within
    `longest` bytes (else Decline): one step per byte for those not yet found."""
    end = begin.copy()
    at, pos = np.arange(len(begin)), begin.copy()
    for _ in range(longest):
        if not len(at):
            return end
        hit = d[pos] == byte
        end[at[hit]] = pos[hit]
        at, pos = at[~hit], pos[~hit] + 1
    if len(at):
        raise Decline("too long")
    return end


def _matches(inner: bytes | memoryview, pattern: str) -> bool:
    """Whether the whole of `inner` (valid UTF-8, else Decline) matches `pattern` (RE2)."""
    whole = pa.Array.from_buffers(pa.string(), 1, [None, pa.py_buffer(np.array([0, len(inner)], np.int32)),
                                                   pa.py_buffer(inner)])
    try:
        whole.validate(full=True)  # UTF-8
    except pa.ArrowInvalid:
        raise Decline("encoding") from None
    return bool(pc.match_substring_regex(whole, pattern)[0].as_py())


def _view(inner: bytes | memoryview, starts: npt.NDArray[np.intp]) -> pa.Array:
    """The pieces of `inner` from each start to the next (the last to the end), without a copy."""
    offsets = np.append(starts, len(inner)).astype(np.int32)
    return pa.Array.from_buffers(pa.string(), len(starts), [None, pa.py_buffer(offsets), pa.py_buffer(inner)])


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


def _inner(xml: bytes, open_tag: bytes, close_tag: bytes) -> memoryview | None:
    """The content of the one element `open_tag` (a regex) .. `close_tag`, None if it is empty: a
    view of `xml`, not a copy (a 100k-row ledger's sheet is 24 MB, its shared strings 13 MB)."""
    start, end = re.search(open_tag + rb"\s*>", xml), xml.rfind(close_tag)
    if start is None or end < start.end():
        if re.search(open_tag + rb"\s*/>", xml):
            return None
        raise Decline("element")
    return memoryview(xml)[start.end():end]


def _stripped_end(inner: memoryview) -> int:
    """len(bytes(inner).rstrip()), copying only the last few KiB."""
    end = len(inner)
    while end:
        tail = bytes(inner[max(0, end - 4096):end])
        kept = len(tail.rstrip())
        if kept:
            return end - len(tail) + kept
        end -= len(tail)
    return 0


_UNIFORM_GAP = b"</t></si><si><t>"


def _uniform(inner: memoryview, d: npt.NDArray[np.uint8], starts: npt.NDArray[np.intp]) -> pa.Array | None:
    """The texts of shared strings that are all `<si><t>text</t></si>` one after the other (as Excel
    writes them), None otherwise: strings over the bytes from one text to the next without a
    copy, less the 16 bytes of tags between them (one slicing kernel)."""
    end = _stripped_end(inner)
    if not (d[starts + 6] == 0x3E).all() or bytes(inner[max(end - 9, 0):end]) != _UNIFORM_GAP[:9]:  # <si><t>
        return None
    ends = np.append(starts[1:] + 7, end + 7)  # where the next text begins (the last one's: in the padding)
    for k, byte in enumerate(_UNIFORM_GAP):
        if not (d[ends - 16 + k] == byte)[:-1].all() or (k < 9 and d[end - 9 + k] != byte):
            return None
    begin = starts + 7
    offsets = np.append(begin, end + 7).astype(np.int32)
    spans = pa.Array.from_buffers(pa.string(), len(starts), [None, pa.py_buffer(offsets), pa.py_buffer(d)])
    texts = pc.utf8_slice_codeunits(spans, 0, -16)
    return _text(texts, np.zeros(len(starts), dtype=bool), _edges(d, begin, ends - 16))


def _shared_strings(xml: bytes | None) -> pa.Array:
    if xml is None:
        return _NO_TEXT
    _few_references(xml)
    if b"\r" in xml or (b"_x" in xml and _ESCAPED.search(xml) is not None):  # (comments, CDATA: no match)
        raise Decline("markup")
    inner = _inner(xml, rb"<sst\b[^>]*", b"</sst>")
    if inner is None:
        return _NO_TEXT
    d = _padded(inner)
    starts = _find(inner, b"<si>")
    if bytes(inner[:starts[0] if len(starts) else len(inner)]).strip():
        raise Decline("sst head")
    if not len(starts):
        return _NO_TEXT
    all_plain = _matches(inner, _ALL_PLAIN_SI)
    if all_plain:
        texts = _uniform(inner, d, starts)
        if texts is not None:
            return texts
    lt, gt = np.flatnonzero(d == 0x3C), np.flatnonzero(d == 0x3E)
    items = _view(inner, starts)
    if all_plain:
        plain = np.ones(len(starts), dtype=bool)
    else:
        _clean_xml(xml)
        plain = _numpy_bools(pc.match_substring_regex(items, _PLAIN_SI))
    t_open = _after(gt, starts + 4)  # the '>' of <t>, <t xml:space="preserve"> or <t/>
    empty = d[t_open - 1] == 0x2F
    begin = t_open + 1
    end = np.where(empty, begin, _after(lt, begin))
    begin, end = np.where(plain, begin, 0), np.where(plain, end, 0)
    texts = _text(_gather(d, begin, end), (t_open - starts > 6) | empty, _edges(d, begin, end))
    rich = np.flatnonzero(~plain)
    if not len(rich):
        return texts
    runs = items.take(_index_array(rich))
    if not pc.all(pc.match_substring_regex(runs, _RICH_SI)).as_py() or pc.any(pc.match_substring(runs, "&#")).as_py():
        raise Decline("shared string")
    runs = pc.replace_substring_regex(runs, r'<rPh\b[^<>]*><t(?: xml:space="preserve")?>[^<]*</t></rPh>', "")
    runs = pc.replace_substring_regex(runs, r"<rPr>(?:<[^<>]*/>)*</rPr>", "")
    runs = pc.replace_substring_regex(runs, r"<t>[ \t\n]*([^<]*?)[ \t\n]*</t>", r"\1")
    runs = pc.replace_substring_regex(runs, r'<t xml:space="preserve">([^<]*)</t>', r"\1")
    runs = pc.replace_substring_regex(runs, r"<si>|<t/>|</?r>|<phoneticPr\b[^<>]*/>|</si>\s*$", "")
    mask = np.zeros(len(items), dtype=bool)
    mask[rich] = True
    return pc.replace_with_mask(texts, _bool_array(mask), _unescape(runs))


def _references(d: npt.NDArray[np.uint8], begin: npt.NDArray[np.intp]) -> tuple[
        npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.intp]]:
    """0-based (rows, columns) of the cell references starting at `begin` (validated: 1–3 letters,
    1–7 digits, a quote), and where each ends (its quote): a step per letter and per digit, for
    all cells at once."""
    c0, c1, c2 = d[begin], d[begin + 1], d[begin + 2]
    two = c1 >= 0x41
    three = two & (c2 >= 0x41)
    cols = c0.astype(np.int32) - 0x40
    cols = np.where(two, cols * 26 + c1.astype(np.int32) - 0x40, cols)
    cols = np.where(three, cols * 26 + c2.astype(np.int32) - 0x40, cols)
    at = begin + 1 + two + three
    rows = np.zeros(len(begin), dtype=np.int32)
    end = at.copy()
    live = np.ones(len(begin), dtype=bool)
    for k in range(8):
        c = d[at + k]
        live &= c != 0x22
        if not live.any():
            break
        rows = np.where(live, rows * 10 + c.astype(np.int32) - 0x30, rows)
        end += live
    return rows.astype(np.int64) - 1, cols.astype(np.int64) - 1, end


def _digits(d: npt.NDArray[np.uint8], begin: npt.NDArray[np.intp]) -> npt.NDArray[np.int64]:
    """The unsigned integers written from `begin` up to the next '<' (1–15 digits each, else
    Decline): one step per digit, for all at once."""
    out = np.zeros(len(begin), dtype=np.int64)
    live = np.ones(len(begin), dtype=bool)
    for k in range(16):
        c = d[begin + k]
        digit = live & (c >= 0x30) & (c <= 0x39)
        if k == 0 and not digit.all():
            raise Decline("integer")
        stop = live & ~digit
        if (stop & (c != 0x3C)).any():
            raise Decline("integer")
        live = digit
        if not live.any():
            return out
        out = np.where(digit, out * 10 + c.astype(np.int64) - 0x30, out)
    raise Decline("integer")


def _type_key(name: str) -> int:
    key = 0
    for ch in name:
        key = key * 64 + ord(ch) - 0x40
    return key


_TYPES = {_type_key(t): t for t in ("n", "s", "b", "e", "str", "inlineStr")}  # others (t="d"): Decline


def _value(d: npt.NDArray[np.uint8], begin: npt.NDArray[np.intp], end: npt.NDArray[np.intp],
           base: int, zero: int) -> npt.NDArray[np.int64]:
    """The bytes d[begin:end] (at most 9) read as digits in `base` counted from `zero`."""
    out = np.zeros(len(begin), dtype=np.int64)
    for k in range(int((end - begin).max()) if len(begin) else 0):
        inside = begin + k < end
        out = np.where(inside, out * base + d[begin + k].astype(np.int64) - zero, out)
    return out


def _attributes(d: npt.NDArray[np.uint8], begin: npt.NDArray[np.intp]) -> tuple[
        npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.intp]]:
    """(type key, style, end of the start tag) of each cell from its attributes after r, which
    start at `begin` (validated: nothing, s="digits", t="letters" or both, then > or />): the
    type's letters as `_type_key` (0 when absent), the style's digits (0 when absent)."""
    n = len(begin)
    style = np.zeros(n, dtype=np.int64)
    key = np.zeros(n, dtype=np.int64)
    pos = begin.copy()
    for _ in range(2):  # at most two attributes: ' s="…"', ' t="…"'
        at = np.flatnonzero(d[pos] == 0x20)
        if not len(at):
            break
        name = d[pos[at] + 1]
        value = pos[at] + 4
        end = _until(d, value, 0x22, 12)
        is_style = name == 0x73
        style[at[is_style]] = _value(d, value[is_style], end[is_style], 10, 0x30)
        key[at[~is_style]] = _value(d, value[~is_style], end[~is_style], 64, 0x40)
        pos[at] = end + 1
    return key, style, pos + (d[pos] == 0x2F)


def _sheet(name: str, xml: bytes, plain_styles: npt.NDArray[np.bool_]) -> SheetCells:
    _few_references(xml)
    inner = _inner(xml, rb"<sheetData", b"</sheetData>")
    none = np.zeros(0, dtype=np.int64)
    empty = SheetCells(name, (none, none, none), (none, none, _NO_TEXT), (none, none, np.zeros(0)))
    head = xml.find(b"<sheetData")
    if b"<mergeCell" in xml[:head] or b"<mergeCell" in xml[head + len(inner or b""):]:  # (not in a matched inner)
        raise Decline("merged cells")
    if inner is None:
        return empty
    if not _matches(inner, _SHEET_DATA):  # (comments, CDATA, other elements, \r, _xHHHH_: no match)
        raise Decline("cell")
    d = _padded(inner)
    starts = _find(inner, b'<c r')  # (no text holds a '<': each is a cell's start)
    if not len(starts):
        return empty
    # Every cell now reads <c r="A1"[ s=".."][ t=".."](/>|>[<v>..</v>|<is><t..>..</t></is>]</c>).
    rows, cols, ref_end = _references(d, starts + 6)
    if len(rows) > 1 and not (np.diff(rows * 20_000 + cols) > 0).all():  # in reading order, each cell once
        raise Decline("cell order")
    key, style, tag_end = _attributes(d, ref_end + 1)
    if not np.isin(key, [0, *_TYPES]).all():
        raise Decline("cell type")
    kinds = {k for k in (0, *_TYPES) if (key == k).any()}
    closed = (d[tag_end - 1] == 0x2F) | (d[tag_end + 2] == 0x2F)  # <c .../> or <c ...></c>
    has_v = ~closed & (d[tag_end + 2] == 0x76)  # <v>
    has_inline = ~closed & ~has_v  # <is>

    def of(kind_name: str) -> npt.NDArray[np.intp]:
        return np.flatnonzero(key == _type_key(kind_name)) if _type_key(kind_name) in kinds else none

    inline = of("inlineStr")
    if has_v[inline].any() or has_inline.sum() != has_inline[inline].sum():  # <is> only in inline strings
        raise Decline("inline string")
    inline = inline[has_inline[inline]]
    valued = np.flatnonzero(has_v)
    value_begin = np.zeros(len(starts), dtype=np.intp)
    value_end = np.zeros(len(starts), dtype=np.intp)
    value_begin[valued] = tag_end[valued] + 4
    t_open = _after(np.flatnonzero(d == 0x3E), tag_end[inline] + 5) if len(inline) else none  # '>' of <t ...>
    value_begin[inline] = t_open + 1
    short = valued[key[valued] != _type_key("s")]  # numbers, booleans, formula results
    value_end[short] = _until(d, value_begin[short], 0x3C, 1 << 20)
    if len(inline):
        value_end[inline] = _after(np.flatnonzero(d == 0x3C), value_begin[inline])
    value_end[inline] = np.where(d[t_open - 1] == 0x2F, t_open + 1, value_end[inline])  # <t/>

    numbers_at = np.concatenate([np.flatnonzero(key == 0), of("n")])
    numbers_at = np.sort(numbers_at[has_v[numbers_at]])
    number = np.zeros(0)
    if len(numbers_at):
        if (style[numbers_at] >= len(plain_styles)).any() or not plain_styles[style[numbers_at]].all():
            raise Decline("number style")
        try:
            values = pc.cast(_gather(d, value_begin[numbers_at], value_end[numbers_at]), pa.float64())
            number = np.frombuffer(values.buffers()[1], dtype=np.float64, count=len(values), offset=values.offset * 8)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            raise Decline("number") from None
    shared = of("s")
    shared = shared[has_v[shared]]
    index = _digits(d, value_begin[shared])
    parts: list[tuple[npt.NDArray[np.intp], pa.Array]] = []
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
        begin, end = value_begin[texts], value_end[texts]
        parts.append((texts, _text(_gather(d, begin, end), np.zeros(len(texts), bool), _edges(d, begin, end))))
    if len(inline):
        keep = t_open - tag_end[inline] > 7  # <t xml:space="preserve"> (or <t/>) rather than <t>
        begin, end = value_begin[inline], value_end[inline]
        parts.append((inline, _text(_gather(d, begin, end), keep, _edges(d, begin, end))))
    at = np.concatenate([p for p, _ in parts]) if parts else none
    other = pa.concat_arrays([v.cast(pa.string()) for _, v in parts]) if parts else _NO_TEXT
    return SheetCells(name, (rows[shared], cols[shared], index), (rows[at], cols[at], other),
                      (rows[numbers_at], cols[numbers_at], number))


def sheets(data: bytes, inflated: list[bytes] | None = None) -> tuple[list[SheetCells], pa.Array] | None:
    """Every worksheet's cells in the workbook's order and the shared strings (as they read before
    cleaning, parsed on a second thread meanwhile), or None: read it with calamine. `inflated`:
    the worksheet parts' XML in the archive's order, where a caller has inflated them already."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, ThreadPoolExecutor(max_workers=1) as pool:
            parts, strings_part, styles_part = _parts(archive)
            strings = pool.submit(_shared_strings, archive.read(strings_part) if strings_part else None)
            plain_styles = _number_styles(archive.read(styles_part) if styles_part else None)
            names = [i.filename for i in archive.infolist()
                     if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")]
            known = dict(zip(names, inflated)) if inflated is not None and len(inflated) == len(names) else {}
            cells = [_sheet(name, known.get(part) or archive.read(part), plain_styles) for name, part in parts]
            texts = strings.result()
        if any(len(c.shared[2]) and c.shared[2].max() >= len(texts) for c in cells):
            raise Decline("shared string index")
        return cells, texts
    except (Decline, KeyError, ET.ParseError, zipfile.BadZipFile, pa.ArrowException, ValueError):
        return None


_FORMULA_OR_HYPERLINK = re.compile(rb"<(?:\w+:)?(?:f|hyperlink)[ >/]")


def formulas_or_links(xml: bytes) -> bool:
    """Whether a worksheet's XML holds a formula or a hyperlink (which calamine does not report)."""
    # A match needs '<f' or ':f' (a prefixed tag), or 'hyperlink', in the bytes: the letter f is
    # found on the bytes at once (numpy) and only its neighbours looked at, which spares a data
    # sheet both a substring search per prefix and the regex walk over every tag.
    data = np.frombuffer(xml, dtype=np.uint8)
    at = np.flatnonzero(data[1:] == 0x66)  # (index of the byte before an 'f')
    if not ((data[at] == 0x3C) | (data[at] == 0x3A)).any() and b"hyperlink" not in xml:
        return False
    return _FORMULA_OR_HYPERLINK.search(xml) is not None


Inspected = tuple[bool | None, tuple[list[SheetCells], pa.Array] | None]


def inspect(data: bytes, file: str, parts: dict[str, bytes] | None = None) -> Inspected:
    """The part of reading an xlsx that needs neither pandas nor calamine: `limits.check_xlsx`
    (raising its LoadError) with the formula and hyperlink search on each worksheet as it is
    inflated, whose answer comes first (None: not a readable zip); then, for a workbook without
    formulas or hyperlinks, its `sheets` from the same XML (None: read it with calamine).
    `parts`: the worksheets inflated already (`limits.worksheet_parts`)."""
    inflated: list[bytes] = []

    def look(xml: bytes) -> bool:
        inflated.append(xml)
        return formulas_or_links(xml)

    full = limits.check_xlsx(data, file, look, parts)
    return full, (sheets(data, inflated) if full is False else None)
