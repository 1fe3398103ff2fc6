"""`python -m scoring evaluate` on a small real database: the JSON on stdout and in a file, and exit 2
with a Chinese message on stderr for a bad date, an unknown district, since after as_of, a missing
database and a bad rules file. The Excel branch is exercised by the export tests.
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from scoring.__main__ import main
from tests.scoring.helpers import ZHONGYUAN, add_disclosure, add_full_catalog

ROOT = Path(__file__).resolve().parents[2]
RULES_DIR = ROOT / "tests" / "data" / "rules"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scoring", "evaluate", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def small_db(fresh_db: Path) -> Path:
    con = duckdb.connect(str(fresh_db))
    add_full_catalog(con, ZHONGYUAN, dt.date(2020, 9, 25), document_no="中房〔2020〕9号", skip=("S43",))
    add_disclosure(con, ZHONGYUAN, "配租结果", "配给管理", "配租结果", dt.date(2023, 3, 1), dt.date(2023, 3, 29))
    con.close()
    return fresh_db


def test_json_to_stdout(small_db: Path) -> None:
    out = _run("--as-of", "2023-06-30", "--db", str(small_db), "--json", "-")
    assert out.returncode == 0, out.stderr
    payload = json.loads(out.stdout)
    assert (payload["as_of"], payload["since"]) == ("2023-06-30", "2023-01-01")
    assert len(payload["districts"]) == 16
    zy = payload["districts"][0]
    # catalog 42/43, elements 1, disclosures 1/43, timeliness 1/1 (03-29 is the deadline), sync null,
    # m2020 on time (1), m2023 missed (0: as_of is the deadline day, the end of which has come)
    # → weights 20+10+20+25+10+10 = 95:
    # 100 × (20·42/43 + 10 + 20·1/43 + 25 + 10 + 0) / 95 = 100 × (19.5349 + 10 + 0.4651 + 35) / 95 = 68.42
    assert (zy["code"], zy["score"], zy["grade"], zy["rank"]) == (ZHONGYUAN, 68.42, "合格", 1)
    assert zy["milestone_2020_09"] == {"status": "on_time", "date": "2020-09-25", "days_late": 0}
    assert zy["milestone_2023_06"]["status"] == "missed"
    assert zy["missing_items"] == ["评价结果/评价结果"]


def test_json_to_file_with_district_and_since(small_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    out = _run("--as-of", "2023-06-30", "--since", "2023-04-01", "--district", "中原区",
               "--db", str(small_db), "--json", str(target))
    assert out.returncode == 0, out.stderr
    payload = json.loads(target.read_text(encoding="utf-8"))
    assert payload["since"] == "2023-04-01"
    assert [d["code"] for d in payload["districts"]] == [ZHONGYUAN]
    assert payload["districts"][0]["timeliness"] is None  # the 03-29 publication is before since
    assert str(target) in out.stderr


@pytest.mark.parametrize(("args", "needle"), [
    (["--as-of", "2023-02-30"], "2023-02-30"),
    (["--as-of", "2023-06-30", "--since", "yesterday"], "yesterday"),
    (["--as-of", "2023-06-30", "--since", "2023-07-01"], "2023-07-01"),
    (["--as-of", "2023-06-30", "--rules", str(RULES_DIR / "weight_negative.toml")], "weights.timeliness"),
], ids=["bad_as_of", "bad_since", "since_after_as_of", "bad_rules"])
def test_bad_input_exits_2_with_chinese_message(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                args: list[str], needle: str) -> None:
    # Checked before the database is opened: in-process, and --db need not exist.
    assert main(["evaluate", *args, "--db", str(tmp_path / "unused.duckdb")]) == 2
    out = capsys.readouterr()
    assert needle in out.err and any("\u4e00" <= ch <= "\u9fff" for ch in out.err)
    assert out.out == ""


def test_unknown_district_exits_2(small_db: Path) -> None:
    out = _run("--as-of", "2023-06-30", "--district", "火星区", "--db", str(small_db))
    assert out.returncode == 2
    assert "火星区" in out.stderr and "中原区" in out.stderr and out.stdout == ""


def test_missing_database_exits_2(tmp_path: Path) -> None:
    out = _run("--as-of", "2023-06-30", "--db", str(tmp_path / "none.duckdb"))
    assert out.returncode == 2 and "none.duckdb" in out.stderr
    assert not (tmp_path / "none.duckdb").exists()
