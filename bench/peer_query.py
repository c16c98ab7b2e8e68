"""The peer's side of the query benchmark: txtai's hybrid index over our index's passages.

Runs in txtai's own virtualenv (``bench/.venv-peer``), so it imports nothing of the project:
passages and their vectors are read from the index's SQLite file directly, and txtai is
given those vectors (``method: external`` with a lookup as its transform), so both systems
search the same vectors; txtai's BM25 side reads the same passage text.

    .venv-peer/bin/python bench/peer_query.py build INDEX_DIR PEER_DIR
    .venv-peer/bin/python bench/peer_query.py query PEER_DIR QUESTIONS.npz LOOPS

``build`` indexes and saves (and prints its seconds); ``query`` loads the saved index in a
fresh process and prints one JSON line: per-question latencies and the process's RSS.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np


def rss_bytes() -> int:
    """This process's resident set size (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def lookup(vectors: dict[str, np.ndarray]) -> Callable[[Sequence[str]], np.ndarray]:
    """txtai's transform: the stored vector of each text (a function: txtai instantiates
    any other callable it is given)."""

    def transform(texts: Sequence[str]) -> np.ndarray:
        return np.vstack([vectors[t] for t in texts]).astype(np.float32)

    return transform


def _config(vectors: dict[str, np.ndarray]) -> dict[str, object]:
    return {"method": "external", "transform": lookup(vectors), "content": True, "hybrid": True}


def build(index_dir: Path, out: Path) -> float:
    """Index every passage of our index into txtai and save it to ``out``."""
    from txtai import Embeddings

    started = time.perf_counter()
    vectors: dict[str, np.ndarray] = {}
    db = sqlite3.connect(index_dir / "meta.sqlite")
    rows = db.execute("SELECT id, text, embedding FROM passages ORDER BY id")

    def stream():  # type: ignore[no-untyped-def]
        for rowid, text, blob in rows:
            vectors[text] = np.frombuffer(blob, dtype=np.float32)
            yield (str(rowid), text, None)

    embeddings = Embeddings(_config(vectors))
    embeddings.index(stream())
    embeddings.save(str(out))
    return time.perf_counter() - started


def query(peer_dir: Path, questions: Path, loops: int) -> dict[str, object]:
    """Per-question search latencies (ms) over the saved index, and RSS after them."""
    from txtai import Embeddings

    data = np.load(questions)
    texts = [str(t) for t in data["texts"]]
    vectors = dict(zip(texts, data["vectors"], strict=True))
    started = time.perf_counter()
    embeddings = Embeddings()
    embeddings.load(str(peer_dir), config={"transform": lookup(vectors)})
    embeddings.search(texts[0], 10)
    load_s = time.perf_counter() - started
    rss_warm = rss_bytes()
    latencies: list[float] = []
    for _ in range(loops):
        for text in texts:
            t0 = time.perf_counter()
            embeddings.search(text, 10)
            latencies.append((time.perf_counter() - t0) * 1000)
    return {
        "latencies_ms": latencies,
        "rss_warm": rss_warm,
        "rss_after": rss_bytes(),
        "startup_s": load_s,
        "count": int(embeddings.count()),
    }


def main(argv: Sequence[str]) -> int:
    """Dispatch ``build`` or ``query``."""
    if argv[0] == "build":
        print(json.dumps({"build_s": build(Path(argv[1]), Path(argv[2]))}))
    elif argv[0] == "query":
        print(json.dumps(query(Path(argv[1]), Path(argv[2]), int(argv[3]))))
    else:
        raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
