"""`python -m loaders`: a thin argparse layer over `loaders.api` (DESIGN §4).

Exit 0 on success, 2 on bad input with one Chinese line per problem on stderr (the data
tables are then exactly as before). Only LoadError becomes a message; anything else is a bug
and propagates. Help texts live in `ui_text.errors.CLI_HELP`.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from loaders import api, db
from loaders.errors import LoadError
from loaders.model import LoadResult
from loaders.reference import districts
from ui_text import errors as text
from ui_text.argparse_zh import ChineseArgumentParser as _Parser

H = text.CLI_HELP


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m loaders", description=H["description"])
    commands = parser.add_subparsers(dest="command", required=True, title=H["commands"],
                                     metavar="{init,sample,standard,catalog,disclosures,pull,confirm}",
                                     parser_class=_Parser)

    def command(name: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=H[name], description=H[name], prog=f"python -m loaders {name}")
        sub.add_argument("--db", type=Path, default=None, help=H["db"])
        return sub

    command("init")
    command("sample")
    standard = command("standard")
    standard.add_argument("source", help=H["source"])
    cat = command("catalog")
    cat.add_argument("--district", required=True, help=H["district"])
    cat.add_argument("source", help=H["source"])
    cat.add_argument("--published-on", help=H["published_on"])
    cat.add_argument("--document-no", help=H["document_no"])
    cat.add_argument("--url", help=H["url"])
    cat.add_argument("--filed-on", help=H["filed_on"])
    cat.add_argument("--allow-partial", action="store_true", help=H["allow_partial"])
    logs = command("disclosures")
    logs.add_argument("--district", required=True, help=H["district"])
    logs.add_argument("source", help=H["source"])
    logs.add_argument("--allow-partial", action="store_true", help=H["allow_partial"])
    pull = command("pull")
    pull.add_argument("--sources", type=Path, default=None, help=H["sources"])
    pull.add_argument("--raw-dir", type=Path, default=None, help=H["raw_dir"])
    pull.add_argument("--district", default=None, help=H["pull_district"])
    pull.add_argument("--delay", type=float, default=None, help=H["delay"])
    confirm = command("confirm")
    confirm.add_argument("url", help=H["confirm_url"])
    confirm.add_argument("item", help=H["confirm_item"])
    return parser


def _progress(fraction: float, message: str) -> None:
    if message:
        print(text.PROGRESS_LINE.format(percent=f"{fraction:.0%}", message=message),
              file=sys.stderr, flush=True)


def _district_name(code: str | None) -> str:
    names = {d.code: d.name for d in districts()}
    return names.get(code or "", code or "-")


def _report(result: LoadResult) -> None:
    print(text.RESULT_LINE.format(kind=text.KIND_LABELS[result.kind], district=_district_name(result.district_code),
                                  source=result.source, result=text.RESULT_LABELS[result.result],
                                  read=result.rows_read, loaded=result.rows_loaded, rejected=result.rows_rejected))
    for p in result.problems:
        print(p.message, file=sys.stderr)


def _pull_summary(results: list[LoadResult]) -> int:
    """One line per source (pages, articles new/changed/unchanged/removed, errors), drift events,
    then the summary; exit 2 when any source failed, with its Chinese reasons on stderr."""
    from loaders.crawl.run import CrawlReport
    from ui_text import crawl as crawl_text

    for r in results:
        if not isinstance(r, CrawlReport):
            _report(r)
            continue
        print(crawl_text.SOURCE_LINE.format(
            kind=text.KIND_LABELS[r.kind], district=_district_name(r.district_code), source=r.source,
            result=text.RESULT_LABELS[r.result], pages=r.pages, new=r.new, changed=r.changed,
            unchanged=r.unchanged, removed=r.removed, errors=r.errors, off_site=r.off_site, off_field=r.off_field,
            blocked=r.blocked))
        for kind, url, old, new in r.events:
            print(crawl_text.EVENT_LINE.format(event=crawl_text.EVENT_LABELS[kind], url=url, old=old or "-",
                                               new=new or "-"))
        for p in r.problems:
            print(p.message, file=sys.stderr)
    failed = [r for r in results if r.result == "refused"]
    reports = [r for r in results if isinstance(r, CrawlReport)]
    print(crawl_text.SUMMARY_LINE.format(
        sources=len(results), failed=len(failed), pages=sum(r.pages for r in reports),
        new=sum(r.new for r in reports), changed=sum(r.changed for r in reports),
        removed=sum(r.removed for r in reports), events=sum(len(r.events) for r in reports),
        errors=sum(r.errors for r in reports)))
    if failed:
        print(crawl_text.FAILED_TITLE.format(n=len(failed)), file=sys.stderr)
    return 2 if failed else 0


def _confirm(con: duckdb.DuckDBPyConnection, url: str, item: str) -> int:
    from loaders.crawl.report import confirm
    from ui_text import crawl as crawl_text

    try:
        item_id = confirm(con, url, item)
    except KeyError:
        print(crawl_text.CONFIRM_UNKNOWN_URL.format(url=url), file=sys.stderr)
        return 2
    if item_id is None:
        print(crawl_text.CONFIRM_UNKNOWN_ITEM.format(item=item), file=sys.stderr)
        return 2
    print(crawl_text.CONFIRM_CLI.format(url=url, item=item))
    return 0


def _initialised(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables "
                            "WHERE table_name = 'standard_catalog'").fetchone()[0])


def _run(args: argparse.Namespace) -> int:
    path = args.db or db.default_db_path()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = db.connect(path)
    try:
        if args.command in ("init", "sample"):
            db.init_database(con)
            if args.command == "init":
                print(text.INIT_DONE.format(path=path))
                return 0
            from loaders.sample import load_sample
            results = load_sample(con, progress=_progress)
            print(text.SAMPLE_DONE.format(path=path, count=len(results)))
            return 0
        if not _initialised(con):  # a first load into a new file needs the schema and reference data
            db.init_database(con)
        if args.command == "standard":
            _report(api.load_standard(con, args.source))
        elif args.command == "catalog":
            _report(api.load_catalog(con, args.district, args.source, published_on=args.published_on,
                                     document_no=args.document_no, url=args.url, filed_on=args.filed_on,
                                     allow_partial=args.allow_partial))
        elif args.command == "confirm":
            return _confirm(con, args.url, args.item)
        elif args.command == "disclosures":
            _report(api.load_disclosures(con, args.district, args.source, allow_partial=args.allow_partial))
        else:
            results = api.pull(con, args.sources, progress=_progress, raw_dir=args.raw_dir, district=args.district,
                               delay=args.delay)
            return _pull_summary(results)
        return 0
    finally:
        con.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except LoadError as exc:
        print(text.REFUSED_TITLE, file=sys.stderr)
        for p in exc.problems:
            print(p.message, file=sys.stderr)
        return 2
