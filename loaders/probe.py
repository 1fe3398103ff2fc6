"""Parse an uploaded file in a child process with capped memory and CPU (issue #16 item 4).

The dashboard serves every session from one process; a file that blew up inside it would slow
or kill every other user's page. `probe(data, filename)` runs the real readers
(`loaders.readers.parse`) on the bytes in `python -m loaders.probe`, with RLIMIT_AS (address
space) at `memory` bytes and RLIMIT_CPU at `cpu_s` seconds, plus a wall-clock timeout. It
returns None when the file parses or is refused with an ordinary LoadError (the caller then
loads it in-process: the same reader answers quickly), and raises LoadError(too_costly) when the
child ran out of memory or time — the file never reaches the server's own reader.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

from loaders.errors import LoadError, LoadProblem, ProblemKind

MEMORY_BYTES = 1 << 30   # 1 GiB of address space for the child, once its imports are done
CPU_S = 30
ROOT = Path(__file__).resolve().parent.parent


def probe(data: bytes, filename: str, *, memory: int = MEMORY_BYTES, cpu_s: int = CPU_S) -> None:
    """Raise LoadError(too_costly) when parsing `data` exceeds the child's memory or time."""
    try:
        done = subprocess.run([sys.executable, "-m", "loaders.probe", filename, str(memory), str(cpu_s)],
                              input=data, capture_output=True, timeout=cpu_s + 15, cwd=ROOT)
    except subprocess.TimeoutExpired:
        raise LoadError([LoadProblem(ProblemKind.TOO_COSTLY, filename, detail=f"{cpu_s} s")]) from None
    verdict = done.stdout.decode("utf-8", "replace").strip().splitlines()[-1:] if done.returncode == 0 else []
    if verdict and verdict[0] in ("parsed", "refused"):
        return
    detail = f"{memory >> 20} MB / {cpu_s} s"
    raise LoadError([LoadProblem(ProblemKind.TOO_COSTLY, filename, detail=detail)])


def _child(filename: str, memory: int, cpu_s: int) -> str:
    from loaders import readers  # imported before the cap: the cap is for the parse

    data = sys.stdin.buffer.read()
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    try:
        readers.parse(data, filename)
    except LoadError:
        return "refused"
    except MemoryError:
        return "memory"
    return "parsed"


if __name__ == "__main__":
    print(json.dumps(_child(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))).strip('"'))
