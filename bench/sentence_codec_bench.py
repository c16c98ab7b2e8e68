"""What storing sentence vectors smaller costs the rerank and the highlight, on the three sets.

    python -m bench.sentence_codec_bench [--index-root DIR] [--codecs float16,int8]

For each shared set the set's index is built (or reused) with the bundled model, as
``bench/quality_all.py`` builds it, with float32 sentence vectors.  For each codec a copy
of that index has every sentence vector re-encoded (``index.sentence_codec``), and the
same questions are asked through ``cqa eval``'s code.  Reported per set and codec:

- ``cqa eval``'s figures (in-sample), beside float32's;
- the share of questions whose five passages come back in the same order, and whose
  highlighted sentence of the first passage is the same, as with float32;
- the largest difference of a best-sentence cosine (``Hit.sentence``) from float32's;
- the bytes of the stored sentence vectors.

Passage vectors are left in float32: the dense search re-scores from them.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.quality_all import SETS, SetRun, run_set  # noqa: E402
from evaluation.report import SET_COLUMNS  # noqa: E402
from evaluation.scoring import score  # noqa: E402
from index.embedder import SentenceTransformerEmbedder  # noqa: E402
from index.sentence_codec import CODECS, Codec, decode, encode  # noqa: E402
from index.store import DB_NAME  # noqa: E402

_CHUNK = 5000


def recode(index_dir: Path, codec: Codec) -> int:
    """Re-encode every sentence vector of the index in ``index_dir``; returns their bytes."""
    db = sqlite3.connect(index_dir / DB_NAME, isolation_level=None)
    dim = int(db.execute("SELECT value FROM meta WHERE key = 'dim'").fetchone()[0])
    rows = db.execute("SELECT rowid, embedding FROM sentences").fetchall()
    db.execute("BEGIN")
    for start in range(0, len(rows), _CHUNK):
        part = rows[start : start + _CHUNK]
        blobs = encode(decode([r[1] for r in part], dim), codec)
        db.executemany(
            "UPDATE sentences SET embedding = ? WHERE rowid = ?",
            [(blob, r[0]) for blob, r in zip(blobs, part, strict=True)],
        )
    db.execute("COMMIT")
    size = int(db.execute("SELECT sum(length(embedding)) FROM sentences").fetchone()[0] or 0)
    db.close()
    return size


def compare(plain: SetRun, other: SetRun) -> dict[str, float]:
    """How often ``other`` ranks and highlights as ``plain`` does."""
    same_rank = same_highlight = 0
    drift = 0.0
    for a, b in zip(plain.answers, other.answers, strict=True):
        ranked_a = [h.passage.passage_id for h in a.hits[:5]]
        ranked_b = [h.passage.passage_id for h in b.hits[:5]]
        same_rank += ranked_a == ranked_b
        first_a = a.hits[0].highlights[:1] if a.hits else []
        first_b = b.hits[0].highlights[:1] if b.hits else []
        same_highlight += ranked_a[:1] == ranked_b[:1] and first_a == first_b
        by_id = {h.passage.passage_id: h.sentence for h in a.hits}
        for hit in b.hits:
            if hit.passage.passage_id in by_id:
                drift = max(drift, abs(hit.sentence - by_id[hit.passage.passage_id]))
    n = max(1, len(plain.answers))
    return {
        "same_top5": round(same_rank / n, 4),
        "same_highlight": round(same_highlight / n, 4),
        "max_sentence_cosine_change": round(drift, 5),
    }


def main(argv: list[str] | None = None) -> int:
    """Run each set with each codec; print one Markdown table, write the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-root", type=Path, default=REPO / "bench" / "out" / "indexes")
    parser.add_argument("--codecs", default="float16,int8")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "sentence_codec.json")
    args = parser.parse_args(argv)
    codecs: list[Codec] = [c for c in CODECS if c in args.codecs.split(",") and c != "float32"]
    embedder = SentenceTransformerEmbedder(lazy=True)
    report: dict[str, Any] = {}
    head = "| set | sentence vectors | MB | " + " | ".join(n for n, _ in SET_COLUMNS)
    lines = [head + " | same top 5 | same highlight |", "| --- " * (len(SET_COLUMNS) + 5) + "|"]
    for name in SETS:
        plain = run_set(name, args.index_root, embedder)
        rows: list[tuple[str, SetRun, int, dict[str, float] | None]] = [
            ("float32", plain, recode_size(args.index_root / name), None)
        ]
        for codec in codecs:
            root = args.index_root.parent / f"{args.index_root.name}-{codec}"
            if (root / name).exists():
                shutil.rmtree(root / name)
            shutil.copytree(
                args.index_root / name, root / name, ignore=shutil.ignore_patterns("write.lock")
            )
            size = recode(root / name, codec)
            other = run_set(name, root, embedder)
            rows.append((codec, other, size, compare(plain, other)))
        for kind, run, size, same in rows:
            figures = vars(score(run.results, run.councils).overall)
            report.setdefault(name, {})[kind] = {"bytes": size, **figures, **(same or {})}
            cells = [_cell(figures.get(attr)) for _, attr in SET_COLUMNS]
            agree = ["–", "–"]
            if same:
                agree = [f"{same['same_top5']:.3f}", f"{same['same_highlight']:.3f}"]
            lines.append(
                f"| {name} | {kind} | {size / 2**20:.2f} | " + " | ".join(cells + agree) + " |"
            )
    print("\n".join(lines))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    return 0


def recode_size(index_dir: Path) -> int:
    """Bytes of the stored sentence vectors, as they are."""
    db = sqlite3.connect(index_dir / DB_NAME)
    size = int(db.execute("SELECT sum(length(embedding)) FROM sentences").fetchone()[0] or 0)
    db.close()
    return size


def _cell(value: Any) -> str:
    return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    sys.exit(main())
