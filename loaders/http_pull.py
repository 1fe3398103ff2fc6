"""Fetch a source over HTTP(S) with urllib: timeouts, retries, a size cap, an overall deadline,
guarded redirects and conditional GET; keep the evidence.

`request` returns a `Response` (status 200, or 304 for a conditional GET whose page did not
change) with the final URL after redirects; `fetch` returns only the body. Every way one
source can fail — a refused connection, a bad status line, an over-long header, a malformed
URL, a reply that is not HTTP, a body shorter than its Content-Length, a redirect to another
scheme or host, a source that drips past its deadline — is a LoadError with a Chinese reason,
never a traceback, so `pull` can go on with the next source (issue #16 item 6).

`keep_evidence` stores the bytes under `<raw_dir>/<district_code>/<YYYY-MM-DD>/` named
`<sha256 prefix>_<name>` with a `.sha256` file beside it (the sha256, the URL, the final URL);
content already kept for that district (any day) is not stored again, and no kept file is
ever rewritten.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import socket
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from loaders.errors import LoadError, LoadProblem, ProblemKind

if TYPE_CHECKING:  # imported by the first fetch (with ssl and email): a file load keeps only its evidence here
    import http.client
    import urllib.request

TIMEOUT_S = 20.0
RETRIES = 2
MAX_BYTES = 50 * 1024 * 1024
DEADLINE_S = 300.0           # one source (one file, or one whole crawled column) may take this long
MAX_REDIRECTS = 5
USER_AGENT = "gongkai-dudaotai/1.0 (+zhengzhou housing-security bureau; data steward pull)"
_CHUNK = 1 << 16


def is_url(source: object) -> bool:
    return isinstance(source, str) and source.lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class Response:
    """One answered GET. `status` is 200, or 304 when a conditional GET found the page unchanged
    (then `body` is empty). `final_url` is where redirects ended."""
    url: str
    final_url: str
    status: int
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""


class _Refused(Exception):
    def __init__(self, problem: LoadProblem) -> None:
        super().__init__(problem.detail)
        self.problem = problem


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


@cache
def _guarded_redirects() -> Callable[[str, Collection[str]], urllib.request.HTTPRedirectHandler]:
    """The redirect handler (a class on urllib.request, defined at the first fetch)."""
    import urllib.request

    class GuardedRedirects(urllib.request.HTTPRedirectHandler):
        """Follow a redirect only to http(s) on the original host or an allowed one."""

        def __init__(self, origin: str, allowed_hosts: Collection[str]) -> None:
            self.origin = _host(origin)
            self.allowed = {h.lower() for h in allowed_hosts}

        def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                             headers: http.client.HTTPMessage, newurl: str) -> urllib.request.Request | None:
            target = urljoin(req.full_url, newurl)
            scheme = urlsplit(target).scheme.lower()
            host = _host(target)
            if scheme not in ("http", "https") or (host != self.origin and host not in self.allowed):
                raise _Refused(LoadProblem(ProblemKind.REDIRECT_REFUSED, req.full_url, value=target))
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return GuardedRedirects


def _cap_text(max_bytes: int) -> str:
    return f"{max_bytes // (1024 * 1024)} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes // 1024} KB"


def _read_body(response: http.client.HTTPResponse, url: str, max_bytes: int, deadline: float | None) -> bytes:
    declared = response.headers.get("Content-Length")
    chunks: list[bytes] = []
    size = 0
    while True:
        if deadline is not None and time.monotonic() > deadline:
            raise _Refused(LoadProblem(ProblemKind.FETCH_DEADLINE, url))
        chunk = response.read1(_CHUNK)  # read1: a slow drip returns what it has, so the deadline is checked
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise _Refused(LoadProblem(ProblemKind.TOO_LARGE, url, detail=_cap_text(max_bytes)))
        chunks.append(chunk)
    if declared is not None and declared.strip().isdigit() and size < int(declared):
        raise _Refused(LoadProblem(ProblemKind.FETCH_TRUNCATED, url, value=str(size), detail=declared.strip()))
    return b"".join(chunks)


def _once(url: str, headers: dict[str, str], timeout: float, max_bytes: int, deadline: float | None,
          allowed_hosts: Collection[str]) -> Response:
    import urllib.error
    import urllib.request

    opener = urllib.request.build_opener(_guarded_redirects()(url, allowed_hosts))
    request = urllib.request.Request(url, headers=headers)
    if deadline is not None:
        timeout = max(0.05, min(timeout, deadline - time.monotonic()))
    try:
        response = opener.open(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Response(url, exc.geturl() or url, 304, b"", exc.headers.get("ETag"),
                            exc.headers.get("Last-Modified"))
        raise
    with response:
        body = _read_body(response, url, max_bytes, deadline)
        return Response(url, response.geturl() or url, response.status, body, response.headers.get("ETag"),
                        response.headers.get("Last-Modified"), response.headers.get("Content-Type") or "")


def _problem(exc: BaseException, url: str, timeout: float) -> tuple[LoadProblem, bool]:
    """The Chinese-reportable problem of a failed attempt and whether a retry may help."""
    import http.client
    import urllib.error

    if isinstance(exc, _Refused):
        return exc.problem, False
    if isinstance(exc, urllib.error.HTTPError):
        return LoadProblem(ProblemKind.FETCH_FAILED, url, detail=f"HTTP {exc.code}"), exc.code >= 500
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        if isinstance(reason, _Refused):
            return reason.problem, False
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return LoadProblem(ProblemKind.FETCH_TIMEOUT, url, detail=f"{timeout:g} s"), True
        if isinstance(reason, str) and reason.startswith("unknown url type"):
            return LoadProblem(ProblemKind.BAD_URL, url, value=url), False
        return LoadProblem(ProblemKind.FETCH_FAILED, url, detail=str(reason)), True
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return LoadProblem(ProblemKind.FETCH_TIMEOUT, url, detail=f"{timeout:g} s"), True
    if isinstance(exc, http.client.InvalidURL) or (isinstance(exc, ValueError) and \
            not isinstance(exc, UnicodeError)):
        return LoadProblem(ProblemKind.BAD_URL, url, value=url), False
    if isinstance(exc, http.client.RemoteDisconnected):
        return LoadProblem(ProblemKind.FETCH_FAILED, url, detail=type(exc).__name__), True
    if isinstance(exc, (http.client.HTTPException, UnicodeError)):
        # BadStatusLine, LineTooLong, too many headers, IncompleteRead: the reply is not usable HTTP
        return LoadProblem(ProblemKind.FETCH_BAD_REPLY, url, detail=type(exc).__name__), False
    return LoadProblem(ProblemKind.FETCH_FAILED, url, detail=type(exc).__name__), True


def request(url: str, *, etag: str | None = None, last_modified: str | None = None, timeout: float = TIMEOUT_S,
            retries: int = RETRIES, max_bytes: int = MAX_BYTES, backoff: float = 0.5,
            deadline: float | None = None, allowed_hosts: Collection[str] = ()) -> Response:
    """GET `url` (conditionally when `etag`/`last_modified` are given).

    `deadline` is a `time.monotonic()` instant after which the source is given up, however the
    server drips. Client errors (4xx), refused redirects, malformed URLs and non-HTTP replies are
    not retried; timeouts, resets and server errors are. Raises LoadError with one problem.
    """
    if not is_url(url):
        raise LoadError([LoadProblem(ProblemKind.BAD_URL, url, value=url)])
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    last: LoadProblem | None = None
    for attempt in range(retries + 1):
        if attempt:
            if deadline is not None and time.monotonic() + backoff * attempt > deadline:
                break
            time.sleep(backoff * attempt)
        try:
            return _once(url, headers, timeout, max_bytes, deadline, allowed_hosts)
        except Exception as exc:  # every failure of one source is its refusal (issue #16 item 6)
            last, retry = _problem(exc, url, timeout)
            if not retry:
                break
    if last is None or (deadline is not None and time.monotonic() > deadline
                        and last.kind is ProblemKind.FETCH_TIMEOUT):
        last = LoadProblem(ProblemKind.FETCH_DEADLINE, url)
    raise LoadError([last])


def fetch(url: str, *, timeout: float = TIMEOUT_S, retries: int = RETRIES, max_bytes: int = MAX_BYTES,
          backoff: float = 0.5, deadline: float | None = None) -> bytes:
    """GET `url` and return the body; see `request`."""
    return request(url, timeout=timeout, retries=retries, max_bytes=max_bytes, backoff=backoff,
                   deadline=deadline).body


def evidence_name(url: str, digest: str) -> str:
    """'<first 12 hex of sha256>_<last path segment>' ('index.html' for a bare directory URL)."""
    path = urlsplit(url).path
    segment = "index.html" if path.endswith("/") else PurePosixPath(path).name or "index.html"
    segment = re.sub(r"[^\w.\-]+", "_", segment)[:80]
    return f"{digest[:12]}_{segment}"


def stage_evidence(raw_dir: Path, district_code: str, url: str, data: bytes, today: dt.date | None = None,
                   final_url: str | None = None, digest: str | None = None) -> Callable[[bool], Path | None]:
    """Write the bytes to a hidden part file now (so a large load can drop them from memory) and
    return `finish(keep)`: True renames the part file to the evidence name and writes its sha256
    (the evidence path), False removes it (None). Content already kept for the district is not
    written again."""
    digest = digest or hashlib.sha256(data).hexdigest()
    name = evidence_name(url, digest)
    existing = sorted((raw_dir / district_code).glob(f"*/{name}"))
    if existing:
        return lambda keep: existing[0] if keep else None
    folder = raw_dir / district_code / (today or dt.date.today()).isoformat()
    made = [d for d in (raw_dir / district_code, folder) if not d.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    tmp = folder / f".{name}.part"
    tmp.write_bytes(data)

    def finish(keep: bool) -> Path | None:
        if not keep:
            tmp.unlink(missing_ok=True)
            for d in reversed(made):  # folders this attempt made, when nothing else is in them
                try:
                    d.rmdir()
                except OSError:
                    break
            return None
        tmp.replace(path)  # a kill mid-write never leaves a half file under the evidence name
        lines = [f"{digest}  {name}", url] + ([final_url] if final_url and final_url != url else [])
        (folder / f"{name}.sha256").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path
    return finish


def keep_evidence(raw_dir: Path, district_code: str, url: str, data: bytes, today: dt.date | None = None,
                  final_url: str | None = None, digest: str | None = None) -> Path:
    """Store fetched bytes and their sha256 (`digest`, when the caller has it) once per district;
    return the evidence file."""
    path = stage_evidence(raw_dir, district_code, url, data, today, final_url, digest)(True)
    assert path is not None
    return path
