"""Memory of a running server under requests that try to talk round the body limits.

Starts ``cqa serve`` (fake model, a token configured) on an index of the shipped corpus,
then sends in parallel, without the token: large bodies to ``/api/ask`` under a content
type other than ``application/json`` (declared length and chunked), and chunked 60 MB
uploads.  Prints one JSON line: the server's RSS before and after, its peak, and the
statuses.  Before issue 19 the bodies were parsed, echoed or buffered; now every one is
refused before it is read (docs/reliability.md).

    .venv/bin/python bench/hostile_requests.py [--size-mb 60] [--parallel 16]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from qa_service.serving import child_env, serving  # noqa: E402


def _memory_mb(pid: int) -> tuple[float, float]:
    """(current RSS, peak RSS) of ``pid`` in MB, from /proc."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def _chunks(size: int, piece: int = 1024 * 1024) -> Iterator[bytes]:
    block = b'{"question": "' + b"a" * (piece - 14)
    sent = 0
    while sent < size:
        yield block
        sent += len(block)


def main() -> None:
    """Run the requests and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=60)
    parser.add_argument("--parallel", type=int, default=16)
    args = parser.parse_args()
    size = args.size_mb * 1024 * 1024
    from index.embedder import HashingEmbedder
    from indexing.writer import IndexWriter

    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "idx"
        writer = IndexWriter(index, HashingEmbedder())
        with writer.open():
            writer.ingest([REPO / "corpus"])
        env = child_env("hashing", CQA_ADMIN_TOKEN="bench-token", OMP_NUM_THREADS="1")
        with serving(index, env=env) as server:
            url, proc = server.url, server.process
            before = _memory_mb(proc.pid)

            def send(kind: str) -> int:
                try:
                    if kind == "upload":
                        r = httpx.post(
                            f"{url}/api/documents",
                            content=_chunks(size),
                            headers={"content-type": "multipart/form-data; boundary=x"},
                            timeout=120,
                        )
                    else:
                        body: bytes | Iterator[bytes] = (
                            b"x" * size if kind == "text/plain" else _chunks(size)
                        )
                        r = httpx.post(
                            f"{url}/api/ask",
                            content=body,
                            headers={"content-type": "text/plain"},
                            timeout=120,
                        )
                    return r.status_code
                except httpx.HTTPError as exc:  # the server may close the connection
                    return -1 if "closed" in str(exc).lower() else -2

            kinds = ["text/plain", "chunked", "upload"] * args.parallel
            with ThreadPoolExecutor(args.parallel) as pool:
                statuses = list(pool.map(send, kinds))
            health = httpx.get(f"{url}/health", timeout=10).status_code
            after, peak = _memory_mb(proc.pid)
    summary: dict[str, object] = {
        "requests": len(statuses),
        "body_mb": args.size_mb,
        "statuses": {str(s): statuses.count(s) for s in sorted(set(statuses))},
        "health_after": health,
        "rss_before_mb": round(before[0]),
        "rss_after_mb": round(after),
        "rss_peak_mb": round(peak),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
