"""The sample's README table and files agree with the database the loaders build from them.

- every README row (catalog versions, both milestones, counts) is recomputed from the database
  with the DESIGN §6 definitions;
- every disclosure in every log file arrives with the title and dates the file shows;
- the committed files are exactly what `tools/make_sample.py` generates.
"""
from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

import duckdb
import openpyxl

from loaders.names import clean_text  # titles are stored as a person reads them (NFKC)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
WORDS = tomllib.loads((SAMPLE / "vocabulary.toml").read_text(encoding="utf-8"))["readme"]
ELEMENTS = ["level2", "content", "basis", "time_limit", "subject", "channels", "audience", "method",
            "disclosure_level"]
BLANK = " OR ".join(f"coalesce(trim(r.{c}), '') = ''" for c in ELEMENTS)


def _readme_rows() -> dict[str, list[str]]:
    text = (SAMPLE / "README.md").read_text(encoding="utf-8")
    table = text.split("<!-- scenarios:start -->")[1].split("<!-- scenarios:end -->")[0]
    lines = list(table.strip().splitlines()[2:])
    rows = [[c.strip() for c in ln.strip().strip("|").split("|")] for ln in lines]
    return {r[0]: r for r in rows}


def _catalogs(con: duckdb.DuckDBPyConnection, code: str) -> list[tuple[dt.date, str | None, int, bool]]:
    """(published_on, document_no, city items held, all 43 held with nine elements) per version."""
    return con.execute(f"""
        SELECT c.published_on, c.document_no, count(DISTINCT r.matched_item_id),
               count(DISTINCT r.matched_item_id) = 43
               AND count(*) FILTER (WHERE r.matched_item_id IS NOT NULL AND ({BLANK})) = 0
        FROM district_catalogs c JOIN district_catalog_rows r USING (catalog_id)
        WHERE c.district_code = ? GROUP BY c.published_on, c.document_no, c.load_seq
        ORDER BY c.published_on, c.load_seq""", [code]).fetchall()


def _milestone_2023(con: duckdb.DuckDBPyConnection, code: str) -> dt.date | None:
    """Earliest D: effective catalog complete and each first-level item disclosed by D (DESIGN §6)."""
    cats = _catalogs(con, code)
    firsts = dict(con.execute("""
        SELECT s.level1, min(d.published_on) FROM disclosures d JOIN standard_catalog s USING (item_id)
        WHERE d.district_code = ? AND d.published_on IS NOT NULL GROUP BY 1""", [code]).fetchall())
    for day in sorted({c[0] for c in cats} | set(firsts.values())):
        effective = [c for c in cats if c[0] <= day]
        if effective and effective[-1][3] and len(firsts) == 10 and max(firsts.values()) <= day:
            return day
    return None


def _status(day: dt.date | None, due: dt.date) -> str:
    if day is None:
        return WORDS["missed"]
    return (WORDS["on_time"] if day <= due else WORDS["late"]).format(date=day.isoformat())


def test_readme_table_matches_the_database(sample_db: Path) -> None:
    readme = _readme_rows()
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        units = con.execute("SELECT code, name FROM districts ORDER BY sort_order").fetchall()
        assert list(readme) == [name for _, name in units]
        for code, name in units:
            cats = _catalogs(con, code)
            versions = "<br>".join(f"{p.isoformat()} / {d or WORDS['no_docno']} / {n}{WORDS['complete'] if ok else ''}"
                                   for p, d, n, ok in cats) or WORDS["none"]
            filed = [p for p, d, _, _ in cats if d]
            total, pending, unclassified = con.execute(
                "SELECT count(*), count(*) FILTER (WHERE published_on IS NULL), count(*) FILTER (WHERE item_id IS NULL) "
                "FROM disclosures WHERE district_code = ?", [code]).fetchone()
            late = con.execute("""
                SELECT count(*) FROM disclosures d JOIN standard_catalog s USING (item_id)
                JOIN calendar c1 ON c1.day = d.formed_on
                JOIN calendar c2 ON c2.workday_no = c1.workday_no + s.time_limit_workdays AND c2.is_workday
                WHERE d.district_code = ? AND d.published_on > c2.day""", [code]).fetchone()[0]
            got = [name, versions, _status(min(filed) if filed else None, dt.date(2020, 9, 30)),
                   _status(_milestone_2023(con, code), dt.date(2023, 6, 30)),
                   str(total), str(late), str(pending), str(unclassified)]
            assert got == readme[name], name
    finally:
        con.close()


def _parse_day(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = re.match(r"(\d{4})\D(\d{1,2})\D(\d{1,2})", str(value))
    assert m, value
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _file_rows(path: Path) -> list[list[object]]:
    if path.suffix == ".xlsx":
        ws = openpyxl.load_workbook(path, read_only=True).active
        return [list(r) for r in ws.iter_rows(values_only=True)]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gbk")
    return list(csv.reader(io.StringIO(text)))


def test_every_log_row_arrives_with_its_title_and_dates(sample_db: Path) -> None:
    registry = tomllib.loads((SAMPLE / "sources.toml").read_text(encoding="utf-8"))
    expected: dict[str, Counter] = {}
    formed_cols = {"成文日期", "生成日期", "形成日期"}
    published_cols = {"发布日期", "公开日期", "发布时间"}
    for entry in registry["disclosures"]:
        header, *body = _file_rows(SAMPLE / entry["source"])
        ti = header.index("标题")
        fi = next(i for i, h in enumerate(header) if h in formed_cols)
        pi = next(i for i, h in enumerate(header) if h in published_cols)
        bag = expected.setdefault(entry["district"], Counter())
        bag.update((clean_text(r[ti]), _parse_day(r[fi]), _parse_day(r[pi])) for r in body)
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        for name, bag in expected.items():
            got = Counter(con.execute("SELECT d.title, d.formed_on, d.published_on FROM disclosures d "
                                      "JOIN districts u ON u.code = d.district_code WHERE u.name = ?",
                                      [name]).fetchall())
            assert got == bag, name
    finally:
        con.close()


def test_committed_sample_is_what_the_generator_writes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "tools" / "make_sample.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_sample"] = module  # dataclasses look their module up while the file runs
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules["make_sample"]
    module.build(tmp_path)
    generated = {p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()}
    assert Path("sources.toml") in generated and len(generated) == 46  # 24 catalogs + 21 logs + sources.toml
    differing = [str(p) for p in sorted(generated) if (tmp_path / p).read_bytes() != (SAMPLE / p).read_bytes()]
    assert differing == []
