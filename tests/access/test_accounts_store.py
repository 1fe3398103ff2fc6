"""Accounts (DESIGN §9): `python -m accounts` with the password on standard input, a file that holds
only argon2 hashes, lockout after five failures for fifteen minutes persisted in the file, disabled
accounts, 演示模式 detection and the OIDC identity mapping. The pages' sign-in is tested in
test_access_pages.py."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from accounts import store

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 10, 1, 9, 0, 0)


def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "accounts", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_cli_add_list_and_no_plain_password(tmp_path: Path) -> None:
    users = tmp_path / "users.toml"
    out = _cli("add", "jinshui01", "--role", "district", "--district", "金水区", "--users", str(users),
               stdin="Jinshui-Pass-2026\n")
    assert out.returncode == 0, out.stderr
    assert "jinshui01" in out.stdout and "金水区" in out.stdout
    out = _cli("add", "duban", "--role", "bureau", "--users", str(users), stdin="Duban-Pass-2026\n")
    assert out.returncode == 0, out.stderr
    text = users.read_text(encoding="utf-8")
    assert "Jinshui-Pass-2026" not in text and "Duban-Pass-2026" not in text
    accounts = store.load(users)
    assert accounts["jinshui01"].password.startswith("$argon2id$")
    assert accounts["jinshui01"].password != accounts["duban"].password
    assert (accounts["jinshui01"].role, accounts["jinshui01"].district) == ("district", "410105")
    assert (users.stat().st_mode & 0o777) == 0o600
    listing = _cli("list", "--users", str(users))
    assert listing.returncode == 0
    assert "jinshui01\t区县\t金水区\t启用" in listing.stdout and "argon2" not in listing.stdout
    assert store.authenticate("jinshui01", "Jinshui-Pass-2026", users, NOW).outcome == "ok"


@pytest.mark.parametrize("args, stdin, message", [
    (("add", "x", "--role", "district"), "Password-123\n", "必须用 --district"),
    (("add", "x", "--role", "district", "--district", "火星区"), "Password-123\n", "未知单位「火星区」"),
    (("add", "x", "--role", "bureau", "--district", "金水区"), "Password-123\n", "不绑定单位"),
    (("add", "x", "--role", "root"), "Password-123\n", "角色「root」无效"),
    (("add", "x", "--role", "bureau"), "short\n", "至少需要8个字符"),
    (("add", "x", "--role", "bureau"), "", "没有从标准输入读到密码"),
    (("reset", "nobody"), "Password-123\n", "账户「nobody」不存在"),
    (("disable", "nobody"), "", "账户「nobody」不存在"),
])
def test_cli_bad_input_exits_2(tmp_path: Path, args: tuple[str, ...], stdin: str, message: str) -> None:
    out = _cli(*args, "--users", str(tmp_path / "u.toml"), stdin=stdin)
    assert out.returncode == 2 and message in out.stderr, out.stderr


def test_password_is_never_an_argument(tmp_path: Path) -> None:
    out = _cli("add", "x", "Password-123", "--role", "bureau", "--users", str(tmp_path / "u.toml"))
    assert out.returncode == 2
    assert not (tmp_path / "u.toml").exists()


def test_duplicate_and_reset_disable_enable(tmp_path: Path) -> None:
    users = tmp_path / "u.toml"
    store.add("a", "admin", "Admin-Pass-1", path=users)
    with pytest.raises(store.AccountError, match="已存在"):
        store.add("a", "bureau", "Other-Pass-1", path=users)
    store.reset("a", "New-Admin-Pass", users)
    assert store.authenticate("a", "Admin-Pass-1", users, NOW).outcome == "bad"
    assert store.authenticate("a", "New-Admin-Pass", users, NOW).outcome == "ok"
    store.disable("a", users)
    assert store.authenticate("a", "New-Admin-Pass", users, NOW).outcome == "disabled"
    assert store.demo_mode(store.load(users))  # the only account is disabled
    store.enable("a", users)
    assert not store.demo_mode(store.load(users))
    assert store.demo_mode(store.load(tmp_path / "missing.toml"))


def test_lockout_after_five_failures_for_fifteen_minutes(tmp_path: Path) -> None:
    users = tmp_path / "u.toml"
    store.add("d", "district", "District-Pass", "410105", path=users)
    results = [store.authenticate("d", f"wrong-{i}", users, NOW + dt.timedelta(seconds=i)) for i in range(5)]
    assert [r.outcome for r in results] == ["bad", "bad", "bad", "bad", "locked"]
    assert [r.remaining for r in results[:4]] == [4, 3, 2, 1]
    assert results[4].just_locked and results[4].locked_until == NOW + dt.timedelta(seconds=4, minutes=15)
    # persisted: a fresh read of the file (another session, a restart) still sees the lock …
    assert store.load(users)["d"].locked_until == results[4].locked_until
    # … and the right password is refused while it lasts
    during = store.authenticate("d", "District-Pass", users, NOW + dt.timedelta(minutes=14))
    assert during.outcome == "locked" and not during.just_locked
    after = store.authenticate("d", "District-Pass", users, NOW + dt.timedelta(minutes=16))
    assert after.outcome == "ok"
    assert store.load(users)["d"].failed == 0 and store.load(users)["d"].locked_until is None


def test_success_resets_the_failure_count(tmp_path: Path) -> None:
    users = tmp_path / "u.toml"
    store.add("d", "bureau", "Bureau-Pass-1", path=users)
    for _ in range(4):
        store.authenticate("d", "wrong", users, NOW)
    assert store.authenticate("d", "Bureau-Pass-1", users, NOW).outcome == "ok"
    assert store.authenticate("d", "wrong", users, NOW).remaining == 4  # counting starts again


def test_unknown_user_is_just_a_bad_password(tmp_path: Path) -> None:
    users = tmp_path / "u.toml"
    store.add("d", "bureau", "Bureau-Pass-1", path=users)
    assert store.authenticate("nobody", "Bureau-Pass-1", users, NOW).outcome == "bad"


def test_identity_mapping(tmp_path: Path) -> None:
    users = tmp_path / "u.toml"
    store.add("zhang", "bureau", "Bureau-Pass-1", identities=("Zhang.San@ZZ.gov.cn",), path=users)
    store.add("jin", "district", "District-Pass", "金水区", identities=("sub-0042",), path=users)
    store.add("old", "district", "District-Pass", "二七区", identities=("old@zz.gov.cn",), path=users)
    store.disable("old", users)
    accounts = store.load(users)
    assert store.identity_account(accounts, email="zhang.san@zz.gov.cn").username == "zhang"
    assert store.identity_account(accounts, subject="sub-0042").username == "jin"
    assert store.identity_account(accounts, subject="SUB-0042") is None        # subjects are exact
    assert store.identity_account(accounts, email="old@zz.gov.cn") is None     # disabled: no access
    assert store.identity_account(accounts, email="stranger@example.com", subject="x") is None
    assert store.identity_account(accounts) is None
