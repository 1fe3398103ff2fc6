"""Deterministic generator of the bundled sample data in `data/sample/` (issue #2).

Reads the scenarios (`data/sample/scenarios.toml`), the words it writes
(`data/sample/vocabulary.toml`), the city standard catalog and the working-day calendar, and
writes for each of the 16 units its catalog versions and disclosure logs in the formats
districts publish (xlsx with merged cells, GBK/UTF-8 csv, HTML portal pages; DESIGN §5), plus
`sources.toml` and the scenario table of `README.md`. Fixed seed, fixed workbook timestamps
and fixed zip entry times: re-running produces byte-identical files.

Usage: `python tools/make_sample.py [--out DIR]`.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import io
import random
import re
import sys
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from loaders import reference  # noqa: E402
from loaders.names import SYNONYMS_CSV  # noqa: E402
from ui_text.common import HOLIDAY_NAMES  # noqa: E402

SAMPLE_DIR = ROOT / "data" / "sample"
SEED = 20200624  # date of the city guide
START = dt.date(2020, 6, 1)
LAST_PUBLISHED = dt.date(2026, 11, 24)
PENDING_FROM = dt.date(2026, 10, 1)
FIXED_TIME = dt.datetime(2026, 11, 20, 9, 0, 0)
ZIP_TIME = (2026, 11, 20, 9, 0, 0)
# Events per year for each standard item (seq); 6, 7, 11, 33-40, 43 are placed by rule.
RATES = {1: 1.0, 2: 2.5, 3: 1.2, 4: 1.0, 5: 1.5, 8: 1.2, 9: 1.0, 10: 1.0, 12: 3.0, 13: 1.5,
         14: 2.0, 15: 2.0, 16: 2.0, 17: 2.5, 18: 3.0, 19: 4.0, 20: 0.5, 21: 0.4, 22: 1.0, 23: 1.0,
         24: 0.3, 25: 1.0, 26: 1.0, 27: 1.0, 28: 0.5, 29: 1.0, 30: 0.6, 31: 1.0, 32: 0.5,
         41: 2.0, 42: 1.0}
GUIDES = range(33, 39)
LAW, POLICY, PROGRESS, UPPER_INTERP, LOCAL_INTERP, EVALUATION = 1, 2, 11, 39, 40, 43


class WorkCalendar:
    """Working days from the product's own calendar rows (chinese_calendar + overrides)."""

    def __init__(self) -> None:
        rows = reference.calendar_rows(dt.date(2019, 1, 1), dt.date(2027, 12, 31))
        self.no = {r[0]: r[2] for r in rows}
        self.is_work = {r[0]: r[1] for r in rows}
        self.by_no = {r[2]: r[0] for r in rows if r[1]}
        wanted = {HOLIDAY_NAMES["Spring Festival"], HOLIDAY_NAMES["National Day"]}
        firsts: dict[tuple[int, str], dt.date] = {}
        for day, work, _, name, _ in rows:
            if not work and name in wanted:
                firsts.setdefault((day.year, name), day)
        self.holiday_starts = sorted(firsts.values())

    def add(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day strictly after `day` (n >= 1)."""
        return self.by_no[self.no[day] + n]

    def on_or_before(self, day: dt.date) -> dt.date:
        while not self.is_work[day]:
            day -= dt.timedelta(days=1)
        return day


@dataclass
class Disclosure:
    seq: int | None  # standard item, None = unmappable
    title: str
    item: str
    formed: dt.date | None
    published: dt.date | None
    minute: int = 0


@dataclass
class Unit:
    cfg: dict
    rng: random.Random
    label: str
    code: str
    rows: list[Disclosure] = field(default_factory=list)
    used_docs: set[str] = field(default_factory=set)


def load_inputs() -> tuple[dict, dict, list[dict], dict[str, tuple[str, str, list[str]]]]:
    scen = tomllib.loads((SAMPLE_DIR / "scenarios.toml").read_text(encoding="utf-8"))
    vocab = tomllib.loads((SAMPLE_DIR / "vocabulary.toml").read_text(encoding="utf-8"))
    with reference.STANDARD_TSV.open(encoding="utf-8") as f:
        standard = list(csv.DictReader(f, delimiter="\t"))
    units = {d.name: (d.code, d.name, list(d.aliases)) for d in reference.districts()}
    return scen, vocab, standard, units


def synonyms() -> list[tuple[str, str]]:
    with SYNONYMS_CSV.open(encoding="utf-8") as f:
        return [(r["short_form"], r["long_form"]) for r in csv.DictReader(f)]


# ---------------------------------------------------------------- catalogs

@dataclass
class CatalogRow:
    level1: str
    level2: str
    values: dict[str, str]  # content, basis, time_limit, subject, channels
    ticks: dict[str, list[bool]]  # audience, method, disclosure_level -> sub-column ticks


def catalog_rows(unit: Unit, version: dict, standard: list[dict], vocab: dict) -> list[CatalogRow]:
    """The rows of one catalog version: standard items minus `missing`, `blank` cleared, locals added."""
    cfg, hdr = unit.cfg, vocab["catalog_headers"]
    missing = set(version.get("missing", []))
    blank = {int(k): set(v) for k, v in version.get("blank", {}).items()}
    numbering = ["{i}.", "{i}、", "({i})"][unit.rng.randrange(3)]
    sep = "\uff1b"  # full-width semicolon used inside the standard's channel text
    rows: list[CatalogRow] = []
    for r in standard:
        seq = int(r["seq"])
        if seq in missing:
            continue
        level2 = r["level2"]
        if cfg.get("long_names"):
            for short, long in synonyms():
                level2 = level2.replace(short, long)
            level2 = level2.replace("\uff08", "(").replace("\uff09", ")")
        content = "\n".join(numbering.format(i=i) + e for i, e in enumerate(r["content_elements"].split(";"), 1))
        basis_items = r["basis"].split(";")
        basis = "\n".join(f"{i}.{b}" for i, b in enumerate(basis_items, 1)) if len(basis_items) > 1 else basis_items[0]
        channels = [c for c in r["channels"].split(sep) if c]
        if cfg["channels"] == "boxes":
            channel_text = "\n".join(channels)
        else:
            channel_text = hdr["list_sep"].join(c[1:] for c in channels if c.startswith("\u25a0"))
        subject_parts = r["subject"].split(sep)
        subject = sep.join([cfg["subject"], *subject_parts[1:]])
        std_levels = r["level"].split(";")
        values = {"content": content, "basis": basis, "time_limit": r["time_limit"],
                  "subject": subject, "channels": channel_text}
        ticks = {"audience": [c in r["audience"].split(";") for c in hdr["audience_cols"]],
                 "method": [c in r["method"].split(";") for c in hdr["method_cols"]],
                 "disclosure_level": [True, len(std_levels) > 2]}
        for element in blank.get(seq, ()):
            if element in ticks:
                ticks[element] = [False] * len(ticks[element])
            else:
                values[element] = ""
        rows.append(CatalogRow(r["level1"], level2, values, ticks))
    for name in version.get("local", []):
        anchor = next(i for i, row in enumerate(rows) if row.level1 == standard[16]["level1"])
        while anchor + 1 < len(rows) and rows[anchor + 1].level1 == rows[anchor].level1:
            anchor += 1
        template = rows[anchor]
        rows.insert(anchor + 1, CatalogRow(template.level1, name, {
            "content": vocab["local_item_content"], "basis": vocab["local_item_basis"],
            "time_limit": standard[16]["time_limit"], "subject": cfg["subject"],
            "channels": template.values["channels"] or channel_text},
            {"audience": [True, False], "method": [True, False], "disclosure_level": [True, False]}))
    return rows


def header_cells(unit: Unit, vocab: dict) -> tuple[list[str], list[str]]:
    """The two header rows of a 14-column catalog table (merged areas repeat the top text)."""
    h = vocab["catalog_headers"]
    top = [h["seq"], h["item"], h["item"], unit.cfg["content_header"], h["basis"], h["time_limit"],
           h["subject"], h["channels"], h["audience"], h["audience"], h["method"], h["method"],
           h["level"], h["level"]]
    sub = ["", h["level1"], h["level2"], "", "", "", "", "", *h["audience_cols"], *h["method_cols"],
           *unit.cfg["level_cols"]]
    return top, sub


def row_cells(i: int, row: CatalogRow, tick: str) -> list[object]:
    v = row.values
    marks = [tick if t else "" for k in ("audience", "method", "disclosure_level") for t in row.ticks[k]]
    return [i, row.level1, row.level2, v["content"], v["basis"], v["time_limit"], v["subject"],
            v["channels"], *marks]


def write_catalog_xlsx(path: Path, unit: Unit, version: dict, rows: list[CatalogRow], vocab: dict) -> None:
    h = vocab["catalog_headers"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = h["sheet"]
    r0 = 1
    if version.get("title_row"):
        ws.cell(1, 1, unit.label + h["title_suffix"]).font = Font(bold=True, size=14)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=14)
        r0 = 2
    top, sub = header_cells(unit, vocab)
    for c, text in enumerate(top, 1):
        ws.cell(r0, c, text if (c == 1 or top[c - 2] != text) else None)
        if sub[c - 1]:
            ws.cell(r0 + 1, c, sub[c - 1])
    for c in (1, 4, 5, 6, 7, 8):
        ws.merge_cells(start_row=r0, start_column=c, end_row=r0 + 1, end_column=c)
    for c in (2, 9, 11, 13):
        ws.merge_cells(start_row=r0, start_column=c, end_row=r0, end_column=c + 1)
    first = r0 + 2
    for i, row in enumerate(rows):
        for c, value in enumerate(row_cells(i + 1, row, h["tick"]), 1):
            cell = ws.cell(first + i, c, value if value != "" else None)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    start = 0
    for i in range(1, len(rows) + 1):  # merge 一级事项 over its group
        if i == len(rows) or rows[i].level1 != rows[start].level1:
            if i - start > 1:
                ws.merge_cells(start_row=first + start, start_column=2, end_row=first + i - 1, end_column=2)
            start = i
    for c, width in enumerate([6, 12, 18, 34, 40, 20, 20, 24, 7, 7, 7, 7, 7, 7], 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    save_workbook(wb, path)


def save_workbook(wb: openpyxl.Workbook, path: Path) -> None:
    """Save with fixed document properties and zip entry times, so the bytes are reproducible."""
    wb.properties.created = FIXED_TIME
    wb.properties.creator = "make_sample"
    buf = io.BytesIO()
    wb.save(buf)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    path.write_bytes(out.getvalue())


def write_catalog_csv(path: Path, unit: Unit, rows: list[CatalogRow], vocab: dict) -> None:
    """One header row; 一级事项 only on a group's first row; ticks as text (全社会、特定群体)."""
    h = vocab["catalog_headers"]
    subs = {"audience": h["audience_cols"], "method": h["method_cols"], "disclosure_level": unit.cfg["level_cols"]}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([h["seq"], h["level1"], h["level2"], unit.cfg["content_header"], h["basis"], h["time_limit"],
                h["subject"], h["channels"], h["audience"], h["method"], h["level"]])
    for i, row in enumerate(rows):
        level1 = row.level1 if i == 0 or rows[i - 1].level1 != row.level1 else ""
        texts = [h["list_sep"].join(n for n, t in zip(subs[k], row.ticks[k]) if t) for k in subs]
        v = row.values
        w.writerow([i + 1, level1, row.level2, v["content"], v["basis"], v["time_limit"], v["subject"],
                    v["channels"], *texts])
    path.write_bytes(buf.getvalue().encode("gbk"))


def write_catalog_html(path: Path, unit: Unit, version: dict, rows: list[CatalogRow], vocab: dict) -> None:
    """A portal article page: navigation tables, a metadata table, then the catalog table."""
    h, p = vocab["catalog_headers"], vocab["portal"]
    esc = html.escape
    cell = "th" if version["published_on"].year % 2 == 0 else "td"
    title = unit.label + h["title_suffix"]
    nav = "".join(f'<td><a href="#">{esc(n.format(unit=unit.label))}</a></td>' for n in p["nav"])
    crumbs = " &gt; ".join(esc(c) for c in p["breadcrumb"])
    pub = version["published_on"]
    meta_values = [index_no(unit, pub, 1), unit.cfg["publisher"], p["topic"],
                   (pub - dt.timedelta(days=3)).isoformat(), pub.isoformat(), version.get("document_no", "")]
    labels = p["meta_labels"]
    meta = "".join(f"<tr><td class=\"lbl\">{esc(labels[i])}：</td><td>{esc(meta_values[i])}</td>"
                   f"<td class=\"lbl\">{esc(labels[i + 1])}：</td><td>{esc(meta_values[i + 1])}</td></tr>"
                   for i in (0, 2, 4))
    top, sub = header_cells(unit, vocab)
    th = [f'<{cell} rowspan="2">{esc(top[0])}</{cell}>', f'<{cell} colspan="2">{esc(top[1])}</{cell}>']
    th += [f'<{cell} rowspan="2">{esc(top[c])}</{cell}>' for c in range(3, 8)]
    th += [f'<{cell} colspan="2">{esc(top[c])}</{cell}>' for c in (8, 10, 12)]
    th2 = "".join(f"<{cell}>{esc(s)}</{cell}>" for s in sub if s)
    body = []
    for i, row in enumerate(rows):
        cells = [esc(str(x)).replace("\n", "<br>") for x in row_cells(i + 1, row, h["tick"])]
        if i == 0 or rows[i - 1].level1 != row.level1:
            span = 1
            while i + span < len(rows) and rows[i + span].level1 == row.level1:
                span += 1
            cells[1] = f'<td rowspan="{span}">{cells[1]}</td>'
        else:
            cells[1] = ""
        body.append("<tr>" + "".join(c if c.startswith("<td rowspan") or (j == 1) else f"<td>{c}</td>"
                                     for j, c in enumerate(cells)) + "</tr>")
    footer = "".join(f"<p>{esc(t.format(unit=unit.label))}</p>" for t in p["footer"])
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{esc(title)}</title></head>
<body>
<table class="top-nav" width="100%"><tr><td>{esc(unit.label + p['site_suffix'])}</td></tr></table>
<table class="nav"><tr>{nav}</tr></table>
<div class="crumbs">{crumbs}</div>
<table class="xxgk-meta" border="1">{meta}</table>
<h1>{esc(title)}</h1>
<p>{esc(p['intro'].format(title=title))}</p>
<table class="catalog" border="1" cellspacing="0">
<tr>{''.join(th)}</tr>
<tr>{th2}</tr>
{chr(10).join(body)}
</table>
<div class="footer">{footer}</div>
</body></html>
"""
    path.write_text(page, encoding="utf-8")


# ---------------------------------------------------------------- disclosures

def index_no(unit: Unit, day: dt.date, n: int) -> str:
    digits = re.sub(r"\D", "", unit.code).ljust(6, "0")
    return f"11{digits}MB{abs(hash_str(unit.cfg['slug'])) % 10_000_000:07d}/{day.year}-{n:05d}"


def hash_str(text: str) -> int:
    return int.from_bytes(text.encode("utf-8")[:8].ljust(8, b"0"), "big") % 999_999_937


def pick_day(unit: Unit, cal: WorkCalendar, lo: dt.date, hi: dt.date) -> dt.date:
    """A formation day in [lo, hi]: mostly a working day, sometimes just before a long holiday."""
    rng = unit.rng
    near = [h for h in cal.holiday_starts if lo + dt.timedelta(days=6) <= h <= hi]
    if near and rng.random() < 0.15:
        day = rng.choice(near) - dt.timedelta(days=rng.randint(1, 6))
    else:
        day = lo + dt.timedelta(days=rng.randrange((hi - lo).days + 1))
    return cal.on_or_before(day) if rng.random() < 0.9 and day > lo + dt.timedelta(days=7) else day


def publish(unit: Unit, cal: WorkCalendar, formed: dt.date, limit: int = 20) -> dt.date | None:
    rng = unit.rng
    if rng.random() < unit.cfg["late_share"]:
        k = rng.randint(limit + 1, limit + 25)
    else:
        k = rng.choices([0, rng.randint(1, 5), rng.randint(6, 15), rng.randint(16, limit)],
                        [0.25, 0.4, 0.25, 0.1])[0]
    day = formed if k == 0 and cal.is_work[formed] else cal.add(formed, max(k, 1))
    if day > LAST_PUBLISHED:
        return None if formed >= PENDING_FROM else cal.on_or_before(LAST_PUBLISHED)
    return day


def item_label(unit: Unit, standard: list[dict], seq: int, vocab: dict) -> str:
    r = standard[seq - 1]
    name = r["level2"]
    if unit.cfg.get("long_names"):
        for short, long in synonyms():
            name = name.replace(short, long)
    if unit.cfg.get("item_style") == "path" or (seq in (LAW, POLICY) and unit.rng.random() < 0.3):
        return r["level1"] + vocab["item_path_sep"] + name
    return name


def fill(template: str, unit: Unit, vocab: dict, day: dt.date) -> str:
    rng = unit.rng
    project = rng.choice(vocab["project_places"]) + rng.choice(vocab["project_kinds"])
    return template.format(unit=unit.label, year=day.year, batch=rng.choice(vocab["batches"][:4]),
                           quarter=vocab["quarters"][(day.month - 1) // 3], month=day.month,
                           project=project, n=rng.randint(2, 30))


def year_windows() -> list[tuple[dt.date, dt.date, float]]:
    out = []
    for year in range(2020, 2027):
        lo, hi = max(START, dt.date(year, 1, 1)), min(dt.date(2026, 11, 20), dt.date(year, 12, 31))
        out.append((lo, hi, ((hi - lo).days + 1) / 365))
    return out


def poisson(rng: random.Random, lam: float) -> int:
    n, t = 0, rng.expovariate(1.0)
    while t < lam:
        n += 1
        t += rng.expovariate(1.0)
    return n


def generate_disclosures(unit: Unit, cal: WorkCalendar, standard: list[dict], vocab: dict) -> None:
    rng, cfg = unit.rng, unit.cfg
    never = set(cfg.get("never_items", []))
    act = cfg["activity"]
    rows = unit.rows

    def add(seq: int | None, title: str, formed: dt.date | None, published: dt.date | None,
            item: str | None = None) -> None:
        label = item if item is not None else item_label(unit, standard, seq, vocab)  # type: ignore[arg-type]
        rows.append(Disclosure(seq, title, label, formed, published, rng.randint(510, 1080)))

    def event(seq: int, formed: dt.date, title: str | None = None) -> dt.date | None:
        pub = publish(unit, cal, formed)
        add(seq, title or fill(rng.choice(vocab["titles"][str(seq)]), unit, vocab, formed), formed, pub)
        return pub

    for lo, hi, share in year_windows():
        for seq, rate in RATES.items():
            if seq not in never:
                for _ in range(poisson(rng, rate * act * share)):
                    if seq == LAW:
                        law_event(unit, cal, vocab, pick_day(unit, cal, lo, hi), add)
                    elif seq == POLICY:
                        policy_event(unit, cal, vocab, pick_day(unit, cal, lo, hi), add)
                    else:
                        event(seq, pick_day(unit, cal, lo, hi))
        year = lo.year
        if year < 2026:  # annual plan early in the year, evaluation results the next January
            event(7, pick_day(unit, cal, lo, min(hi, dt.date(year, 3, 31) if year > 2020 else hi)))
            if EVALUATION not in never:
                formed = pick_day(unit, cal, dt.date(year + 1, 1, 5), dt.date(year + 1, 2, 20))
                event(EVALUATION, formed, fill(rng.choice(vocab["titles"]["43"]), unit, vocab, dt.date(year, 6, 1)))
        quarter_ends = [dt.date(year, m, 1) - dt.timedelta(days=1) for m in (4, 7, 10)] + [dt.date(year, 12, 31)]
        for q_end in (q for q in quarter_ends if lo <= q <= hi):
            pub = cal.add(q_end, rng.randint(1, 10) if rng.random() > cfg["late_share"] else rng.randint(11, 20))
            add(PROGRESS, fill(rng.choice(vocab["titles"]["11"]), unit, vocab, q_end), q_end,
                pub if pub <= LAST_PUBLISHED else None)
        for seq in GUIDES:
            if seq not in never and (year == 2020 and rng.random() < 0.9 or year > 2020 and rng.random() < 0.2):
                title = fill(vocab["titles"][str(seq)][0], unit, vocab, lo)
                if year > 2020:
                    title += vocab["revised_suffix"].format(year=year)
                event(seq, pick_day(unit, cal, lo, hi), title)
    event(6, pick_day(unit, cal, dt.date(2021, 3, 1), dt.date(2021, 9, 30)))
    for _ in range(rng.randint(3, 6)):
        formed = pick_day(unit, cal, START, dt.date(2026, 9, 30))
        add(None, fill(rng.choice(vocab["unclassified_titles"]), unit, vocab, formed), formed,
            publish(unit, cal, formed), rng.choice(vocab["unclassified_items"]))
    for _ in range(rng.randint(2, 4)):  # formed, not yet published
        seq = rng.choice([12, 17, 18, 19, 25, 29])
        formed = pick_day(unit, cal, PENDING_FROM + dt.timedelta(days=8), dt.date(2026, 11, 20))
        add(seq, fill(rng.choice(vocab["titles"][str(seq)]), unit, vocab, formed), formed, None)
    for level1, since in cfg.get("level1_from", {}).items():  # first disclosure of a level-1 item delayed
        unit.rows = rows = [r for r in rows if r.seq is None or standard[r.seq - 1]["level1"] != level1
                            or (r.published or r.formed) >= since]
    for r in rows:  # a few ledgers lost the formation date
        if r.published and rng.random() < 0.01:
            r.formed = None


def law_event(unit: Unit, cal: WorkCalendar, vocab: dict, formed: dt.date, add) -> None:
    rng = unit.rng
    doc = rng.choice(vocab["upper_documents"])
    pub = publish(unit, cal, formed)
    add(LAW, rng.choice(vocab["upper_wrappers"]).format(doc=doc), formed, pub)
    if pub and rng.random() < 0.5 and UPPER_INTERP not in unit.cfg.get("never_items", []):
        later = pub if rng.random() < 0.6 else cal.add(pub, rng.randint(1, 3))
        add(UPPER_INTERP, rng.choice(vocab["upper_interp_templates"]).format(doc=doc), pub,
            later if later <= LAST_PUBLISHED else None)


def policy_event(unit: Unit, cal: WorkCalendar, vocab: dict, formed: dt.date, add) -> None:
    """A local policy document and, per the unit's interpretation weights, its 政策解读."""
    rng = unit.rng
    used = unit.used_docs
    pool = [d for d in vocab["local_documents"] if d not in used]
    pub = publish(unit, cal, formed)
    if not pool or rng.random() < 0.25:
        title = rng.choice(vocab["plain_notices"]).format(year=formed.year)
        add(POLICY, title, formed, pub)
        return
    doc = rng.choice(pool)
    used.add(doc)
    doc = doc.format(unit=unit.label)
    add(POLICY, rng.choice(vocab["policy_wrappers"]).format(doc=doc), formed, pub)
    if pub is None:
        return
    timing = rng.choices(["same", "within", "late", "none"], unit.cfg["interp"])[0]
    if timing == "none":
        return
    later = {"same": pub, "within": None, "late": None}.get(timing)
    if later is None:
        later = cal.add(pub, rng.randint(1, 3) if timing == "within" else rng.randint(5, 15))
    add(LOCAL_INTERP, rng.choice(vocab["interp_templates"]).format(doc=doc), pub,
        later if later <= LAST_PUBLISHED else None)


# ---------------------------------------------------------------- writing logs

def format_day(day: dt.date | None, style: str, minute: int, with_time: bool, vocab: dict) -> object:
    if day is None:
        return None if style.startswith("excel") else ""
    hh, mm = divmod(minute, 60)
    if style.startswith("excel"):
        return dt.datetime(day.year, day.month, day.day, hh, mm) if with_time else day
    text = {"iso": day.isoformat(), "iso_time": day.isoformat(),
            "slash": f"{day.year}/{day.month}/{day.day}", "dot": f"{day.year}.{day.month}.{day.day}",
            "cn": vocab["date_cn"].format(y=day.year, m=day.month, d=day.day)}[style]
    if with_time:
        text += f" {hh:02d}:{mm:02d}:00" if style == "iso_time" else f" {hh}:{mm:02d}"
    return text


def write_log(path: Path, unit: Unit, spec: dict, rows: list[Disclosure], vocab: dict,
              ids: dict[int, tuple[str, str]]) -> None:
    layout = vocab["log_layouts"][spec["layout"]]
    style = spec["dates"]
    timed = style in ("excel_time", "iso_time") or (style == "slash" and spec["layout"] == "channel")
    newest_first = spec["layout"] == "portal"
    far = dt.date(9999, 1, 1)
    rows = sorted(rows, key=lambda r: (r.published or far, r.formed or far, r.title), reverse=newest_first)
    channels = vocab["log_channels"]["values"]
    table = []
    for i, r in enumerate(rows, 1):
        idx, url = ids[id(r)]
        values = {"seq": i, "index_no": idx, "title": r.title, "item": r.item,
                  "publisher": unit.cfg["publisher"], "url": url if r.published else "",
                  "channel": channels[(i * 7 + len(r.title)) % len(channels)],
                  "formed": format_day(r.formed, style, 0, False, vocab),
                  "published": format_day(r.published, style, r.minute, timed, vocab)}
        table.append([values[f] for f in layout["fields"]])
    if path.suffix == ".xlsx":
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(layout["columns"])
        for c in range(1, len(layout["columns"]) + 1):
            ws.cell(1, c).font = Font(bold=True)
        for row in table:
            ws.append(row)
        for c, name in enumerate(layout["fields"], 1):
            ws.column_dimensions[get_column_letter(c)].width = {"title": 60, "item": 22, "url": 50}.get(name, 16)
            if name in ("formed", "published"):
                fmt = "yyyy-mm-dd hh:mm" if timed and name == "published" else "yyyy-mm-dd"
                for r in range(2, len(table) + 2):
                    ws.cell(r, c).number_format = fmt
        save_workbook(wb, path)
    else:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(layout["columns"])
        w.writerows(table)
        path.write_bytes(buf.getvalue().encode(spec.get("encoding", "utf-8")))


def assign_ids(unit: Unit) -> dict[int, tuple[str, str]]:
    """索引号 and 链接 per disclosure, numbered per year in publication order."""
    out: dict[int, tuple[str, str]] = {}
    counters: dict[int, int] = {}
    far = dt.date(9999, 1, 1)
    for n, r in enumerate(sorted(unit.rows, key=lambda r: (r.published or far, r.title)), 1):
        day = r.published or r.formed or far
        counters[day.year] = counters.get(day.year, 0) + 1
        url = f"https://zwgk.{unit.cfg['slug']}.example/bzxzf/{day:%Y%m}/t{day:%Y%m%d}_{1000 + n}.html"
        out[id(r)] = (index_no(unit, day, counters[day.year]), url)
    return out


# ---------------------------------------------------------------- summary, sources, README

def summarise(unit: Unit, versions: list[tuple[dict, list[CatalogRow]]], standard: list[dict],
              cal: WorkCalendar) -> dict:
    """What the sample promises for a unit, computed from what was written (for the README)."""
    std_names = {r["level2"] for r in standard}
    long_names = {r["level2"]: r["level2"] for r in standard}
    catalogs = []
    for version, rows in versions:
        names = {canon(row.level2) for row in rows}
        items = sum(1 for n in long_names if canon(n) in names)
        full = all(all(row.values.values()) and all(any(t) for t in row.ticks.values())
                   for row in rows if canon(row.level2) in {canon(n) for n in std_names})
        catalogs.append((version["published_on"], version.get("document_no"), items, items == 43 and full))
    filed = [c[0] for c in catalogs if c[1]]
    complete_from = next((c[0] for c in catalogs if c[3]), None)
    level1_first: dict[str, dt.date] = {}
    for r in unit.rows:
        if r.seq and r.published:
            key = standard[r.seq - 1]["level1"]
            level1_first[key] = min(level1_first.get(key, r.published), r.published)
    m2023 = None
    if complete_from and len(level1_first) == 10:
        m2023 = max(complete_from, *level1_first.values())
    judged = [r for r in unit.rows if r.seq not in (None, PROGRESS) and r.published and r.formed]
    late = sum(1 for r in judged if r.published > cal.add(r.formed, 20))
    return {"catalogs": catalogs, "m2020": min(filed) if filed else None, "m2023": m2023,
            "total": len(unit.rows), "late": late,
            "pending": sum(1 for r in unit.rows if r.published is None),
            "unclassified": sum(1 for r in unit.rows if r.seq is None)}


def canon(name: str) -> str:
    from loaders.names import name_key
    return name_key(name)


def milestone_text(day: dt.date | None, due: dt.date, words: dict) -> str:
    if day is None:
        return words["missed"]
    return (words["on_time"] if day <= due else words["late"]).format(date=day.isoformat())


def readme_table(summaries: list[tuple[str, dict]], vocab: dict) -> str:
    words = vocab["readme"]
    lines = ["| " + " | ".join(words["columns"]) + " |", "|" + "---|" * len(words["columns"])]
    for name, s in summaries:
        cats = "<br>".join(
            f"{p.isoformat()} / {d or words['no_docno']} / {n}{words['complete'] if full else ''}"
            for p, d, n, full in s["catalogs"]) or words["none"]
        lines.append(f"| {name} | {cats} | {milestone_text(s['m2020'], dt.date(2020, 9, 30), words)} | "
                     f"{milestone_text(s['m2023'], dt.date(2023, 6, 30), words)} | {s['total']} | "
                     f"{s['late']} | {s['pending']} | {s['unclassified']} |")
    return "\n".join(lines)


def toml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def sources_entry(kind: str, name: str, rel: str, extra: dict[str, object]) -> str:
    lines = [f"[[{kind}]]", f"district = {toml_str(name)}", f"source = {toml_str(rel)}"]
    for key, value in extra.items():
        if value:
            lines.append(f"{key} = {value.isoformat() if isinstance(value, dt.date) else toml_str(str(value))}")
    return "\n".join(lines) + "\n"


def build(out: Path) -> list[tuple[str, dict]]:
    scen, vocab, standard, units = load_inputs()
    cal = WorkCalendar()
    entries = ["# 示例数据的来源清单 (generated by tools/make_sample.py; do not edit by hand).\n"
               "# Paths are relative to this file; entries load in file order.\n"]
    summaries = []
    for cfg in scen["unit"]:
        code, name, _ = units[cfg["name"]]
        unit = Unit(cfg, random.Random(f"{SEED}:{cfg['slug']}"), cfg.get("label", name), code)
        folder = out / cfg["slug"]
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
        portal = f"https://zwgk.{cfg['slug']}.example/jczwgk/bzxzf/"
        versions = []
        for version in cfg.get("catalog", []):
            rows = catalog_rows(unit, version, standard, vocab)
            path = folder / version["file"]
            if path.suffix == ".xlsx":
                write_catalog_xlsx(path, unit, version, rows, vocab)
            elif path.suffix == ".csv":
                write_catalog_csv(path, unit, rows, vocab)
            else:
                write_catalog_html(path, unit, version, rows, vocab)
            versions.append((version, rows))
            pub = version["published_on"]
            url = portal + f"{pub:%Y%m}/t{pub:%Y%m%d}_catalog.html" if path.suffix == ".html" else portal
            entries.append(sources_entry("catalog", name, f"{cfg['slug']}/{path.name}", {
                "published_on": pub, "document_no": version.get("document_no"), "url": url,
                "filed_on": version.get("filed_on")}))
        generate_disclosures(unit, cal, standard, vocab)
        ids = assign_ids(unit)
        remaining = list(unit.rows)
        for spec in cfg["logs"]:
            mine = [r for r in remaining if (r.published or r.formed or START).year <= spec["until"]]
            remaining = [r for r in remaining if r not in mine]
            write_log(folder / spec["file"], unit, spec, mine, vocab, ids)
            entries.append(sources_entry("disclosures", name, f"{cfg['slug']}/{spec['file']}", {}))
        summaries.append((name, summarise(unit, versions, standard, cal)))
    (out / "sources.toml").write_text("\n".join(entries), encoding="utf-8")
    readme = out / "README.md"
    if readme.exists():
        text = readme.read_text(encoding="utf-8")
        start, end = "<!-- scenarios:start -->", "<!-- scenarios:end -->"
        if start in text and end in text:
            head, rest = text.split(start, 1)
            text = head + start + "\n" + readme_table(summaries, vocab) + "\n" + end + rest.split(end, 1)[1]
            readme.write_text(text, encoding="utf-8")
    return summaries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR)
    args = parser.parse_args(argv)
    for name, s in build(args.out):
        print(name, s["m2020"], s["m2023"], s["total"], s["late"], s["pending"], s["unclassified"],
              [(c[0].isoformat(), c[2], c[3]) for c in s["catalogs"]])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
