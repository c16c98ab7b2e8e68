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
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa_service.serving import ServeError, child_env, serving  # noqa: E402


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


def _locust(
    url: str, users: int, seconds: int, prefix: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
        "--headless", "--host", url, "-u", str(users), "-r", str(users),
        "-t", f"{seconds}s", "--stop-timeout", "120", "--csv", str(prefix),
        "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=seconds + 600
    )


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

    env = child_env(args.embedder)
    with tempfile.TemporaryDirectory(prefix="cqa-load-") as tmp:
        index = args.index or Path(tmp) / "index"
        serve_args = ["--corpus", str(args.corpus)]
        prefix = Path(tmp) / "locust"
        try:
            # up to 10 minutes: with no --index, the server first builds one of the corpus
            with serving(index, args=serve_args, env=env, timeout=600) as server:
                locust = _locust(server.url, args.users, args.seconds, prefix, env)
        except ServeError as exc:
            print(exc, file=sys.stderr)
            return 2
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
