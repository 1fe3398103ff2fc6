"""Evidence downloads (佐证材料) through the scope (issue #16 leftover): a 区县 account downloads
the evidence file of its own unit's finding and of its own rectification task — on its pages and
through `appkit.scope` directly — and is refused another unit's (无权访问); the bureau reads every
unit's. `accounts.scope.Scope.evidence_file` itself refuses before reading, and refuses a kept file
that is gone or whose bytes no longer match the recorded sha256. Real account file, real database
(a copy of the sample), findings recorded through the real CLI, files kept under a temporary raw dir."""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb
import pytest
from access_helpers import ERQI, JINSHUI
from streamlit.testing.v1 import AppTest

from accounts.scope import EvidenceUnavailable, Scope, ScopeError
from scoring import rectification, rounds
from scoring.__main__ import main as scoring_main
from ui_text.access import NO_ACCESS
from ui_text.evidence import EVIDENCE

JINSHUI_PHOTO = b"\xff\xd8\xff jinshui service hall"
ERQI_PHOTO = b"\xff\xd8\xff erqi service hall"


def _finding(db: Path, raw: Path, unit: str, name: str, data: bytes) -> int:
    """`scoring finding set` with an evidence file (kept under `raw`); returns the new finding's id."""
    photo = raw.parent / name
    photo.write_bytes(data)
    assert scoring_main(["finding", "set", "--district", unit, "--indicator", "service_hall", "--value", "是",
                         "--on", "2026-09-01", "--evidence", str(photo), "--raw-dir", str(raw),
                         "--db", str(db)]) == 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        return int(con.execute("SELECT max(finding_id) FROM findings").fetchone()[0])
    finally:
        con.close()


@pytest.fixture
def evidence_db(app_db: Path, tmp_path: Path) -> dict[str, int]:
    raw = tmp_path / "raw"
    return {"jinshui": _finding(app_db, raw, "金水区", "金水专区照片.jpg", JINSHUI_PHOTO),
            "erqi": _finding(app_db, raw, "二七区", "二七专区照片.jpg", ERQI_PHOTO)}


def _probe(at: AppTest, call: str) -> AppTest:
    """Run `appkit.scope.<call>` in the signed-in session of `at`; shows 'name:sha256' of the bytes."""
    script = ("import hashlib\nimport streamlit as st\nfrom appkit import scope\nfrom appkit.db import database\n"
              "scope.resolve(database())\n"
              f"name, data = scope.{call}\n"
              "st.text(f'{name}:{hashlib.sha256(data).hexdigest()}')\n")
    probe = AppTest.from_string(script, default_timeout=60)
    probe.session_state["auth_token"] = at.session_state["auth_token"]
    return probe.run()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_district_downloads_its_own_findings_evidence_on_its_page(signed_in, evidence_db, downloads) -> None:
    at = signed_in("jinshui")
    assert at.title[0].value == "区县自查"
    label = EVIDENCE["finding"].format(label="政务服务大厅信息公开专区", name="金水专区照片.jpg")
    assert label in [b.proto.label for b in at.get("download_button")]
    assert downloads["金水专区照片.jpg"][0] == JINSHUI_PHOTO
    assert "二七专区照片.jpg" not in downloads  # another unit's evidence is never handed out


def test_the_scope_refuses_another_units_evidence_and_serves_the_bureau(signed_in, evidence_db) -> None:
    jinshui = signed_in("jinshui")
    own = _probe(jinshui, f"finding_evidence(database(), {evidence_db['jinshui']})")
    assert not own.exception and [t.value for t in own.text] == [f"金水专区照片.jpg:{_sha(JINSHUI_PHOTO)}"]
    other = _probe(jinshui, f"finding_evidence(database(), {evidence_db['erqi']})")
    assert [e.value for e in other.error] == [NO_ACCESS] and not other.text
    bureau = _probe(signed_in("duban"), f"finding_evidence(database(), {evidence_db['erqi']})")
    assert [t.value for t in bureau.text] == [f"二七专区照片.jpg:{_sha(ERQI_PHOTO)}"]
    unknown = _probe(jinshui, "finding_evidence(database(), 999999)")  # no finding: no unit, refused
    assert [e.value for e in unknown.error] == [NO_ACCESS]


def test_a_district_downloads_its_own_tasks_evidence_and_not_another_units(signed_in, app_db: Path, tmp_path: Path,
                                                                           downloads) -> None:
    con = duckdb.connect(str(app_db))
    rid = rounds.create(con, "2026年第二季度", dt.date(2026, 6, 30), actor="duban")
    rounds.circulate(con, rid, "郑房保〔2026〕8号", dt.date(2026, 7, 10), actor="duban")
    ids = {}
    for code, name, data in ((JINSHUI, "金水整改.pdf", b"%PDF jinshui fix"), (ERQI, "二七整改.pdf", b"%PDF erqi fix")):
        task = next(t for t in rectification.list_tasks(con, unit=code) if t["status"] == "open")
        rectification.report_fix(con, task["id"], actor="x", scope=code, on=dt.date(2026, 7, 20), file=(name, data),
                                 raw_dir=tmp_path / "raw")
        ids[code] = task["id"]
    con.close()
    at = signed_in("jinshui")
    own = _probe(at, f"task_evidence(database(), {ids[JINSHUI]})")
    assert [t.value for t in own.text] == [f"金水整改.pdf:{_sha(b'%PDF jinshui fix')}"]
    other = _probe(at, f"task_evidence(database(), {ids[ERQI]})")
    assert [e.value for e in other.error] == [NO_ACCESS] and not other.text
    # on 整改跟踪: picking its reported task offers the file it attached
    at.switch_page("pages/rectification.py").run()
    at.selectbox(key="rect_task").set_value(ids[JINSHUI]).run()
    assert not at.exception, at.exception
    assert EVIDENCE["task"].format(id=ids[JINSHUI], name="金水整改.pdf") in [b.proto.label for b in
                                                                          at.get("download_button")]
    assert downloads["金水整改.pdf"][0] == b"%PDF jinshui fix" and "二七整改.pdf" not in downloads


def test_scope_evidence_file_refuses_before_reading_and_checks_the_sha256(tmp_path: Path) -> None:
    kept = tmp_path / "照片.jpg"
    kept.write_bytes(JINSHUI_PHOTO)
    district, bureau = Scope("jinshui", "district", JINSHUI), Scope("duban", "bureau")
    assert district.evidence_file(JINSHUI, str(kept), _sha(JINSHUI_PHOTO)) == JINSHUI_PHOTO
    assert bureau.evidence_file(ERQI, str(kept), _sha(JINSHUI_PHOTO)) == JINSHUI_PHOTO
    with pytest.raises(ScopeError):
        district.evidence_file(ERQI, str(kept), _sha(JINSHUI_PHOTO))
    with pytest.raises(ScopeError):  # another unit's path that does not even exist: refused, not "missing"
        district.evidence_file(ERQI, str(tmp_path / "nothing.jpg"), "0" * 64)
    with pytest.raises(EvidenceUnavailable):
        district.evidence_file(JINSHUI, str(kept), _sha(b"other bytes"))  # the file changed since it was kept
    with pytest.raises(EvidenceUnavailable):
        district.evidence_file(JINSHUI, str(tmp_path / "gone.jpg"), _sha(JINSHUI_PHOTO))
    with pytest.raises(EvidenceUnavailable):
        district.evidence_file(JINSHUI, None, None)  # a finding with a URL, no file
