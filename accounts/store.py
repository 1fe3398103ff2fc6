"""The account file (DESIGN §9): who may sign in, with which role and unit, and their lockout state.

The file is `--users FILE`, else env `COMPLIANCE_USERS`, else `data/users.toml` (git-ignored). One
TOML table per account under `[users.<username>]`: `role` (admin | bureau | district), `district`
(the unit's code, district accounts only), `password` (an argon2id hash, salted; never plain
text), `active`, `identities` (e-mail addresses or OIDC subjects that sign in as this account),
and the persisted lockout state `failed` / `locked_until`. Every change is written to a temporary
file and renamed over the old one under an exclusive lock, so a crash never leaves half a file and
two sessions never lose each other's failed attempts.

Pure Python (argon2-cffi, tomllib); never imports Streamlit or scoring. A district account's unit is
resolved by `loaders.names.district_code` (name, alias or code, as a loaded file names it).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import json
import os
import tempfile
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from loaders.names import district_code  # the one spelling -> code lookup of data/districts.csv
from ui_text.access import ACCOUNT_ERRORS, ACCOUNTS_FILE_HEADER

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_USERS = ROOT / "data" / "users.toml"
ROLES = ("admin", "bureau", "district")
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
_HASHER = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the username is unknown, so a wrong name costs as long as a wrong
    password; made on the first such sign-in, not at import (0.2-0.4 s of every process start)."""
    return _HASHER.hash("not-a-password")


class AccountError(ValueError):
    """Bad account input or a malformed account file; the message is Chinese."""


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    district: str | None
    password: str                     # argon2 hash
    active: bool = True
    identities: tuple[str, ...] = ()
    failed: int = 0
    locked_until: dt.datetime | None = None

    def locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


@dataclass(frozen=True)
class SignIn:
    """The outcome of one sign-in attempt."""
    outcome: str                      # ok | bad | locked | disabled
    account: Account | None = None
    locked_until: dt.datetime | None = None
    just_locked: bool = False         # this attempt was the fifth failure
    remaining: int = field(default=MAX_FAILURES)


def users_path(explicit: str | Path | None = None) -> Path:
    """`explicit`, else env COMPLIANCE_USERS, else data/users.toml."""
    return Path(explicit or os.environ.get("COMPLIANCE_USERS") or DEFAULT_USERS)


def _parse(path: Path, raw: dict) -> dict[str, Account]:
    accounts = {}
    for name, entry in (raw.get("users") or {}).items():
        if not isinstance(entry, dict) or entry.get("role") not in ROLES or not entry.get("password"):
            raise AccountError(ACCOUNT_ERRORS["bad_file"].format(path=path, user=name))
        until = entry.get("locked_until") or None
        accounts[name] = Account(
            username=name, role=entry["role"], district=entry.get("district") or None, password=entry["password"],
            active=bool(entry.get("active", True)), identities=tuple(entry.get("identities") or ()),
            failed=int(entry.get("failed") or 0),
            locked_until=dt.datetime.fromisoformat(until) if isinstance(until, str) else until)
    return accounts


def load(path: str | Path | None = None) -> dict[str, Account]:
    """The accounts of the file (empty when it does not exist). Raises AccountError when malformed."""
    p = users_path(path)
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AccountError(ACCOUNT_ERRORS["bad_toml"].format(path=p, error=exc)) from exc
    return _parse(p, raw)


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def dumps(accounts: dict[str, Account]) -> str:
    """The account file's text (header comment, one [users."name"] table per account)."""
    lines = [ACCOUNTS_FILE_HEADER.rstrip("\n"), ""]
    for a in sorted(accounts.values(), key=lambda a: a.username):
        lines += [f"[users.{_toml_string(a.username)}]", f"role = {_toml_string(a.role)}",
                  f"district = {_toml_string(a.district or '')}", f"password = {_toml_string(a.password)}",
                  f"active = {'true' if a.active else 'false'}",
                  f"identities = [{', '.join(_toml_string(i) for i in a.identities)}]",
                  f"failed = {a.failed}",
                  f"locked_until = {_toml_string(a.locked_until.isoformat() if a.locked_until else '')}", ""]
    return "\n".join(lines)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _save(path: Path, accounts: dict[str, Account]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".users-", suffix=".toml")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(dumps(accounts))
    os.chmod(tmp, 0o600)  # the hashes are still secrets
    os.replace(tmp, path)


@contextlib.contextmanager
def editing(path: str | Path | None = None) -> Iterator[dict[str, Account]]:
    """Load, let the caller change the dict, save, all under the file's lock."""
    p = users_path(path)
    with _locked(p):
        accounts = load(p)
        yield accounts
        _save(p, accounts)


def _check_password(password: str) -> str:
    password = (password or "").rstrip("\r\n")
    if len(password) < 8:
        raise AccountError(ACCOUNT_ERRORS["short_password"])
    return password


def _check_username(username: str) -> str:
    username = (username or "").strip()
    if not username or any(c.isspace() for c in username) or len(username) > 64:
        raise AccountError(ACCOUNT_ERRORS["bad_username"].format(username=username))
    return username


def add(username: str, role: str, password: str, district: str | None = None, *,
        identities: tuple[str, ...] = (), path: str | Path | None = None) -> Account:
    """Add an account; `district` (name, alias or code) is required for, and only for, role district.
    Raises AccountError for a taken or bad username, an unknown role or unit, or a short password."""
    username = _check_username(username)
    if role not in ROLES:
        raise AccountError(ACCOUNT_ERRORS["bad_role"].format(role=role))
    code = None
    if role == "district":
        if not district:
            raise AccountError(ACCOUNT_ERRORS["need_district"])
        code = district_code(district)
        if code is None:
            raise AccountError(ACCOUNT_ERRORS["unknown_district"].format(value=district))
    elif district:
        raise AccountError(ACCOUNT_ERRORS["district_not_allowed"].format(role=role))
    hashed = _HASHER.hash(_check_password(password))
    with editing(path) as accounts:
        if username in accounts:
            raise AccountError(ACCOUNT_ERRORS["exists"].format(username=username))
        accounts[username] = Account(username, role, code, hashed, identities=tuple(identities))
        return accounts[username]


def _change(username: str, path: str | Path | None, **changes: object) -> Account:
    with editing(path) as accounts:
        if username not in accounts:
            raise AccountError(ACCOUNT_ERRORS["unknown_user"].format(username=username))
        accounts[username] = replace(accounts[username], **changes)
        return accounts[username]


def disable(username: str, path: str | Path | None = None) -> Account:
    return _change(username, path, active=False)


def enable(username: str, path: str | Path | None = None) -> Account:
    """Re-enable an account (also lifts a lockout)."""
    return _change(username, path, active=True, failed=0, locked_until=None)


def reset(username: str, password: str, path: str | Path | None = None) -> Account:
    """Set a new password (also lifts a lockout)."""
    return _change(username, path, password=_HASHER.hash(_check_password(password)), failed=0, locked_until=None)


def demo_mode(accounts: Mapping[str, Account]) -> bool:
    """True when the loaded account file has no active account, or there is none (演示模式). A
    broken file is no account file: `load` raises and the app refuses to start instead."""
    return not any(a.active for a in accounts.values())


def authenticate(username: str, password: str, path: str | Path | None = None,
                 now: dt.datetime | None = None) -> SignIn:
    """Check a password. Five failures in a row lock the account for 15 minutes (persisted in the
    file, so a new session or a restart does not reset it); a success resets the count."""
    now = now or dt.datetime.now()
    p = users_path(path)
    with _locked(p):
        accounts = load(p)
        a = accounts.get((username or "").strip())
        if a is None:
            with contextlib.suppress(VerificationError, InvalidHashError):
                _HASHER.verify(_dummy_hash(), password or "")
            return SignIn("bad")
        if a.locked(now):
            return SignIn("locked", a, a.locked_until, remaining=0)
        try:
            ok = _HASHER.verify(a.password, password or "")
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
        if ok and not a.active:
            return SignIn("disabled", a)
        if ok:
            if a.failed or a.locked_until:
                accounts[a.username] = replace(a, failed=0, locked_until=None)
                _save(p, accounts)
            return SignIn("ok", accounts[a.username])
        failed = (0 if a.locked_until else a.failed) + 1  # a lapsed lockout starts a new count
        if failed >= MAX_FAILURES:
            until = now.replace(microsecond=0) + LOCKOUT
            accounts[a.username] = replace(a, failed=0, locked_until=until)
            _save(p, accounts)
            return SignIn("locked", a, until, just_locked=True, remaining=0)
        accounts[a.username] = replace(a, failed=failed, locked_until=None)
        _save(p, accounts)
        return SignIn("bad", accounts[a.username], remaining=MAX_FAILURES - failed)


def identity_account(accounts: dict[str, Account], email: str | None = None,
                     subject: str | None = None) -> Account | None:
    """The active account an OIDC identity maps to: its e-mail (case-insensitive) or its subject
    (exact) is listed in the account's `identities`. None = no access."""
    mail = (email or "").strip().lower()
    sub = (subject or "").strip()
    for a in accounts.values():
        listed = {i.strip() for i in a.identities}
        if a.active and ((mail and mail in {i.lower() for i in listed}) or (sub and sub in listed)):
            return a
    return None
