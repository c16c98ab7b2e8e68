"""Load test: N concurrent clients ask questions of `cqa serve` for S seconds (locust).

One command (from the project folder, after scripts/install.sh):

    .venv/bin/python bench/loadtest.py                     # 32 clients, 60 s, real model
    .venv/bin/python bench/loadtest.py --seconds 12        # the short form CI runs

It builds an index of the shipped corpus in a temporary folder (or uses --index), starts
`cqa serve` on 127.0.0.1 and a free port, runs locust headless against it, stops the
server, prints one JSON line (requests, failures, p50/p95/p99 ms, requests per second)
and exits 1 if any request failed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_up(url: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("cqa serve exited before it was up")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("cqa serve did not come up in time")


def _aggregated(prefix: Path) -> dict[str, float]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        row = next(r for r in csv.DictReader(fh) if r["Name"] == "Aggregated")
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "p99_ms": float(row["99%"]),
        "mean_ms": round(float(row["Average Response Time"]), 1),
        "requests_per_s": round(float(row["Requests/s"]), 2),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the load test; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--embedder", choices=["model", "hashing"], default="model")
    parser.add_argument("--index", type=Path, default=None, help="default: a temporary one")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--json-out", type=Path, default=None)
    args = parser.parse_args(argv)

    env = {k: v for k, v in os.environ.items() if not k.startswith("CQA_")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", CQA_EMBEDDER=args.embedder)
    with tempfile.TemporaryDirectory(prefix="cqa-load-") as tmp:
        index = args.index or Path(tmp) / "index"
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        cqa = [sys.executable, "-c", "from qa_service.cli import main; main()"]
        serve = [*cqa, "serve", "--index", str(index), "--corpus", str(args.corpus)]
        with open(Path(tmp) / "serve.log", "wb") as log:
            server = subprocess.Popen(
                [*serve, "--port", str(port)], env=env, cwd=ROOT, stdout=log, stderr=log
            )
            try:
                _wait_up(url, server, timeout=600)
                prefix = Path(tmp) / "locust"
                command = [
                    sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
                    "--headless", "--host", url, "-u", str(args.users), "-r", str(args.users),
                    "-t", f"{args.seconds}s", "--stop-timeout", "120", "--csv", str(prefix),
                    "--only-summary", "--loglevel", "WARNING",
                ]  # fmt: skip
                locust = subprocess.run(
                    command,
                    cwd=ROOT,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=args.seconds + 600,
                )
            finally:
                server.terminate()
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
        if not Path(f"{prefix}_stats.csv").exists():
            print(locust.stdout[-3000:], locust.stderr[-3000:], file=sys.stderr)
            return 2
        result = {"users": args.users, "seconds": args.seconds, "embedder": args.embedder}
        result.update(_aggregated(prefix))
    line = json.dumps(result)
    print(line)
    if args.json_out:
        args.json_out.write_text(line + "\n", encoding="utf-8")
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
