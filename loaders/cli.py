"""`python -m loaders`: a thin argparse layer over `loaders.api` (DESIGN §4).

Exit 0 on success, 2 on bad input with one Chinese line per problem on stderr (the data
tables are then exactly as before). Only LoadError becomes a message; anything else is a bug
and propagates. Help texts live in `ui_text.errors.CLI_HELP`.

Only the arguments are parsed before an xlsx named on the command line starts being read on a
thread (`readers.begin`); pandas, DuckDB and the loaders over them are imported after that,
beside it.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loaders import readers
from loaders.detect import ZIP_MAGIC
from loaders.errors import LoadError
from ui_text import errors as text
from ui_text import reliability as rtext
from ui_text.argparse_zh import ChineseArgumentParser as _Parser

if TYPE_CHECKING:
    import duckdb

    from loaders.model import LoadResult

H = text.CLI_HELP
R = rtext.CLI_HELP


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m loaders", description=H["description"])
    commands = parser.add_subparsers(dest="command", required=True, title=H["commands"],
                                     metavar="{init,sample,standard,catalog,disclosures,pull,confirm,history,undo,"
                                             "backup,restore}",
                                     parser_class=_Parser)

    def command(name: str, helps: dict[str, str] = H) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=helps[name], description=helps[name], prog=f"python -m loaders {name}")
        sub.add_argument("--db", type=Path, default=None, help=H["db"])
        return sub

    command("init")
    command("sample")
    standard = command("standard")
    standard.add_argument("source", help=H["source"])
    standard.add_argument("--confirm-replace", action="store_true", help=R["confirm_replace"])
    cat = command("catalog")
    cat.add_argument("--district", required=True, help=H["district"])
    cat.add_argument("source", help=H["source"])
    cat.add_argument("--published-on", help=H["published_on"])
    cat.add_argument("--document-no", help=H["document_no"])
    cat.add_argument("--url", help=H["url"])
    cat.add_argument("--filed-on", help=H["filed_on"])
    cat.add_argument("--allow-partial", action="store_true", help=H["allow_partial"])
    cat.add_argument("--confirm-replace", action="store_true", help=R["confirm_replace"])
    logs = command("disclosures")
    logs.add_argument("--district", required=True, help=H["district"])
    logs.add_argument("source", help=H["source"])
    logs.add_argument("--allow-partial", action="store_true", help=H["allow_partial"])
    logs.add_argument("--confirm-replace", action="store_true", help=R["confirm_replace"])
    pull = command("pull")
    pull.add_argument("--sources", type=Path, default=None, help=H["sources"])
    pull.add_argument("--raw-dir", type=Path, default=None, help=H["raw_dir"])
    pull.add_argument("--district", default=None, help=H["pull_district"])
    pull.add_argument("--delay", type=float, default=None, help=H["delay"])
    confirm = command("confirm")
    confirm.add_argument("url", help=H["confirm_url"])
    confirm.add_argument("item", help=H["confirm_item"])
    # ── reliab: history, undo, backup, restore (issue #16) ──
    hist = command("history", R)
    hist.add_argument("--district", default=None, help=R["history_district"])
    undo = command("undo", R)
    undo.add_argument("run_id", type=int, help=R["run_id"])
    undo.add_argument("--force", action="store_true", help=R["force"])
    command("backup", R).add_argument("dir", type=Path, help=R["dir"])
    command("restore", R).add_argument("dir", type=Path, help=R["dir"])
    return parser


def _progress(fraction: float, message: str) -> None:
    if message:
        print(text.PROGRESS_LINE.format(percent=f"{fraction:.0%}", message=message),
              file=sys.stderr, flush=True)


def _district_name(code: str | None) -> str:
    from loaders.reference import districts

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
    from loaders.crawl.report import summary_counts

    counts = summary_counts(results)
    print(crawl_text.SUMMARY_LINE.format(**counts))
    if counts["failed"]:
        print(crawl_text.FAILED_TITLE.format(n=counts["failed"]), file=sys.stderr)
    return 2 if counts["failed"] else 0


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


def _has_tasks(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any rectification task exists: `scoring.verification.has_tasks` asked here with two
    counts, so a load into a database without rounds does not import scoring (and the evaluation
    and pandas code under it) only to learn there is nothing to check."""
    present = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
                          "AND table_name = 'rectification_tasks'").fetchall()[0][0]
    return bool(present) and bool(con.execute("SELECT count(*) FROM rectification_tasks").fetchall()[0][0])


def _history(con: duckdb.DuckDBPyConnection, unit: str | None) -> int:
    from loaders import history

    frame = history.history(con, unit)
    if frame.empty:
        print(rtext.HISTORY_EMPTY)
        return 0
    print(rtext.HISTORY_HEADER)
    rows: Any = frame.itertuples(index=False)
    for row in rows:  # printing, not a hot path
        state = rtext.STATE_NONE if row.action is None or row.action != row.action else (
            rtext.STATE_UNDONE if row.undone_at is not None and row.undone_at == row.undone_at else rtext.STATE_ACTIVE)
        print(rtext.HISTORY_LINE.format(run_id=row.run_id, started_at=row.started_at, kind=text.KIND_LABELS[row.kind],
                                        district=_district_name(row.district_code), source=row.source,
                                        result=text.RESULT_LABELS[row.result], loaded=row.rows_loaded,
                                        replaced=row.replaced_rows, state=state))
    return 0


def _undo(con: duckdb.DuckDBPyConnection, run_id: int, force: bool) -> int:
    from loaders import history

    try:
        done = history.undo(con, run_id, force=force)
    except history.UndoError as exc:
        messages = {"unknown": rtext.UNDO_UNKNOWN.format(run_id=run_id),
                    "nothing": rtext.UNDO_NOTHING.format(run_id=run_id,
                                                         result=text.RESULT_LABELS.get(exc.result, exc.result)),
                    "already": rtext.UNDO_ALREADY.format(run_id=run_id, at=exc.at),
                    "depends": rtext.UNDO_DEPENDS.format(run_id=run_id, later="、".join(map(str, exc.later)))}
        print(messages[exc.reason], file=sys.stderr)
        return 2
    print(rtext.UNDO_DONE.format(run_id=run_id))
    if len(done) > 1:
        print(rtext.UNDO_ALSO.format(runs="、".join(str(n) for n in done[:-1])))
    _verify_changed(con)  # an undo changes the data as a load does: the tasks are checked again
    return 0


def _backup(args: argparse.Namespace, path: Path) -> int:
    from loaders import backup, db

    try:
        if args.command == "backup":
            summary = backup.backup(path, args.dir)
            print(rtext.BACKUP_DONE.format(path=summary.path, tables=summary.tables, rows=summary.rows))
        else:
            with db.writer_lock(path):
                summary = backup.restore(args.dir, path)
            print(rtext.RESTORE_DONE.format(src=args.dir, path=summary.path, tables=summary.tables,
                                            rows=summary.rows))
    except backup.BackupError as exc:
        messages = {"not_empty": rtext.BACKUP_NOT_EMPTY, "missing": rtext.RESTORE_MISSING,
                    "mismatch": rtext.RESTORE_MISMATCH, "no_db": rtext.DB_MISSING}
        print(messages[exc.reason].format(**exc.fields), file=sys.stderr)
        return 2
    return 0


def _load(args: argparse.Namespace, con: duckdb.DuckDBPyConnection) -> int:
    from loaders import api

    confirm = getattr(args, "confirm_replace", False)
    if args.command == "standard":
        results = [api.load_standard(con, args.source, confirm_replace=confirm)]
    elif args.command == "catalog":
        results = [api.load_catalog(con, args.district, args.source, published_on=args.published_on,
                                    document_no=args.document_no, url=args.url, filed_on=args.filed_on,
                                    allow_partial=args.allow_partial, confirm_replace=confirm)]
    elif args.command == "disclosures":
        results = [api.load_disclosures(con, args.district, args.source, allow_partial=args.allow_partial,
                                        confirm_replace=confirm)]
    elif args.command == "confirm":
        return _confirm(con, args.url, args.item)
    else:
        results = api.pull(con, args.sources, progress=_progress, raw_dir=args.raw_dir, unit=args.district,
                           delay=args.delay)
        code = _pull_summary(results)
        _verify_tasks(con, results)
        return code
    for r in results:
        _report(r)
    _verify_tasks(con, results)
    return 0


def _verify_tasks(con: duckdb.DuckDBPyConnection, results: list[LoadResult]) -> None:
    """After a load that changed data: the rectification tasks' system check (DESIGN §11), in the
    same write as the load. The CLI entry alone reaches into scoring, lazily (the loaders package
    itself never imports it)."""
    if any(r.result in ("loaded", "partial") for r in results) and _has_tasks(con):
        from scoring.verification import changed_units
        _verify_changed(con, changed_units(results))


def _verify_changed(con: duckdb.DuckDBPyConnection, units: frozenset[str] | None = None) -> None:
    """The system check after a committed change of the data (a load, a pull or an undo), of the
    tasks of `units` (the loaded units' codes; None = every unit's)."""
    if not _has_tasks(con):
        return
    from scoring import verification
    from scoring.round_cli import actor
    from ui_text.rectification import LOADERS_VERIFY_LINE

    r = verification.verify_after_load(con, actor(), units)
    if r is not None:
        print(LOADERS_VERIFY_LINE.format(fixed=r.fixed + r.fixed_late, overdue=r.overdue, reopened=r.reopened),
              file=sys.stderr)


def _run(args: argparse.Namespace) -> int:
    """Every write goes through `loaders.db.writing` (copy, write, rename): a running dashboard
    keeps serving and sees the new data on its next request; a failed command leaves the file
    as it was."""
    from loaders import db

    path = Path(args.db or db.default_db_path())
    if args.command in ("backup", "restore"):
        return _backup(args, path)
    if args.command == "sample":
        from loaders import sample
        from loaders.sources import parse_sources

        sample.build_database(path, progress=_progress)
        print(text.SAMPLE_DONE.format(path=path, count=len(parse_sources(sample.SAMPLE_SOURCES))))
        return 0
    if args.command in ("history", "undo") and not path.exists():
        print(rtext.DB_MISSING.format(path=path), file=sys.stderr)
        return 2
    with db.writing(path) as con:
        if args.command == "init":
            db.init_database(con)
            print(text.INIT_DONE.format(path=path))
            return 0
        tables = db.table_names(con)  # asked once for the checks below, again only after a change
        if not any(name == "standard_catalog" for _, name in tables):
            db.init_database(con)  # a first load into a new file needs the schema and reference data
            tables = db.table_names(con)
        if db.upgrade_schema(con, tables):
            tables = db.table_names(con)
        db.check_database(con, path.name, tables)
        if args.command == "history":
            return _history(con, args.district)
        if args.command == "undo":
            return _undo(con, args.run_id, args.force)
        return _load(args, con)


def _read_ahead(args: argparse.Namespace) -> None:
    """A local xlsx to load starts being read now (`readers.begin`), before the imports and the
    database's opening that come first; any other source (a csv, a URL, a missing file) is read
    when the load reaches it, as ever."""
    if args.command not in ("standard", "catalog", "disclosures") or not Path(args.source).is_file():
        return
    try:
        with open(args.source, "rb") as file:
            if file.read(len(ZIP_MAGIC)) != ZIP_MAGIC:
                return
            data = ZIP_MAGIC + file.read()
    except OSError:  # (not a file: the load reports it)
        return
    readers.begin(data, Path(args.source).name)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _read_ahead(args)
    try:
        try:
            with readers.no_gc():  # the imports allocate some hundred thousand long-lived objects and no garbage
                # pandas before DuckDB (loaders.api imports DuckDB first): an xlsx read ahead cleans its
                # cells as soon as pandas is in (pyarrow's kernels import it), not after both
                import pandas  # noqa: F401

                import loaders.api  # noqa: F401  (pyarrow, numpy and DuckDB beneath it)
        finally:
            readers.imported()
        return _run(args)
    except LoadError as exc:
        print(text.REFUSED_TITLE, file=sys.stderr)
        for p in exc.problems:
            print(p.message, file=sys.stderr)
        return 2
    finally:
        readers.forget()
