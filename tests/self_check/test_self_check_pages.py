"""The 区县自查 and 评估通报 pages under AppTest, on our own copy of the sample database.

Covers: a unit with many gaps seen by its own district user, the best unit picked by a bureau
user, pending rows with their working-day deadlines (rows added to a copy, deadlines
hand-computed from the calendar), the gap-list download read back with openpyxl against the
page's gap table, and the report download's sheets. The planner's arithmetic is in
test_planner.py; the checklist query in test_checklist.py.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from sc_helpers import BUREAU, TODAY, add_disclosure, download_bytes

from scoring import evaluate
from ui_text import excel as X
from ui_text import self_check as T
from ui_text.pages import EMPTY_CELL, NO_ACCESS, SIDEBAR
from ui_text.scoring import COMPONENT_LABELS


@pytest.fixture(scope="module")
def ranking(sc_db: Path) -> list[dict]:
    """The sample's units as of TODAY, in rank order (evaluation JSON)."""
    con = duckdb.connect(str(sc_db), read_only=True)
    try:
        return evaluate(con, TODAY).to_json()["districts"]
    finally:
        con.close()


def _frame(at, columns: dict[str, str]) -> pd.DataFrame:
    """The displayed table whose headers are exactly `columns`' labels."""
    wanted = list(columns.values())
    found = [df.value for df in at.dataframe if list(df.value.columns) == wanted]
    assert len(found) == 1, [list(df.value.columns) for df in at.dataframe]
    return found[0]


def _static(at, columns: dict[str, str]) -> pd.DataFrame:
    """The static (wrapping) table whose headers are exactly `columns`' labels."""
    wanted = list(columns.values())
    found = [t.value for t in at.table if list(t.value.columns) == wanted]
    assert len(found) == 1, [list(t.value.columns) for t in at.table]
    return found[0]


GAP_COLUMNS = ("category", "item", "title", "detail", "missing_elements", "workdays_late", "deadline", "rule",
               "remedy")
HEADING = re.compile(re.escape(T.GAP_GROUP_HEADING).replace(re.escape("{category}"), "(?P<category>.+?)")
                     .replace(re.escape("{n}"), r"(?P<n>\d+)").replace(re.escape("{rule}"), "(?P<rule>.+?)")
                     + "(?:" + re.escape(T.GAP_GROUP_REMEDY).replace(re.escape("{remedy}"), "(?P<remedy>.+)") + ")?$")


def _gap_frame(at) -> pd.DataFrame:
    """The 问题清单 as the page shows it, one wrapping table per category under a heading that names
    the category, the indicator and the remedy, put back into the download's nine columns (the page
    must show every cell the download has)."""
    headings = [m for m in (HEADING.match(md.value) for md in at.markdown) if m]
    tables = [t.value for t in at.table if X.HEADERS["detail"] in t.value.columns]
    assert len(headings) == len(tables) > 0
    rows = []
    for heading, table in zip(headings, tables):
        assert int(heading["n"]) == len(table)
        for _, shown in table.iterrows():
            cell = {X.HEADERS["category"]: heading["category"], X.HEADERS["rule"]: heading["rule"],
                    X.HEADERS["remedy"]: heading["remedy"], **shown.to_dict()}
            rows.append([cell.get(X.HEADERS[k]) for k in GAP_COLUMNS])
    return pd.DataFrame(rows, columns=[X.HEADERS[k] for k in GAP_COLUMNS])


def _printed(value: object) -> object:
    """A page cell as the workbook holds it: the page's '—' is a blank, a count is a number."""
    if value == EMPTY_CELL:
        return None
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def _cell(value: object) -> object:
    """One cell as both the page and the workbook can show it: None for blanks, ints for counts."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _workbook_gaps(data: bytes) -> list[list[object]]:
    """The rows under the 问题清单 sheet's gap header, up to the first empty row."""
    ws = openpyxl.load_workbook(io.BytesIO(data))[X.SHEETS["gaps"]]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    top = next(i for i, r in enumerate(rows) if r[0] == X.HEADERS["category"])
    out = []
    for r in rows[top + 1:]:
        if all(v is None for v in r):
            break
        out.append([_cell(v) for v in r[:9]])
    return out


def test_unit_with_gaps_seen_by_its_district_user(open_page, ranking, downloads) -> None:
    worst = ranking[-1]
    assert len(worst["gaps"]) > 5  # the sample's last unit has plenty to fix
    at = open_page("pages/self_check.py", {"role": "district", "district_code": worst["code"]})
    assert [t.value for t in at.title] == [T.TITLE]
    assert not [s for s in at.selectbox if s.label == T.PICK_UNIT]  # a district sees only its own unit
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {T.METRIC_SCORE: f"{worst['score']:.2f}", T.METRIC_GRADE: worst["grade"],
                       T.METRIC_RANK_OF.format(total=16): T.RANK_VALUE.format(rank=len(ranking))}

    checklist = _frame(at, T.CHECKLIST_COLUMNS)
    assert len(checklist) == 43
    components = at.table[0].value  # index: component labels, in the rules' order
    assert list(components.index) == list(COMPONENT_LABELS.values())
    # one decimal, as on 督导总览 and 区县详情 (appkit.tables.PERCENT_FORMAT), e.g. 0.9535 -> '95.3%'
    assert components[T.COMPONENT_COLUMNS["value"]].iloc[0] == f"{100 * worst['catalog_coverage']:.1f}%"
    assert all(re.fullmatch(r"\d+\.\d%", v) for v in components[T.COMPONENT_COLUMNS["value"]].iloc[:5]
               if v != T.NOT_EVALUATED)
    # The checklist (own query) agrees with the evaluation's gaps, item by item.
    label = checklist[T.CHECKLIST_COLUMNS["level1"]] + "/" + checklist[T.CHECKLIST_COLUMNS["level2"]]
    not_listed = set(label[checklist[T.CHECKLIST_COLUMNS["in_catalog"]] == T.NO])
    assert not_listed == {g["item"] for g in worst["gaps"] if g["category"] == "missing_item"}
    assert not_listed == set(worst["missing_items"])
    silent = set(label[checklist[T.CHECKLIST_COLUMNS["disclosed"]] == T.NO])
    assert silent == {g["item"] for g in worst["gaps"] if g["category"] == "no_disclosure"}

    gaps = _gap_frame(at)
    assert len(gaps) == len(worst["gaps"])
    # The download is the same list: same rows, same order, same cells.
    data = download_bytes(at, "download_gaps", downloads)
    page_rows = [[_printed(_cell(v)) for v in row] for row in gaps.itertuples(index=False)]
    assert _workbook_gaps(data) == page_rows

    text = " ".join(m.value for m in at.markdown)
    # the milestone's long name is the scoring wording shared by every page
    assert f"**{COMPONENT_LABELS['milestone_2020_09']}**" in text
    assert f"**{COMPONENT_LABELS['milestone_2023_06']}**" in text
    assert T.MILESTONE_STATUS[worst["milestone_2023_06"]["status"]].split("（")[0] in text


def test_best_unit_picked_by_a_bureau_user(open_page, ranking, downloads) -> None:
    best = ranking[0]
    at = open_page("pages/self_check.py", BUREAU)
    at.selectbox(key="self_check_unit").set_value(best["code"]).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[T.METRIC_RANK_OF.format(total=16)] == T.RANK_VALUE.format(rank=1)
    assert metrics[T.METRIC_SCORE] == f"{best['score']:.2f}"
    gaps = _gap_frame(at) if best["gaps"] else None
    if gaps is None:
        assert T.NO_GAPS in [i.value for i in at.info]
        expected: list[list[object]] = [[X.NO_GAPS] + [None] * 8]
    else:
        expected = [[_printed(_cell(v)) for v in row] for row in gaps.itertuples(index=False)]
    assert _workbook_gaps(download_bytes(at, "download_gaps", downloads)) == expected


def test_planner_shows_ranked_fixes_and_the_reachable_rank(open_page, ranking) -> None:
    worst = ranking[-1]
    at = open_page("pages/self_check.py", {"role": "district", "district_code": worst["code"]})
    fixes = _frame(at, T.PLANNER_COLUMNS)
    gains = [float(g.split()[0]) for g in fixes[T.PLANNER_COLUMNS["gain"]]]
    assert gains == sorted(gains, reverse=True) and gains[0] > 0
    assert all(g.startswith("+") and g.endswith(" 分") for g in fixes[T.PLANNER_COLUMNS["gain"]])
    at.number_input(key="self_check_top_n").set_value(1).run()
    sentence = at.success[0].value
    # doing the top fix alone adds exactly its gain
    assert f"{worst['score'] + gains[0]:.2f}" in sentence
    assert sentence.endswith(f"（当前第 {worst['rank']} 名）。")


def test_pending_rows_show_their_working_day_deadline(open_page, sample_db_copy, ranking) -> None:
    best = ranking[0]["code"]
    con = duckdb.connect(str(sample_db_copy))
    # The calendar facts the hand computation below relies on: 2024-06-10 (端午节) is a holiday.
    assert con.execute("SELECT is_workday FROM calendar WHERE day = DATE '2024-06-10'").fetchone()[0] is False
    # S01 (法规政策/法律法规) allows 20 working days.
    assert con.execute("SELECT time_limit_workdays FROM standard_catalog WHERE item_id = 'S01'").fetchone()[0] == 20
    # formed 2024-05-29 (Wed): May 30, 31 (2); Jun 3-7 (7); Jun 10 holiday; Jun 11-14 (11);
    # Jun 17-21 (16); Jun 24-27 (20) -> deadline Thu 2024-06-27, before TODAY: overdue, red.
    add_disclosure(con, best, "d9001", "S01", dt.date(2024, 5, 29), None, title="待公开甲")
    # formed 2024-06-20 (Thu): Jun 21 (1); Jun 24-28 (6); Jul 1-5 (11); Jul 8-12 (16);
    # Jul 15-18 (20) -> deadline Thu 2024-07-18; from Sun 2024-06-30: Jul 1..18 = 14 working days left.
    add_disclosure(con, best, "d9002", "S01", dt.date(2024, 6, 20), None, title="待公开乙")
    con.close()

    at = open_page("pages/self_check.py", {"role": "district", "district_code": best}, db=sample_db_copy)
    c = T.PENDING_COLUMNS
    order = {c[k]: c[k] for k in ("title", "status", "workdays_left", "deadline", "item", "formed_on")}
    pending = _static(at, order).set_index(c["title"])
    # the page's one date format, as its download and its sentences print dates
    assert pending.loc["待公开甲", c["deadline"]] == "2024年6月27日"
    # Fri 2024-06-28 was the one working day past the deadline: 1 day late, said positively,
    # and no (negative) days left beside it
    assert pending.loc["待公开甲", c["status"]] == "已逾期1个工作日" == T.PENDING_OVERDUE_DAYS.format(n=1)
    assert pending.loc["待公开甲", c["workdays_left"]] == EMPTY_CELL
    assert all(v == EMPTY_CELL or int(v) >= 0 for v in pending[c["workdays_left"]])
    assert pending.loc["待公开乙", c["deadline"]] == "2024年7月18日"
    assert pending.loc["待公开乙", c["workdays_left"]] == "14"
    assert pending.loc["待公开乙", c["status"]] == T.PENDING_DUE
    # Exactly the overdue rows are drawn red (the Styler's CSS names each red cell's row).
    styled = next(t for t in at.table if list(t.value.columns) == list(order))
    red_rules = [rule for rule in styled.proto.arrow_data.styler.styles.split("}") if "#d73027" in rule]
    red_rows = {int(n) for rule in red_rules for n in re.findall(r"_row(\d+)_col", rule)}
    statuses = styled.value[c["status"]].tolist()
    overdue_rows = {i for i, s in enumerate(statuses) if s.startswith(T.PENDING_OVERDUE)}
    assert red_rows == overdue_rows
    assert statuses.index(T.PENDING_OVERDUE_DAYS.format(n=1)) in red_rows
    assert statuses.index(T.PENDING_DUE) not in red_rows
    # The pending row that is overdue also appears in the gap list.
    gaps = _gap_frame(at)
    assert "待公开甲" in set(gaps[X.HEADERS["title"]]) and "待公开乙" not in set(gaps[X.HEADERS["title"]])


def test_report_page_downloads_the_circulated_workbook(open_page, downloads) -> None:
    at = open_page("pages/report.py", BUREAU)
    assert [t.value for t in at.title] == [T.REPORT_TITLE]
    preview = _frame(at, T.RANKING_COLUMNS)
    assert len(preview) == 16 and preview[T.RANKING_COLUMNS["rank"]].tolist()[0] == 1
    assert [w.value for w in at.warning if w.value.startswith(SIDEBAR["sample_badge"])]
    wb = openpyxl.load_workbook(io.BytesIO(download_bytes(at, "download_report", downloads)))
    assert wb.sheetnames[:4] == ["排名", "分项得分", "问题清单", "里程碑"]
    assert wb.sheetnames[-2:] == ["说明", "附件：数据来源"]  # methodology, then the internal annex, last
    assert wb.active.title == "排名"  # it opens on the ranking
    all_sheets = wb.sheetnames
    about = [c for row in wb["说明"].iter_rows(values_only=True) for c in row if c]
    assert X.ABOUT["sample_warning"] in about
    ranked = [row[:2] for row in wb["排名"].iter_rows(values_only=True) if isinstance(row[0], int)]
    assert ranked[0] == (1, preview[T.RANKING_COLUMNS["name"]].iloc[0]) and len(ranked) == 16

    # Two units with per-unit sheets: the ranking lists two rows and each unit gets a sheet.
    codes = [at.multiselect(key="report_units").value[i] for i in (0, 1)]
    at.multiselect(key="report_units").set_value(codes)
    at.checkbox(key="report_per_district").check().run()
    assert not at.exception
    assert len(_frame(at, T.RANKING_COLUMNS)) == 2
    wb = openpyxl.load_workbook(io.BytesIO(download_bytes(at, "download_report", downloads)))
    ranked = [row[:2] for row in wb["排名"].iter_rows(values_only=True) if isinstance(row[0], int)]
    assert [name for _, name in ranked] == _frame(at, T.RANKING_COLUMNS)[T.RANKING_COLUMNS["name"]].tolist()
    # one sheet per chosen unit (the 人工核查 sheet appears only when the chosen units have findings)
    assert set(_frame(at, T.RANKING_COLUMNS)[T.RANKING_COLUMNS["name"]]) <= set(wb.sheetnames)
    assert len(all_sheets) >= 6


def test_report_page_refuses_a_district_user(open_page, ranking) -> None:
    at_user = {"role": "district", "district_code": ranking[0]["code"]}
    at = open_page("pages/report.py", at_user)  # the URL is known; the page itself refuses
    assert [e.value for e in at.error] == [NO_ACCESS]
    assert not at.get("download_button")  # no workbook of any unit is offered



def test_a_unit_with_nothing_loaded(open_page, fresh_db, downloads) -> None:
    """A fresh database (no sample): no 示例数据 warning, every item missing, milestones unmet."""
    at = open_page("pages/self_check.py", {"role": "district", "district_code": "410105"}, db=fresh_db)
    assert not [w for w in at.warning if w.value.startswith(SIDEBAR["sample_badge"])]
    checklist = _frame(at, T.CHECKLIST_COLUMNS)
    assert set(checklist[T.CHECKLIST_COLUMNS["in_catalog"]]) == {T.NO}
    assert set(checklist[T.CHECKLIST_COLUMNS["disclosed"]]) == {T.NO}
    assert T.NO_PENDING in [i.value for i in at.info] and T.NO_OVERDUE in [i.value for i in at.info]
    assert [m.value for m in at.markdown].count(f"- {T.UNMET_NO_CATALOG}") == 2
    # 43 missing items + 43 undisclosed items + the two missed milestones + the no_catalog veto
    # (DESIGN §12), in page and download alike
    gaps = _gap_frame(at)
    assert len(gaps) == 43 + 43 + 2 + 1
    page_rows = [[_cell(v) for v in row] for row in gaps.itertuples(index=False)]
    assert _workbook_gaps(download_bytes(at, "download_gaps", downloads)) == page_rows
