"""`python -m scoring finding set|list` (DESIGN §12) against a real DuckDB file: yes/no spellings,
evidence as a URL or a file kept under the raw dir with its sha256, refusals with Chinese messages
(exit 2, nothing recorded), the JSON list, and a round keeping its findings when later ones are
recorded (DESIGN §10: a round stores the full evaluation JSON).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from scoring import rounds
from scoring.__main__ import main
from tests.manual.helpers import record


@pytest.mark.parametrize("spelling,stored,value", [("是", "是", 1.0), ("yes", "是", 1.0), ("1", "是", 1.0),
                                                   ("否", "否", 0.0), ("NO", "否", 0.0), ("0", "否", 0.0)])
def test_yes_no_spellings(fresh_db, con_of, spelling, stored, value) -> None:
    assert record(fresh_db, "金水区", "service_hall", spelling, "2025-02-01", "--evidence", "https://a.gov.cn/x") == 0
    row = con_of(fresh_db, read_only=True).execute("SELECT value_text, value FROM findings").fetchone()
    assert row == (stored, value)


def test_evidence_file_is_kept_with_its_sha256(fresh_db, con_of, tmp_path, capsys) -> None:
    photo = tmp_path / "专区照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff photo of the hall")
    raw = tmp_path / "raw"
    assert record(fresh_db, "410105", "service_hall", "是", "2025-02-01", "--evidence", str(photo),
                  "--raw-dir", str(raw), "--by", "张三") == 0
    out = capsys.readouterr().out
    assert "金水区「政务服务大厅信息公开专区」= 是（2025-02-01起）" in out
    sha = hashlib.sha256(photo.read_bytes()).hexdigest()
    kept = raw / "findings" / sha / "专区照片.jpg"
    assert kept.read_bytes() == photo.read_bytes()
    file, digest, by = con_of(fresh_db, read_only=True).execute(
        "SELECT evidence_file, evidence_sha256, recorded_by FROM findings").fetchone()
    assert Path(file) == kept.resolve() and digest == sha and by == "张三"


@pytest.mark.parametrize("argv,message", [
    (["金水区", "staffing", "是", "2025-02-01"], "须提供佐证材料"),          # evidence required for 是
    (["金水区", "stafing", "是", "2025-02-01"], "未知的核查指标「stafing」"),
    (["金水区", "staffing", "也许", "2025-02-01"], "请填写 是 或 否"),
    (["金水区", "demonstration", "4", "2025-02-01", "--evidence", "https://a.gov.cn/1"], "0～3"),
    (["金水区", "staffing", "是", "2025-02-30", "--evidence", "https://a.gov.cn/1"], "2025-02-30"),
    (["不存在区", "staffing", "否", "2025-02-01"], "未知单位「不存在区」"),
    (["金水区", "staffing", "是", "2025-02-01", "--evidence", "/no/such/file.pdf"], "/no/such/file.pdf"),
])
def test_refusals_exit_2_and_record_nothing(fresh_db, con_of, capsys, argv, message) -> None:
    assert record(fresh_db, *argv[:4], *argv[4:]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert con_of(fresh_db, read_only=True).execute("SELECT count(*) FROM findings").fetchone()[0] == 0


def test_list_json_and_table(fresh_db, capsys) -> None:
    record(fresh_db, "金水区", "staffing", "否", "2025-01-01", "--note", "未明确专人")
    record(fresh_db, "二七区", "participation", "3", "2025-01-05", "--evidence", "https://a.gov.cn/p")
    capsys.readouterr()
    assert main(["finding", "list", "--json", "-", "--db", str(fresh_db)]) == 0
    rows = json.loads(capsys.readouterr().out)
    # units in the bureau's order (中原区, 二七区, …, 金水区)
    assert [(r["district"], r["indicator"], r["value"], r["note"]) for r in rows] == [
        ("二七区", "participation", 3.0, None), ("金水区", "staffing", 0.0, "未明确专人")]
    assert rows[0]["evidence_url"] == "https://a.gov.cn/p" and rows[0]["applies_from"] == "2025-01-05"
    assert main(["finding", "list", "--district", "金水区", "--db", str(fresh_db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t")[:4] == ["编号", "单位", "指标", "结果"]
    assert len(lines) == 2 and "政务公开机构和专人负责" in lines[1] and "未明确专人" in lines[1]


def test_a_round_keeps_its_findings_when_later_ones_are_recorded(full_db, con_of) -> None:
    record(full_db, "金水区", "staffing", "否", "2025-01-01")
    con = con_of(full_db)
    rid = rounds.create(con, "2025年度", dt.date(2025, 12, 31), actor="测试")
    before = rounds.show_text(con, rid)
    con.close()
    # a later finding about the same period (applies from 2025-06-01) changes a fresh evaluation …
    assert record(full_db, "金水区", "staffing", "是", "2025-06-01", "--evidence", "https://a.gov.cn/s") == 0
    con = con_of(full_db)
    stored = rounds.show(con, rid)
    jinshui = next(d for d in stored["districts"] if d["district"] == "金水区")
    # … but not the round: it keeps 否 (100 × 70 / 73 = 95.89) and the finding it was computed with
    assert jinshui["components"]["staffing"] == 0.0 and jinshui["score"] == 95.89
    assert [f["value_text"] for f in jinshui["findings"]] == ["否"]
    assert rounds.show_text(con, rid) == before
    from scoring import evaluate
    fresh = evaluate(con, dt.date(2025, 12, 31)).district("410105")
    assert fresh.components["staffing"] == 1.0 and fresh.score == 100.0  # 100 × 73 / 73


def test_a_finding_is_part_of_the_round_data_fingerprint(full_db, con_of) -> None:
    """A round's data fingerprint covers the findings: recording one (no catalog or disclosure
    changed) gives a draft recomputed afterwards a new fingerprint, as its score changed too."""
    record(full_db, "金水区", "staffing", "否", "2025-01-01")
    con = con_of(full_db)
    rid = rounds.create(con, "2025年度", dt.date(2025, 12, 31), actor="测试")
    first = rounds.show(con, rid)["round"]["data_fingerprint"]
    assert first == rounds.data_fingerprint(con)
    con.close()
    assert record(full_db, "金水区", "staffing", "是", "2025-06-01", "--evidence", "https://a.gov.cn/s") == 0
    con = con_of(full_db)
    assert rounds.data_fingerprint(con) != first
    rounds.recompute(con, rid, actor="测试")
    stored = rounds.show(con, rid)
    assert stored["round"]["data_fingerprint"] == rounds.data_fingerprint(con) != first
    jinshui = next(d for d in stored["districts"] if d["district"] == "金水区")
    assert jinshui["score"] == 100.0  # 否 gave 100 × 70 / 73 = 95.89; 是 from 06-01 gives 100 × 73 / 73
