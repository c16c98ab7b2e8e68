"""Which lists make the slow lexical searches, and how common their words are elsewhere
(issue 18, stop 28).

Reads ``bench/impact_stages.py``'s full report (per question: each MaxScore call's k, its
lists with their lengths and weights, the postings scored, its time) and prints, for all
questions and for the slowest ``--top`` by MaxScore time: the postings the lists hold and
the share scored, the words' document-frequency shares at 10M (list length / passages)
against their shares in the ``--other`` impact indexes (the real sets' indexes: the same
analyzer, so the same tokens), and the rank correlations of the time with postings held
and scored.

    python bench/impact_lists.py --stages /tmp/p28/stages.full.json \\
        --passages 10000000 --other /tmp/p28/itl/real-dev-set/impact [--other ...] \\
        --out /tmp/p28/lists.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def _shares(folder: Path) -> tuple[dict[str, float], int]:
    """Each word's and phrase's share of an impact index's passages."""
    meta = json.loads((folder / "words.json").read_text(encoding="utf-8"))
    offsets = np.load(folder / "offsets.npy")
    names = list(meta["words"]) + list(meta.get("phrases", []))
    lengths = np.diff(offsets)
    passages = int(meta["passages"])
    return {n: float(lengths[i]) / passages for i, n in enumerate(names)}, passages


def _spearman(a: list[float], b: list[float]) -> float:
    ra = np.argsort(np.argsort(a)).astype(float)
    rb = np.argsort(np.argsort(b)).astype(float)
    return round(float(np.corrcoef(ra, rb)[0, 1]), 3) if len(a) > 2 else float("nan")


def analyse(stages: Path, passages: int, others: list[Path], top: int) -> dict[str, Any]:
    """See the module notes."""
    report = json.loads(stages.read_text(encoding="utf-8"))
    rows = report["per_question"]
    shares = {str(p): _shares(p) for p in others}
    out: list[dict[str, Any]] = []
    for row in rows:
        calls = row.get("calls", [])
        held = sum(sum(length for length, _w in c["lists"].values()) for c in calls)
        read = sum(c["read"] for c in calls)
        words = {w: length for c in calls for w, (length, _w) in c["lists"].items()}
        out.append(
            {
                "question": row["question"],
                "path": row["path"],
                "total_ms": row["total"],
                "lexical_ms": row["lexical"],
                "maxscore_ms": row.get("lex_maxscore", 0.0),
                "ks": [c["k"] for c in calls],
                "held": held,
                "read": read,
                "read_share": round(read / held, 3) if held else 0.0,
                "words": {
                    w: {
                        "share_10m": round(length / passages, 4),
                        **{
                            Path(p).parent.name: round(s.get(w, 0.0), 4)
                            for p, (s, _n) in shares.items()
                        },
                    }
                    for w, length in sorted(words.items(), key=lambda x: -x[1])
                },
            }
        )
    searched = [o for o in out if o["held"]]
    slowest = sorted(searched, key=lambda o: -o["maxscore_ms"])[:top]

    def summary(group: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "questions": len(group),
            "held_median": float(np.median([o["held"] for o in group])) if group else 0,
            "read_median": float(np.median([o["read"] for o in group])) if group else 0,
            "read_share_median": float(np.median([o["read_share"] for o in group])) if group else 0,
            "words_median": float(np.median([len(o["words"]) for o in group])) if group else 0,
        }

    # the share of passages the slow questions' words hold, at 10M and in the others
    def word_shares(group: list[dict[str, Any]]) -> dict[str, float]:
        cols: dict[str, list[float]] = {}
        for o in group:
            for figures in o["words"].values():
                for name, value in figures.items():
                    cols.setdefault(name, []).append(value)
        return {n: round(float(np.median(v)), 4) for n, v in cols.items()}

    return {
        "stages": str(stages),
        "passages": passages,
        "others": {str(p): n for p, (_s, n) in shares.items()},
        "all": summary(searched),
        "slowest": summary(slowest),
        "word_share_median_all": word_shares(searched),
        "word_share_median_slowest": word_shares(slowest),
        "spearman_ms_held": _spearman(
            [o["maxscore_ms"] for o in searched], [o["held"] for o in searched]
        ),
        "spearman_ms_read": _spearman(
            [o["maxscore_ms"] for o in searched], [o["read"] for o in searched]
        ),
        "slowest_questions": slowest,
    }


def main(argv: list[str] | None = None) -> int:
    """Print and write the analysis."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stages", type=Path, required=True)
    parser.add_argument("--passages", type=int, required=True)
    parser.add_argument("--other", type=Path, action="append", default=[])
    parser.add_argument("--top", type=int, default=16)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    result = analyse(args.stages, args.passages, args.other, args.top)
    text = json.dumps(result, indent=1)
    print(text)
    args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
