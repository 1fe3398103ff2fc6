"""The real thing in a real browser: `streamlit run serve.py` (run.sh's entry: dashboard.py with the
server-start warm-up) as a subprocess on a copy of the
sample database, Debian's /usr/bin/chromium driven by Playwright (never a downloaded browser).

Checks the health endpoint (issue #2), the sign-in gate (a real account file), the overview with 16 units, the
drill-down to a unit, and that Chinese is rendered (text in the page, a non-trivial screenshot in
tests/artifacts/ to look at). test.sh (scripts/setup.sh dev) installs chromium and fonts-noto-cjk, so nothing here is skipped.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from page_helpers import ROOT, TODAY
from playwright.sync_api import Page, expect, sync_playwright

from bench.sessions import stop_server  # the one way a started streamlit server is stopped
from ui_text import self_check as SC
from ui_text.access import SIGN_IN
from ui_text.common import date_text
from ui_text.pages import DETAIL, OVERVIEW, PAGE_TITLES

ARTIFACTS = ROOT / "tests" / "artifacts"
pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


PASSWORDS = {"duban": "Duban-Pass-2026", "xinmi": "Xinmi-Pass-2026"}


def sign_in(tab: Page, username: str) -> None:
    """The sign-in form: 用户名, 密码, 登录."""
    expect(tab.get_by_label(SIGN_IN["username"])).to_be_visible(timeout=60_000)
    tab.get_by_label(SIGN_IN["username"]).fill(username)
    tab.get_by_label(SIGN_IN["password"]).fill(PASSWORDS[username])
    tab.get_by_role("button", name=SIGN_IN["submit"]).click()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.3)
    raise AssertionError("streamlit did not become healthy")


@pytest.fixture(scope="module")
def server(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    db = tmp_path_factory.mktemp("browser") / "browser.duckdb"
    db.write_bytes(sample_db.read_bytes())
    port = free_port()
    from accounts import store

    users = tmp_path_factory.mktemp("browser_users") / "users.toml"
    for name, role, unit in (("duban", "bureau", None), ("xinmi", "district", "新密市")):
        store.add(name, role, PASSWORDS[name], unit, path=users)
    env = {**os.environ, "COMPLIANCE_DB": str(db), "COMPLIANCE_TODAY": TODAY.isoformat(),
           "COMPLIANCE_USERS": str(users)}
    log = tmp_path_factory.mktemp("browser_log") / "streamlit.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            health = wait_healthy(base, proc)
            yield base, health
        finally:
            stop_server(proc)


@pytest.fixture(scope="module")
def page(server: tuple[str, str]) -> Iterator[Page]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 2000}, locale="zh-CN")
        yield context.new_page()
        browser.close()


def test_health_endpoint_says_ok(server: tuple[str, str]) -> None:
    assert server[1] == "ok"


def test_a_shared_detail_link_passes_the_gate_and_keeps_its_unit(server: tuple[str, str], page: Page) -> None:
    """Runs first on the fresh server: its first script run is Streamlit's legacy pages/ mode,
    where the URL runs pages/district_detail.py directly; the page must hand over to the gate."""
    base, _ = server
    context = page.context.browser.new_context(viewport={"width": 1280, "height": 1200}, locale="zh-CN")
    fresh = context.new_page()  # a new session: nobody has signed in yet
    fresh.goto(f"{base}/district_detail?unit=410105", wait_until="domcontentloaded")
    expect(fresh.get_by_label(SIGN_IN["username"])).to_be_visible(timeout=60_000)
    expect(fresh.get_by_text("Page not found")).to_have_count(0)
    expect(fresh.get_by_role("heading", name=PAGE_TITLES["district_detail"])).to_have_count(0)
    sign_in(fresh, "duban")
    expect(fresh.get_by_role("heading", name=PAGE_TITLES["district_detail"])).to_be_visible(timeout=60_000)
    expect(fresh.get_by_test_id("stMain").get_by_role("combobox").first).to_have_value("金水区", timeout=30_000)
    expect(fresh.get_by_role("heading", name=DETAIL["components"])).to_be_visible(timeout=30_000)
    context.close()


def test_sign_in_overview_and_drill_down(server: tuple[str, str], page: Page) -> None:
    base, _ = server
    page.goto(base, wait_until="domcontentloaded")
    expect(page.get_by_label(SIGN_IN["username"])).to_be_visible(timeout=60_000)
    expect(page.get_by_text(PAGE_TITLES["overview"])).to_have_count(0)  # the gate hides the pages
    sign_in(page, "duban")
    expect(page.get_by_role("heading", name=PAGE_TITLES["overview"])).to_be_visible(timeout=60_000)
    expect(page.get_by_text(OVERVIEW["units"])).to_be_visible(timeout=30_000)
    units = page.get_by_test_id("stMetric").filter(has_text=OVERVIEW["units"])
    expect(units.get_by_test_id("stMetricValue")).to_have_text("16", timeout=30_000)
    chart = page.locator(f"svg[aria-label='{OVERVIEW['chart']}']")  # 得分分布: an SVG from the server
    expect(chart).to_have_count(1, timeout=30_000)
    expect(chart).to_be_visible(timeout=30_000)
    expect(chart.locator("rect[data-grade]")).to_have_count(16)  # one bar per unit, none cut by the sanitiser
    expect(page.locator(".js-plotly-plot")).to_have_count(0)
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(0)
    page.wait_for_timeout(1500)  # let the chart finish drawing
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    overview_png = ARTIFACTS / "overview.png"
    page.screenshot(path=str(overview_png), full_page=True)
    assert overview_png.stat().st_size > 50_000

    page.get_by_role("button", name=OVERVIEW["open_button"]).click()
    expect(page.get_by_role("heading", name=PAGE_TITLES["district_detail"])).to_be_visible(timeout=60_000)
    expect(page.get_by_text(DETAIL["components"])).to_be_visible(timeout=30_000)
    expect(page.get_by_text(DETAIL["catalog_diff"])).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1500)
    detail_png = ARTIFACTS / "district_detail.png"
    page.screenshot(path=str(detail_png), full_page=True)
    assert detail_png.stat().st_size > 50_000
    expect(page.get_by_role("heading", name=DETAIL["overdue"])).to_be_visible(timeout=30_000)



def test_district_user_self_check_renders_in_chinese(server: tuple[str, str], page: Page) -> None:
    """新密市's own office signs in, lands on 区县自查 (its default page), and sees its score,
    the pending table with overdue rows, the planner and the gap-list download, in Chinese."""
    base, _ = server
    context = page.context.browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    office = context.new_page()
    office.goto(base, wait_until="domcontentloaded")
    sign_in(office, "xinmi")
    expect(office.get_by_role("heading", name=SC.TITLE)).to_be_visible(timeout=60_000)
    expect(office.get_by_role("heading", name="新密市")).to_be_visible(timeout=30_000)
    expect(office.get_by_role("heading", name=SC.SECTION_PLANNER)).to_be_visible(timeout=60_000)
    expect(office.get_by_role("heading", name=SC.SECTION_PENDING)).to_be_visible()
    expect(office.get_by_test_id("stDownloadButton")).to_contain_text(SC.DOWNLOAD_GAPS.format(as_of=date_text(TODAY)))
    # a district office sees only its own pages: no 督导总览 link in the sidebar
    expect(office.get_by_test_id("stSidebar").get_by_role("link", name=PAGE_TITLES["overview"])).to_have_count(0)
    expect(office.get_by_test_id("stSidebar").get_by_role("link", name=PAGE_TITLES["self_check"])).to_have_count(1)
    office.wait_for_timeout(1000)
    height = office.evaluate("document.querySelector('[data-testid=stMainBlockContainer]')"
                             ".getBoundingClientRect().height")
    office.set_viewport_size({"width": 1280, "height": int(height) + 200})  # the main area scrolls itself
    office.wait_for_timeout(1000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "self_check_district.png"
    office.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
    context.close()


def _workbook_as_of(path: Path) -> str:
    """The value next to the 评估截止日期 label, wherever the workbook puts it."""
    import openpyxl

    from ui_text.excel import ABOUT
    wb = openpyxl.load_workbook(path, read_only=True)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells = list(row)
            if ABOUT["as_of"] in cells:
                return str(cells[cells.index(ABOUT["as_of"]) + 1])
    raise AssertionError("no 评估截止日期 in the workbook")


def test_typed_date_then_download_never_gives_another_date(server: tuple[str, str], page: Page,
                                                           tmp_path: Path) -> None:
    """Issue 11 item 1: type a new 评估日期 on 评估通报 and click download straight away (no Tab, no
    Enter): the workbook is for the date the button names, which is the committed one; after 确定
    the button, the file name and the workbook's 评估截止日期 all carry the typed date."""
    from ui_text.pages import PERIOD
    base, _ = server
    context = page.context.browser.new_context(viewport={"width": 1280, "height": 1200}, locale="zh-CN",
                                               accept_downloads=True)
    tab = context.new_page()
    tab.goto(f"{base}/report", wait_until="domcontentloaded")
    sign_in(tab, "duban")
    expect(tab.get_by_role("heading", name=SC.REPORT_TITLE)).to_be_visible(timeout=60_000)
    button = tab.get_by_test_id("stDownloadButton")
    expect(button).to_contain_text(SC.REPORT_DOWNLOAD.format(as_of=date_text(TODAY)), timeout=60_000)

    # Streamlit's date field is three segments (year / month / day); typing fills them in turn
    year = tab.get_by_role("spinbutton", name=f"year, {PERIOD['as_of']}")
    year.click()
    tab.keyboard.type("20230630")
    expect(tab.get_by_role("spinbutton", name=f"day, {PERIOD['as_of']}")).to_have_text("30")
    expect(year).to_have_text("2023")
    with tab.expect_download(timeout=60_000) as first:
        button.locator("button").click()
    saved = tmp_path / first.value.suggested_filename
    first.value.save_as(saved)
    # the button said which date it was for, and that is the date in the file and its name
    assert first.value.suggested_filename == SC.REPORT_FILE_NAME.format(as_of=TODAY.isoformat())
    assert _workbook_as_of(saved) == date_text(TODAY)

    year.click()
    tab.keyboard.type("20230630")
    tab.get_by_role("button", name=PERIOD["submit"]).click()
    expect(button).to_contain_text(SC.REPORT_DOWNLOAD.format(as_of="2023年6月30日"), timeout=60_000)
    expect(tab.get_by_text(PERIOD["current"].format(as_of="2023年6月30日", since="2023年1月1日")))\
        .to_be_visible(timeout=30_000)
    with tab.expect_download(timeout=60_000) as second:
        button.locator("button").click()
    saved = tmp_path / second.value.suggested_filename
    second.value.save_as(saved)
    assert second.value.suggested_filename == SC.REPORT_FILE_NAME.format(as_of="2023-06-30")
    assert _workbook_as_of(saved) == "2023年6月30日"
    assert "as_of=2023-06-30" in tab.url
    context.close()


def test_a_bookmarked_page_url_is_never_page_not_found(server: tuple[str, str], page: Page) -> None:
    """/overview (the bureau's first page) used to be Streamlit's default page, served only at '/',
    so its own URL showed the English 'Page not found' modal; now every page URL is known."""
    base, _ = server
    context = page.context.browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    tab = context.new_page()
    for path in ("overview", "milestones"):
        tab.goto(f"{base}/{path}?as_of=2023-06-30", wait_until="domcontentloaded")
        expect(tab.get_by_label(SIGN_IN["username"])).to_be_visible(timeout=60_000)
        tab.wait_for_timeout(1500)
        expect(tab.get_by_text("Page not found")).to_have_count(0)
    sign_in(tab, "duban")  # the bookmarked page itself opens, with its date
    expect(tab.get_by_role("heading", name=PAGE_TITLES["milestones"])).to_be_visible(timeout=60_000)
    expect(tab.get_by_text("Page not found")).to_have_count(0)
    assert "as_of=2023-06-30" in tab.url
    context.close()


def test_gap_details_read_in_full_at_1280_px(server: tuple[str, str], page: Page, sample_db: Path) -> None:
    """Issue 11 item 6: at 1280 × 900 with the sidebar open, 新密市's office sees every gap's 问题说明
    whole (the longest one: every character inside the viewport, nothing clipped by its cell), every
    grid of 区县自查 shows all its rows and columns without scrolling inside it, and the sentences
    date as 2025年6月30日, never 2025-06-30."""
    import duckdb

    import scoring
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        gaps = scoring.evaluate(con, TODAY).district("410183").to_json()["gaps"]
    finally:
        con.close()
    longest = max((g["detail"] for g in gaps), key=len)
    assert len(longest) > 40 and "2025-" not in longest and "年" in longest
    base, _ = server
    context = page.context.browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    tab.goto(f"{base}/self_check", wait_until="domcontentloaded")
    sign_in(tab, "xinmi")
    expect(tab.get_by_role("heading", name=SC.SECTION_GAPS)).to_be_visible(timeout=60_000)
    cell = tab.get_by_test_id("stTable").locator("td", has_text=longest)
    expect(cell).to_have_count(1, timeout=30_000)
    cell.scroll_into_view_if_needed()
    expect(cell).to_have_text(longest)
    box = cell.bounding_box()
    assert box is not None and box["x"] >= 300 and box["x"] + box["width"] <= 1280  # beside the sidebar
    clipped = cell.evaluate("td => [...td.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1)"
                            " || td.scrollWidth > td.clientWidth + 1")
    assert not clipped
    grids = tab.get_by_test_id("stDataFrame")
    assert grids.count() >= 1
    for i in range(grids.count()):
        scroll = grids.nth(i).locator(".dvn-scroller").first
        size = scroll.evaluate("s => [s.scrollWidth - s.clientWidth, s.scrollHeight - s.clientHeight]")
        assert size[0] <= 1 and size[1] <= 1, f"grid {i} scrolls inside itself by {size} px"
    context.close()
