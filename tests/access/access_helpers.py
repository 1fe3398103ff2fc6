"""Constants and helpers shared by the access tests (a plain module: test files cannot import conftest)."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = str(ROOT / "dashboard.py")
JINSHUI, ERQI = "410105", "410103"
PASSWORDS = {"admin1": "Admin-Pass-2026", "duban": "Duban-Pass-2026", "jinshui": "Jinshui-Pass-2026",
             "erqi": "Erqi-Pass-2026"}




def sign_in(at: AppTest, username: str, password: str | None = None) -> AppTest:
    """Fill the sign-in form (用户名、密码) and press 登录."""
    at.text_input(key="sign_in_username").input(username)
    at.text_input(key="sign_in_password").input(PASSWORDS.get(username, "") if password is None else password)
    at.button[0].click()
    return at.run()




def audit_rows(db: Path) -> list[tuple[str, str, str | None]]:
    """(action, actor, target) of every audit row of both stores (accounts.audit), oldest first."""
    from accounts import audit
    from loaders.db import connect_read_only

    con = connect_read_only(db)  # the same configuration as the app's connection to the file
    side = audit.open_side(db)
    try:
        frame = audit.entries(con, side)
    finally:
        con.close()
        side.close()
    return [(r.action, r.actor, r.target) for r in frame.iloc[::-1].itertuples()]
