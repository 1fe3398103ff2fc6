"""`python -m scoring round …` (DESIGN §10) on a copy of the bundled sample: create prints the id
last, a circulated round's JSON and workbook stay byte-identical after a new catalog is loaded and
the rules file is edited (while the live evaluation changes), a circulated round refuses
recompute/delete/circulate with a Chinese message and exit 2, drafts recompute and delete, and
every operation leaves an audit row. The Word notice has its own tests (test_rounds_notice.py).
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import duckdb
import openpyxl
import pytest

from loaders.cli import main as loaders_main
from reports.excel import build_report_workbook, report_context
from scoring import rounds
from scoring.__main__ import main as scoring_main
from scoring.evaluation import evaluate
from scoring.rules import load_rules

ROOT = Path(__file__).resolve().parents[2]
NEW_CATALOG = ROOT / "tests" / "data" / "xlsx" / "catalog_two_header_rows.xlsx"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = scoring_main(["round", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _create(capsys: pytest.CaptureFixture[str], db: Path, rules: Path, name: str = "2026年第三季度",
            as_of: str = "2026-09-30") -> int:
    code, out, err = _run(capsys, "create", "--name", name, "--as-of", as_of, "--rules", str(rules),
                          "--db", str(db))
    assert code == 0, err
    return int(out.split()[-1])  # DESIGN §10: the id is the last word


def _live(db: Path, rules: Path, as_of: str = "2026-09-30") -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        import datetime as dt
        return evaluate(con, dt.date.fromisoformat(as_of), rules=load_rules(rules)).to_json()
    finally:
        con.close()


def test_create_stores_the_live_evaluation_and_provenance(sample_db_copy: Path, rules_copy: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    live = _live(sample_db_copy, rules_copy)
    round_id = _create(capsys, sample_db_copy, rules_copy)
    code, out, err = _run(capsys, "show", str(round_id), "--json", "-", "--db", str(sample_db_copy))
    assert code == 0, err
    shown = json.loads(out)
    header = shown.pop("round")
    assert shown == live  # every figure, gap and explanation, exactly as evaluated
    assert len(shown["districts"]) == 16
    assert header["id"] == round_id and header["name"] == "2026年第三季度"
    assert header["status"] == "draft" and header["document_no"] is None and header["revision"] == 0
    assert header["rules_version"] == load_rules(rules_copy).version
    assert len(header["data_fingerprint"]) == 32
    assert set(header) == {"id", "name", "status", "document_no", "circulated_on", "revision",
                           "rules_version", "data_fingerprint", "created_at"}
    con = duckdb.connect(str(sample_db_copy), read_only=True)
    stored = con.execute("SELECT rules_text FROM round_revisions WHERE round_id = ?", [round_id]).fetchone()[0]
    con.close()
    assert stored == rules_copy.read_text(encoding="utf-8")


def test_circulated_round_is_frozen_while_live_evaluation_changes(
        sample_db_copy: Path, rules_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(sample_db_copy)
    round_id = _create(capsys, sample_db_copy, rules_copy)
    assert _run(capsys, "circulate", str(round_id), "--document-no", "郑房保〔2026〕12号",
                "--on", "2026-10-15", "--db", db)[0] == 0
    before_xlsx, after_xlsx = tmp_path / "before.xlsx", tmp_path / "after.xlsx"
    code, before_json, err = _run(capsys, "show", str(round_id), "--json", "-", "--excel", str(before_xlsx), "--db", db)
    assert code == 0, err
    live_before = _live(sample_db_copy, rules_copy)

    # a district loads a corrected catalog (all 43 items, published before the as-of date) …
    assert loaders_main(["catalog", "--district", "航空港区", str(NEW_CATALOG), "--published-on", "2026-06-01",
                         "--db", db]) == 0
    # … and the bureau edits the rules file (weights timeliness 25 → 15, catalog_coverage 20 → 30)
    text = rules_copy.read_text(encoding="utf-8")
    assert "timeliness = 25" in text and "catalog_coverage = 20" in text
    rules_copy.write_text(text.replace("timeliness = 25", "timeliness = 15")
                          .replace("catalog_coverage = 20", "catalog_coverage = 30"), encoding="utf-8")
    capsys.readouterr()

    code, after_json, err = _run(capsys, "show", str(round_id), "--json", "-", "--excel", str(after_xlsx), "--db", db)
    assert code == 0, err
    assert after_json == before_json
    assert after_xlsx.read_bytes() == before_xlsx.read_bytes()
    live_after = _live(sample_db_copy, rules_copy)
    assert live_after["rules_version"] != live_before["rules_version"]
    airport = lambda ev: next(d for d in ev["districts"] if d["district"] == "郑州航空港经济综合实验区")  # noqa: E731
    # the unit had no catalog (coverage 0); the loaded one holds all 43 city items (43/43 = 1)
    assert (airport(live_before)["catalog_coverage"], airport(live_after)["catalog_coverage"]) == (0.0, 1.0)
    assert airport(json.loads(after_json))["catalog_coverage"] == 0.0
    assert live_after["districts"] != live_before["districts"]


def test_round_workbook_equals_the_live_workbook_of_its_day(sample_db_copy: Path, rules_copy: Path,
                                                            tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The stored context carries everything the workbook shows: the round's file is the file the
    live export would have produced at creation time, byte for byte."""
    rules = load_rules(rules_copy)
    con = duckdb.connect(str(sample_db_copy))
    import datetime as dt
    live = build_report_workbook(evaluate(con, dt.date(2026, 9, 30), rules=rules),
                                 report_context(con, rules=rules))
    con.close()
    round_id = _create(capsys, sample_db_copy, rules_copy)
    target = tmp_path / "round.xlsx"
    assert _run(capsys, "show", str(round_id), "--excel", str(target), "--db", str(sample_db_copy))[0] == 0
    assert target.read_bytes() == live
    wb = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))
    assert len(wb.sheetnames) >= 2


@pytest.mark.parametrize("args, expected", [
    (("circulate", "{id}", "--document-no", "另〔2026〕1号", "--on", "2026-10-20"), "不能再次通报"),
    (("delete", "{id}"), "不能删除"),
    (("recompute", "{id}"), "不能重新计算"),
])
def test_circulated_round_refuses_changes(sample_db_copy: Path, rules_copy: Path, args: tuple[str, ...],
                                          expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(sample_db_copy)
    round_id = _create(capsys, sample_db_copy, rules_copy)
    assert _run(capsys, "circulate", str(round_id), "--document-no", "郑房保〔2026〕12号", "--on", "2026-10-15",
                "--db", db)[0] == 0
    before = _run(capsys, "show", str(round_id), "--json", "-", "--db", db)[1]
    code, _out, err = _run(capsys, *[a.format(id=round_id) for a in args], "--db", db)
    assert code == 2
    assert expected in err and "郑房保〔2026〕12号" in err and "2026-10-15" in err
    assert _run(capsys, "show", str(round_id), "--json", "-", "--db", db)[1] == before


def test_draft_recompute_and_delete(sample_db_copy: Path, rules_copy: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    db = str(sample_db_copy)
    round_id = _create(capsys, sample_db_copy, rules_copy)
    first = json.loads(_run(capsys, "show", str(round_id), "--db", db)[1])
    assert loaders_main(["catalog", "--district", "航空港区", str(NEW_CATALOG), "--published-on", "2026-06-01",
                         "--db", db]) == 0
    capsys.readouterr()
    code, _, err = _run(capsys, "recompute", str(round_id), "--rules", str(rules_copy), "--db", db)
    assert code == 0, err
    second = json.loads(_run(capsys, "show", str(round_id), "--db", db)[1])
    airport = lambda ev: next(d for d in ev["districts"] if d["district"] == "郑州航空港经济综合实验区")  # noqa: E731
    assert (airport(first)["catalog_coverage"], airport(second)["catalog_coverage"]) == (0.0, 1.0)  # 0/43 → 43/43
    assert second["round"]["data_fingerprint"] != first["round"]["data_fingerprint"]
    assert second["round"]["revision"] == 0
    assert _run(capsys, "delete", str(round_id), "--db", db)[0] == 0
    code, _out, err = _run(capsys, "show", str(round_id), "--db", db)
    assert code == 2 and f"考评轮次 {round_id} 不存在" in err


def test_list_and_bad_input(sample_db_copy: Path, rules_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(sample_db_copy)
    assert _run(capsys, "list", "--db", db)[1].strip() == "还没有考评轮次。"
    a = _create(capsys, sample_db_copy, rules_copy, "2026年第二季度", "2026-06-30")
    b = _create(capsys, sample_db_copy, rules_copy, "2026年第三季度", "2026-09-30")
    assert _run(capsys, "circulate", str(a), "--document-no", "郑房保〔2026〕8号", "--on", "2026-07-10", "--db", db)[0] == 0
    code, out, err = _run(capsys, "list", "--json", "-", "--db", db)
    listed = json.loads(out)
    assert [(r["id"], r["status"], r["document_no"]) for r in listed] == [
        (b, "draft", None), (a, "circulated", "郑房保〔2026〕8号")]  # newest as-of first
    cases = [(("show", "abc"), "轮次编号「abc」无效"), (("show", str(a), "--revision", "2"), "没有修订 2"),
             (("create", "--name", " ", "--as-of", "2026-09-30"), "轮次名称不能为空"),
             (("create", "--name", "x", "--as-of", "2026-13-01"), "日期「2026-13-01」无效"),
             (("circulate", str(b), "--document-no", " "), "通报文号不能为空"),
             (("circulate", str(b), "--document-no", "x", "--on", "2026-09-01"), "早于评估日"),
             (("recompute", "99"), "考评轮次 99 不存在")]
    for args, expected in cases:
        code, out, err = _run(capsys, *args, "--db", db)
        assert code == 2 and expected in err, (args, err)


def test_revisions_keep_the_circulated_original(sample_db_copy: Path, rules_copy: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    db = str(sample_db_copy)
    round_id = _create(capsys, sample_db_copy, rules_copy)
    _run(capsys, "circulate", str(round_id), "--document-no", "郑房保〔2026〕12号", "--on", "2026-10-15", "--db", db)
    original = _run(capsys, "show", str(round_id), "--db", db)[1]
    con = duckdb.connect(db)
    corrected = rounds.stored(con, round_id)["evaluation"]
    corrected["districts"][0]["score"] = 99.0
    assert rounds.add_revision(con, round_id, corrected, actor="督导甲", note="申诉 1 已采纳") == 1
    con.close()
    latest = json.loads(_run(capsys, "show", str(round_id), "--db", db)[1])
    assert latest["round"]["revision"] == 1 and latest["districts"][0]["score"] == 99.0
    revision0 = _run(capsys, "show", str(round_id), "--revision", "0", "--db", db)[1]
    assert json.loads(revision0)["round"]["revision"] == 0
    assert json.loads(revision0)["districts"] == json.loads(original)["districts"]


def test_every_round_operation_is_audited(sample_db_copy: Path, rules_copy: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    db = str(sample_db_copy)
    a = _create(capsys, sample_db_copy, rules_copy)
    _run(capsys, "recompute", str(a), "--db", db)
    _run(capsys, "circulate", str(a), "--document-no", "郑房保〔2026〕12号", "--on", "2026-10-15", "--db", db)
    b = _create(capsys, sample_db_copy, rules_copy, "试算")
    _run(capsys, "delete", str(b), "--db", db)
    _run(capsys, "show", str(a), "--excel", str(sample_db_copy.with_suffix(".xlsx")), "--db", db)
    con = duckdb.connect(db, read_only=True)
    rows = con.execute("SELECT action, target, actor, detail FROM audit_log ORDER BY seq").fetchall()
    con.close()
    assert [(r[0], r[1]) for r in rows] == [("round_create", str(a)), ("round_recompute", str(a)),
                                            ("round_circulate", str(a)), ("round_create", str(b)),
                                            ("round_delete", str(b)), ("export", str(a))]
    assert all(r[2].startswith("命令行:") for r in rows)
    assert json.loads(rows[2][3]) == {"name": "2026年第三季度", "document_no": "郑房保〔2026〕12号", "on": "2026-10-15"}


def test_round_commands_run_while_the_dashboard_reads(sample_db_copy: Path, rules_copy: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """The app holds a read-only connection; round writes go through loaders.db.writing (copy,
    write, rename), so they neither wait for nor disturb it."""
    from loaders.db import connect_read_only

    reader = connect_read_only(sample_db_copy)
    try:
        round_id = _create(capsys, sample_db_copy, rules_copy)
        code, out, err = _run(capsys, "show", str(round_id), "--db", str(sample_db_copy))
        assert code == 0, err
        assert json.loads(out)["round"]["id"] == round_id
        assert reader.execute("SELECT count(*) FROM districts").fetchone()[0] == 16  # still reading
    finally:
        reader.close()
