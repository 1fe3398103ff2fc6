"""Disclosure logs of the sample: events per standard item and year (Poisson volumes), formation
and publication dates on the working-day calendar (on time, late, pending), policy documents
with or without their 政策解读, unmappable rows; written as xlsx ledgers or csv exports in the
header, date and encoding variants districts use."""
from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Callable
from pathlib import Path

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sample_model import (
    EVALUATION,
    GUIDES,
    LAST_PUBLISHED,
    LAW,
    LOCAL_INTERP,
    PENDING_FROM,
    POLICY,
    PROGRESS,
    RATES,
    START,
    UPPER_INTERP,
    Disclosure,
    Unit,
    WorkCalendar,
    index_no,
    save_workbook,
    synonyms,
)

AddRow = Callable[..., None]


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
    """Publication day: within `limit` working days unless drawn late; None = still pending."""
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
    """所属事项 as the unit writes it: the second-level name or 一级/二级."""
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
            if seq not in never and ((year == 2020 and rng.random() < 0.9) or (year > 2020 and rng.random() < 0.2)):
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
    quiet = cfg.get("quiet_policy")  # [start, end]: no policy document nor interpretation published
    if quiet:
        policy = (LAW, POLICY, UPPER_INTERP, LOCAL_INTERP)
        unit.rows = rows = [r for r in rows if r.seq not in policy or r.published is None
                            or not quiet[0] <= r.published <= quiet[1]]
    for r in rows:  # a few ledgers lost the formation date
        if r.published and rng.random() < 0.01:
            r.formed = None


def law_event(unit: Unit, cal: WorkCalendar, vocab: dict, formed: dt.date, add: AddRow) -> None:
    rng = unit.rng
    doc = rng.choice(vocab["upper_documents"])
    pub = publish(unit, cal, formed)
    add(LAW, rng.choice(vocab["upper_wrappers"]).format(doc=doc), formed, pub)
    if pub and rng.random() < 0.5 and UPPER_INTERP not in unit.cfg.get("never_items", []):
        later = pub if rng.random() < 0.6 else cal.add(pub, rng.randint(1, 3))
        add(UPPER_INTERP, rng.choice(vocab["upper_interp_templates"]).format(doc=doc), pub,
            later if later <= LAST_PUBLISHED else None)


def policy_event(unit: Unit, cal: WorkCalendar, vocab: dict, formed: dt.date, add: AddRow) -> None:
    """A local policy document and, per the unit's interpretation weights, its 政策解读."""
    rng = unit.rng
    pub = publish(unit, cal, formed)
    if rng.random() < 0.2:
        add(POLICY, rng.choice(vocab["plain_notices"]).format(year=formed.year), formed, pub)
        return
    fresh = [d for d in vocab["local_documents"] if d not in unit.used_docs]
    if fresh:
        doc = rng.choice(fresh)
        unit.used_docs.add(doc)
        doc = doc.format(unit=unit.label)
    else:  # every document issued once: later ones are revisions
        doc = rng.choice(vocab["local_documents"]).format(unit=unit.label)
        doc += vocab["revised_suffix"].format(year=formed.year)
    add(POLICY, rng.choice(vocab["policy_wrappers"]).format(doc=doc), formed, pub)
    if pub is None:
        return
    timing = rng.choices(["same", "within", "late", "none"], unit.cfg["interp"])[0]
    if timing == "none":
        return
    if timing == "same":
        later = pub
    else:
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
