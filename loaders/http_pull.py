"""Fetch a source over HTTP(S) with urllib: timeout, retries, a size cap; keep the evidence.

`fetch` returns the body or raises LoadError(fetch_failed | fetch_timeout | too_large).
`keep_evidence` stores the bytes under `<raw_dir>/<district_code>/<YYYY-MM-DD>/` named
`<sha256 prefix>_<name>` with a `.sha256` file beside it; content already kept for that
district (any day) is not stored again.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from loaders.errors import LoadError, LoadProblem, ProblemKind

TIMEOUT_S = 20.0
RETRIES = 2
MAX_BYTES = 50 * 1024 * 1024
USER_AGENT = "gongkai-dudaotai/1.0 (+data steward pull)"
_CHUNK = 1 << 16


def is_url(source: object) -> bool:
    return isinstance(source, str) and source.lower().startswith(("http://", "https://"))


def _read_capped(response: object, url: str, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = response.read(_CHUNK)  # type: ignore[attr-defined]
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            cap = f"{max_bytes // (1024 * 1024)} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes // 1024} KB"
            raise LoadError([LoadProblem(ProblemKind.TOO_LARGE, url, detail=cap)])
        chunks.append(chunk)


def fetch(url: str, *, timeout: float = TIMEOUT_S, retries: int = RETRIES, max_bytes: int = MAX_BYTES,
          backoff: float = 0.5) -> bytes:
    """GET `url`; client errors (4xx) are not retried, timeouts and server errors are."""
    last: LoadProblem | None = None
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(backoff * attempt)
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return _read_capped(response, url, max_bytes)
        except urllib.error.HTTPError as exc:
            last = LoadProblem(ProblemKind.FETCH_FAILED, url, detail=f"HTTP {exc.code}")
            if exc.code < 500:
                break
        except (TimeoutError, socket.timeout):
            last = LoadProblem(ProblemKind.FETCH_TIMEOUT, url, detail=f"{timeout:g} s")
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                last = LoadProblem(ProblemKind.FETCH_TIMEOUT, url, detail=f"{timeout:g} s")
            else:
                last = LoadProblem(ProblemKind.FETCH_FAILED, url, detail=str(exc.reason))
        except OSError as exc:  # connection reset mid-body and the like
            last = LoadProblem(ProblemKind.FETCH_FAILED, url, detail=type(exc).__name__)
    assert last is not None
    raise LoadError([last])


def evidence_name(url: str, digest: str) -> str:
    """'<first 12 hex of sha256>_<last path segment>' ('index.html' for a bare directory URL)."""
    path = urlsplit(url).path
    segment = "index.html" if path.endswith("/") else PurePosixPath(path).name or "index.html"
    segment = re.sub(r"[^\w.\-]+", "_", segment)[:80]
    return f"{digest[:12]}_{segment}"


def keep_evidence(raw_dir: Path, district_code: str, url: str, data: bytes, today: dt.date | None = None) -> Path:
    """Store fetched bytes and their sha256 once per district; return the evidence file."""
    digest = hashlib.sha256(data).hexdigest()
    name = evidence_name(url, digest)
    existing = sorted((raw_dir / district_code).glob(f"*/{name}"))
    if existing:
        return existing[0]
    folder = raw_dir / district_code / (today or dt.date.today()).isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    (folder / f"{name}.sha256").write_text(f"{digest}  {name}\n{url}\n", encoding="utf-8")
    return path
