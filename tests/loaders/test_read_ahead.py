"""Reading an xlsx ahead (`readers.begin`, which `python -m loaders` calls before its heavy imports)
gives exactly what a plain `readers.parse` gives: the same tables and warnings, the same refusal,
and never the document of other bytes."""
from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from loaders import readers, xlsx_xml
from loaders.errors import LoadError
from tests.loaders.helpers import DATA

ROOT = Path(__file__).resolve().parents[2]
LEDGER = DATA / "xlsx" / "log_excel_dates.xlsx"


def _document(doc: Any) -> tuple[Any, ...]:
    return (doc.file, doc.format, [(p.kind, p.value) for p in doc.warnings],
            [(t.sheet, list(t.row_numbers), t.links, t.frame().astype(object).values.tolist()) for t in doc.tables])


def _refusal(data: bytes, file: str) -> list[str]:
    with pytest.raises(LoadError) as caught:
        readers.parse(data, file)
    return [p.message for p in caught.value.problems]


@pytest.fixture(autouse=True)
def _nothing_left_ahead() -> Any:
    yield
    readers.forget()


def test_a_workbook_read_ahead_is_the_document_a_plain_parse_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    data = LEDGER.read_bytes()
    plain = _document(readers.parse(data, LEDGER.name))
    threads: list[str] = []
    inspect = xlsx_xml.inspect
    monkeypatch.setattr(xlsx_xml, "inspect",
                        lambda *a: (threads.append(threading.current_thread().name), inspect(*a))[1])
    readers.begin(data, LEDGER.name)
    readers.imported()
    ahead = readers.parse(bytes(data), LEDGER.name)  # (equal bytes, another object: as the CLI reads them twice)
    assert _document(ahead) == plain
    assert threads == ["read-ahead"]
    assert _document(readers.parse(data, LEDGER.name)) == plain  # taken once: read again, here
    assert threads == ["read-ahead", threading.main_thread().name]


def test_a_refusal_found_ahead_is_raised_by_parse_as_a_plain_parse_raises_it() -> None:
    path = DATA / "bad" / "declared_400000_rows.xlsx"
    data = path.read_bytes()
    plain = _refusal(data, path.name)
    readers.begin(data, path.name)  # parse says `imported` itself
    assert _refusal(data, path.name) == plain and plain


def test_other_bytes_or_another_name_are_read_themselves() -> None:
    data, other = LEDGER.read_bytes(), (DATA / "xlsx" / "catalog_two_header_rows.xlsx").read_bytes()
    readers.begin(data, LEDGER.name)
    assert _document(readers.parse(other, LEDGER.name)) == _document(readers.parse(other, LEDGER.name))
    assert _document(readers.parse(other, LEDGER.name))[3] != _document(readers.parse(data, LEDGER.name))[3]
    readers.begin(data, LEDGER.name)
    assert _document(readers.parse(data, "另一个.xlsx"))[0] == "另一个.xlsx"


def test_only_an_xlsx_is_begun(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[str] = []
    monkeypatch.setattr(threading.Thread, "start", lambda self: started.append(self.name))
    readers.begin((DATA / "csv" / "log_utf8_bom.csv").read_bytes(), "log_utf8_bom.csv")
    readers.begin(b"", "empty.xlsx")  # refused by detect: left to parse, which reports it
    readers.begin(LEDGER.read_bytes(), "page.html")  # a mislabelled file too
    assert started == []


def test_the_cli_starts_reading_before_it_imports_pandas_and_duckdb(tmp_path: Path) -> None:
    code = ("import sys; from loaders import cli, readers; seen = []; begin = readers.begin; "
            "readers.begin = lambda *a: (seen.append(('pandas' in sys.modules, 'duckdb' in sys.modules)), begin(*a)); "
            f"code = cli.main(['disclosures', '--district', '金水区', {str(LEDGER)!r}, '--db', "
            f"{str(tmp_path / 'x.duckdb')!r}]); print('SEEN', seen, code)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "SEEN [(False, False)] 0" in done.stdout
    assert "已导入" in done.stdout



def test_the_xml_is_read_ahead_without_pandas_and_the_cells_cleaned_on_the_same_thread() -> None:
    # The sheets' XML is read while the CLI imports pandas: pyarrow converts numpy or Python values
    # only after its pandas shim has imported pandas, which would make the thread wait for that import.
    ledger = DATA / "bad" / "setup" / "log_306.xlsx"
    code = ("import sys, threading, time; from loaders import readers, xlsx_table, xlsx_xml; seen = []; "
            "inspect, direct = xlsx_xml.inspect, xlsx_table.direct_columns; "
            "xlsx_xml.inspect = lambda *a: (lambda got: (seen.append(('inspect', threading.current_thread().name, "
            "got[1] is not None, 'pandas' in sys.modules)), got)[1])(inspect(*a)); "
            "xlsx_table.direct_columns = lambda *a: (lambda got: (seen.append(('columns', "
            "threading.current_thread().name, got is not None)), got)[1])(direct(*a)); "
            f"data = open({str(ledger)!r}, 'rb').read(); readers.begin(data, 'x.xlsx'); "
            "deadline = time.monotonic() + 60\n"
            "while len(seen) < 2 and time.monotonic() < deadline: time.sleep(0.01)\n"
            "print('SEEN', seen); readers.imported(); ahead = readers.parse(data, 'x.xlsx').tables[0].frame(); "
            "plain = xlsx_table.read(data, 'x.xlsx').tables[0].frame(); "
            "print('SAME', ahead.equals(plain) and len(plain) > 300)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "SEEN [('inspect', 'read-ahead', True, False), ('columns', 'read-ahead', True)]" in done.stdout
    assert "SAME True" in done.stdout
