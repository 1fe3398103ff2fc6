"""A polite, resumable fetcher for one pull: per-host rate limit, robots.txt, conditional GET,
evidence kept once with its sha256.

`Fetcher.get(url)` waits until the host's delay has passed since its last request, checks the
host's robots.txt (fetched once per pull through the same limit; a missing robots.txt allows
everything), sends If-None-Match / If-Modified-Since from `crawl_pages`, and on a 304 reads
the body back from the kept evidence. Every 200 body is kept under
`<raw_dir>/<district_code>/<date>/` (`loaders.http_pull.keep_evidence`), appended to the raw
dir's journal (`crawl_journal.tsv`) at once, and written to `crawl_pages`. A crawl killed at any
point — even before the CLI's copy of the database is swapped in (`loaders.db.writing`) — keeps
what it fetched: the resumed crawl asks for those pages conditionally and reads them from the
evidence, without duplicates.
Raises LoadError (fetch problems, robots_disallowed, deadline).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import time
import urllib.robotparser
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb
import pandas as pd

from loaders import http_pull
from loaders.errors import LoadError, LoadProblem, ProblemKind

JOURNAL = "crawl_journal.tsv"   # under the raw dir: one line per fetched page, appended at once


@dataclass
class Pacer:
    """Seconds between two requests to the same host, shared by every source of a pull."""
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    last: dict[str, float] = field(default_factory=dict)
    requests: int = 0
    robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)  # per pull
    journals: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # raw dir -> url -> journal line

    def wait(self, host: str, delay_s: float) -> None:
        """Sleep until `delay_s` has passed since the host's previous request ended."""
        if host in self.last:
            pause = self.last[host] + delay_s - self.clock()
            if pause > 0:
                self.sleep(pause)
        self.requests += 1

    def done(self, host: str) -> None:
        # counted from the end of a request, so the server never sees two closer than the delay
        self.last[host] = self.clock()


@dataclass(frozen=True)
class Page:
    url: str
    final_url: str
    body: bytes
    sha256: str
    evidence: str
    previous_sha256: str | None       # None: never fetched before
    previous_evidence: str | None
    not_modified: bool                # the server answered 304

    @property
    def changed(self) -> bool:
        return self.previous_sha256 is not None and self.previous_sha256 != self.sha256


@dataclass
class Fetcher:
    con: duckdb.DuckDBPyConnection
    raw_dir: Path
    district_code: str
    delay_s: float = 1.0
    pacer: Pacer = field(default_factory=Pacer)
    timeout: float = http_pull.TIMEOUT_S
    retries: int = http_pull.RETRIES
    max_bytes: int = http_pull.MAX_BYTES
    deadline: float | None = None         # monotonic instant the whole source must finish by
    page_deadline_s: float | None = None  # seconds one page (with its retries) may take, however it drips
    allowed_hosts: Collection[str] = ()
    today: dt.date = field(default_factory=dt.date.today)
    pending: dict[str, list[Any]] = field(default_factory=dict)   # crawl_pages rows not yet written

    def _host(self, url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}".lower()

    def _robots(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        host = self._host(url)
        robots = self.pacer.robots
        if host not in robots:
            parser: urllib.robotparser.RobotFileParser | None = None
            try:
                page = self._get(f"{host}/robots.txt")
                parser = urllib.robotparser.RobotFileParser()
                parser.parse(page.body.decode("utf-8", errors="replace").splitlines())
            except LoadError as exc:
                if not any(p.detail and p.detail.startswith("HTTP 4") for p in exc.problems):
                    raise  # a 4xx means no robots.txt: everything allowed; anything else fails the source
            robots[host] = parser
        return robots[host]

    def _journal(self) -> dict[str, list[str]]:
        """url -> [url, final_url, etag, last_modified, sha256, evidence, fetched_on] of every page
        fetched into this raw dir, including by a pull that was killed before its database writes
        were kept: a resumed crawl asks for those pages conditionally instead of again in full."""
        key = str(self.raw_dir)
        if key not in self.pacer.journals:
            entries: dict[str, list[str]] = {}
            path = self.raw_dir / JOURNAL
            if path.is_file():
                for line in path.read_text(encoding="utf-8").splitlines():
                    fields = line.split("\t")
                    if len(fields) == 7:  # a line cut short by a kill is ignored
                        entries[fields[0]] = fields
            self.pacer.journals[key] = entries
        return self.pacer.journals[key]

    def _record(self, fields: list[str]) -> None:
        self.raw_dir.mkdir(parents=True, exist_ok=True)
        with (self.raw_dir / JOURNAL).open("a", encoding="utf-8") as f:
            f.write("\t".join(fields) + "\n")
        self._journal()[fields[0]] = fields

    def _store(self, url: str, final_url: str, etag: str | None, modified: str | None, digest: str,
               evidence: str, fetched_on: dt.date | str) -> None:
        """Queue the crawl_pages row of a fetched page; `flush` writes the queue in one statement
        (single-row upserts cost DuckDB tens of milliseconds each; the journal already keeps the
        fetch if the process dies before the flush)."""
        self.pending[url] = [url, final_url, etag, modified, digest, evidence,
                             dt.date.fromisoformat(fetched_on) if isinstance(fetched_on, str) else fetched_on]

    def flush(self) -> None:
        """Write the queued crawl_pages rows (a row whose sha256 is unchanged keeps its fetched_on)."""
        if not self.pending:
            return
        frame = pd.DataFrame(list(self.pending.values()), columns=["url", "final_url", "etag", "last_modified",
                                                                   "sha256", "evidence", "fetched_on"])
        cur = self.con.cursor()  # its own statement state: an open result on `con` cannot block it
        cur.register("_crawl_pages_in", frame)
        try:
            cur.execute(
                "INSERT OR REPLACE INTO crawl_pages SELECT i.url, i.final_url, i.etag, i.last_modified, i.sha256, "
                "i.evidence, coalesce(p.fetched_on, i.fetched_on) FROM _crawl_pages_in i "
                "LEFT JOIN crawl_pages p ON p.url = i.url AND p.sha256 = i.sha256")
        finally:
            cur.close()
        self.pending.clear()

    def _get(self, url: str) -> Page:
        queued = self.pending.get(url)
        found = self.con.execute("SELECT etag, last_modified, sha256, evidence FROM crawl_pages WHERE url = ?",
                                 [url]).fetchall() if not queued else []  # fetchall: leave no open result
        row = tuple(queued[2:4] + queued[4:6]) if queued else (found[0] if found else None)
        etag, modified, old_sha, old_evidence = row if row else (None, None, None, None)
        journal = None if row else self._journal().get(url)
        if journal is not None:
            etag, modified, old_evidence = journal[2] or None, journal[3] or None, journal[5]
        if old_evidence and not Path(old_evidence).is_file():
            etag = modified = old_evidence = None  # evidence gone: ask for the full page again
            journal = None
        host = urlsplit(url).netloc.lower()
        self.pacer.wait(host, self.delay_s)
        try:
            response = http_pull.request(url, etag=etag, last_modified=modified, timeout=self.timeout,
                                         retries=self.retries, max_bytes=self.max_bytes, deadline=self._deadline(),
                                         allowed_hosts=self.allowed_hosts, backoff=max(0.5, self.delay_s))
        finally:
            self.pacer.done(host)
        if response.status == 304 and old_evidence:
            body = Path(old_evidence).read_bytes()
            if journal is not None:  # known only from the journal: the database learns it now, as new
                self._store(url, journal[1], etag, modified, journal[4], journal[5], journal[6])
                return Page(url, journal[1], body, journal[4], journal[5], None, None, True)
            return Page(url, response.final_url, body, str(old_sha), str(old_evidence), old_sha, old_evidence, True)
        body = response.body
        digest = hashlib.sha256(body).hexdigest()
        evidence = http_pull.keep_evidence(self.raw_dir, self.district_code, url, body, self.today,
                                           final_url=response.final_url)
        self._record([url, response.final_url, response.etag or "", response.last_modified or "", digest,
                      str(evidence), self.today.isoformat()])
        self._store(url, response.final_url, response.etag, response.last_modified, digest, str(evidence), self.today)
        return Page(url, response.final_url, body, digest, str(evidence), old_sha, old_evidence, False)

    def _deadline(self) -> float | None:
        page = None if self.page_deadline_s is None else time.monotonic() + self.page_deadline_s
        candidates = [d for d in (self.deadline, page) if d is not None]
        return min(candidates) if candidates else None

    def get(self, url: str) -> Page:
        """Fetch `url` politely (see module docstring). Raises LoadError."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise LoadError([LoadProblem(ProblemKind.FETCH_DEADLINE, url)])
        robots = self._robots(url)
        if robots is not None and not robots.can_fetch(http_pull.USER_AGENT, url):
            raise LoadError([LoadProblem(ProblemKind.ROBOTS_DISALLOWED, url)])
        return self._get(url)
