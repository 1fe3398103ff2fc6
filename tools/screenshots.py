"""Full-page screenshots of every page, as every role, at 1280 and 1440 px, at two evaluation dates.

    .venv/bin/python tools/screenshots.py [--out /tmp/shots] [--db PATH] [--widths 1280,1440]
                                          [--dates today,2023-06-30] [--only overview,trend]

Starts `streamlit run dashboard.py` on 127.0.0.1 (a free port) on a copy of the database (the bundled
sample, built through the loaders, when --db is not given), with a real account file of four accounts:
数据管理员 (admin), 市局督导 (bureau) and two 区县 offices (金水区, 新密市). Each account signs in once
per date (the date comes from ?as_of= on the first URL), opens each of its sidebar pages in turn, and
each page is shot at every width with the viewport as tall as the page's content (the main area
scrolls itself, so a plain full-page shot would stop at the viewport). Debian's /usr/bin/chromium is
driven by Playwright; nothing is downloaded. PNGs are written as
`<out>/<width>/<date>/<account>-<page>.png`; the list is printed at the end.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from accounts import store  # noqa: E402
from accounts.scope import PAGE_ROLES  # noqa: E402
from bench.sessions import stop_server  # noqa: E402  # the one way a started streamlit server is stopped
from ui_text.access import PAGE_TITLES as ACCESS_TITLES  # noqa: E402
from ui_text.access import SIGN_IN  # noqa: E402
from ui_text.pages import PAGE_TITLES  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TITLES = {**PAGE_TITLES, **ACCESS_TITLES}
# account -> (role, unit, password)
ACCOUNTS = {
    "admin": ("admin", None, "Shots-Admin-2026"),
    "bureau": ("bureau", None, "Shots-Bureau-2026"),
    "jinshui": ("district", "金水区", "Shots-Jinshui-2026"),
    "xinmi": ("district", "新密市", "Shots-Xinmi-2026"),
}
# the admin sees every page; shoot only what the bureau account does not already show
# pages with a unit picker: the bureau account shoots the unit with the most to show
PICK_UNIT = {"district_detail": "郑州航空港经济综合实验区", "self_check": "新密市"}
ADMIN_ONLY = tuple(p for p, roles in PAGE_ROLES.items() if "bureau" not in roles)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(base: str, proc: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"streamlit 已退出（{proc.returncode}）")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("streamlit 未能启动")


def settle(tab, extra_ms: int = 1200) -> None:  # type: ignore[no-untyped-def]
    """Wait until the script run has finished (no 'running' status widget) and charts drew."""
    tab.wait_for_timeout(400)
    for _ in range(240):
        if tab.locator("[data-testid='stStatusWidget']").count() == 0:
            break
        tab.wait_for_timeout(250)
    tab.wait_for_timeout(extra_ms)


def shoot(tab, path: Path, width: int, min_height: int) -> None:  # type: ignore[no-untyped-def]
    tab.set_viewport_size({"width": width, "height": min_height})
    tab.wait_for_timeout(600)
    shown = min_height
    for _ in range(6):  # tables and charts re-lay out at the new size: until the height is stable
        height = tab.evaluate("document.querySelector('[data-testid=stMainBlockContainer]')"
                              ".getBoundingClientRect().height")
        wanted = max(min_height, int(height) + 160)
        if wanted == shown:
            break
        shown = wanted
        tab.set_viewport_size({"width": width, "height": shown})
        tab.wait_for_timeout(700)
    path.parent.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(path), full_page=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="每个页面、每种角色的整页截图")
    parser.add_argument("--out", default="/tmp/shots")
    parser.add_argument("--db", default=None)
    parser.add_argument("--widths", default="1280,1440")
    parser.add_argument("--dates", default="today,2023-06-30")
    parser.add_argument("--accounts", default=",".join(ACCOUNTS))
    parser.add_argument("--only", default="", help="只截这些页面（url_path，逗号分隔）")
    args = parser.parse_args(argv)
    from playwright.sync_api import expect, sync_playwright

    out = Path(args.out)
    work = Path(tempfile.mkdtemp(prefix="shots-"))
    db = work / "shots.duckdb"
    if args.db:
        shutil.copy(args.db, db)
    else:
        from loaders.sample import build_database
        build_database(db)
    users = work / "users.toml"
    for name, (role, unit, password) in ACCOUNTS.items():
        store.add(name, role, password, unit, path=users)
    widths = [int(w) for w in args.widths.split(",")]
    heights = {1280: 800, 1440: 900}
    only = {p for p in args.only.split(",") if p}
    port = free_port()
    env = {**os.environ, "COMPLIANCE_DB": str(db), "COMPLIANCE_USERS": str(users)}
    log = (work / "streamlit.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    written: list[Path] = []
    try:
        wait_healthy(base, proc)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for date in args.dates.split(","):
                as_of = "" if date == "today" else f"?as_of={dt.date.fromisoformat(date).isoformat()}"
                for name in args.accounts.split(","):
                    role, _unit, password = ACCOUNTS[name]
                    pages = [u for u, roles in PAGE_ROLES.items() if role in roles]
                    if role == "admin":
                        pages = [u for u in pages if u in ADMIN_ONLY]
                    pages = [u for u in pages if not only or u in only]
                    if not pages:
                        continue
                    context = browser.new_context(viewport={"width": widths[0], "height": 900}, locale="zh-CN")
                    tab = context.new_page()
                    tab.goto(f"{base}/{pages[0]}{as_of}", wait_until="domcontentloaded")
                    expect(tab.get_by_label(SIGN_IN["username"])).to_be_visible(timeout=90_000)
                    tab.get_by_label(SIGN_IN["username"]).fill(name)
                    tab.get_by_label(SIGN_IN["password"]).fill(password)
                    tab.get_by_role("button", name=SIGN_IN["submit"]).click()
                    for page in pages:
                        link = tab.get_by_test_id("stSidebar").get_by_role("link", name=TITLES[page], exact=True)
                        expect(link).to_be_visible(timeout=90_000)
                        link.click()
                        expect(tab.get_by_role("heading", name=TITLES[page]).first).to_be_visible(timeout=90_000)
                        settle(tab)
                        if role != "district" and page in PICK_UNIT:  # the bureau looks at the weakest unit
                            tab.get_by_test_id("stMain").get_by_role("combobox").first.click()
                            tab.get_by_role("option", name=PICK_UNIT[page], exact=True).click()
                            settle(tab)
                        tabs = tab.get_by_test_id("stMain").get_by_role("tab")
                        names = [tabs.nth(i).inner_text() for i in range(tabs.count())] or [""]
                        for i, tab_name in enumerate(names):
                            if tab_name:
                                tabs.nth(i).click()
                                settle(tab, 800)
                            suffix = f"-{i}" if tab_name else ""
                            for width in widths:
                                path = out / str(width) / date / f"{name}-{page}{suffix}.png"
                                shoot(tab, path, width, heights.get(width, 900))
                                written.append(path)
                                print(path, flush=True)
                    context.close()
            browser.close()
    finally:
        stop_server(proc)
        log.close()
    print(f"共 {len(written)} 张截图，服务器日志：{work / 'streamlit.log'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
