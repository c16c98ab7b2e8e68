"""The three suffix strippers on every word of the three shared corpora (stop 29).

``asked_plan._stem_of``, ``glossary._stem`` and ``trend_words.stem`` each take an ending
off a word; this prints, per pair, on how many distinct words of the documents' texts
(read from each set's index store, read only) their outputs differ, on all words and on
the lower-case ones, with the most frequent examples: docs/quality.md, "Repeated code,
stop 29".

    python bench/stemmers.py --index-root /tmp/lead29/v15/itl
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
from collections import Counter
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.quality_all import SETS  # noqa: E402
from qa_service.asked_plan import _stem_of  # noqa: E402
from qa_service.glossary import _stem  # noqa: E402
from qa_service.trend_words import stem  # noqa: E402

STEMMERS: dict[str, Callable[[str], str]] = {
    "asked_plan._stem_of": _stem_of,
    "glossary._stem": _stem,
    "trend_words.stem": stem,
}


def corpus_words(index_root: Path) -> Counter[str]:
    """Every word (letters only, as written) of the sets' documents, with its count."""
    words: Counter[str] = Counter()
    for name in SETS:
        uri = f"file:{index_root / name / 'meta.sqlite'}?mode=ro"
        with sqlite3.connect(uri, uri=True) as conn:
            for (text,) in conn.execute("SELECT text FROM documents"):
                words.update(re.findall(r"[A-Za-z]+", text))
    return words


def compare(words: Counter[str], examples: int = 6) -> dict[str, Any]:
    """Per pair of stemmers: the words where they differ (all, lower case), examples."""
    out: dict[str, Any] = {
        "words": len(words),
        "lower_case_words": sum(w.islower() for w in words),
    }
    stems = {name: {w: f(w) for w in words} for name, f in STEMMERS.items()}
    for a, b in combinations(STEMMERS, 2):
        differ = [w for w in words if stems[a][w] != stems[b][w]]
        common = sorted((w for w in differ if w.islower()), key=lambda w: (-words[w], w))
        out[f"{a} / {b}"] = {
            "differ": len(differ),
            "differ_lower_case": len(common),
            "examples": [(w, stems[a][w], stems[b][w]) for w in common[:examples]],
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-root", type=Path, required=True)
    args = parser.parse_args(argv)
    print(json.dumps(compare(corpus_words(args.index_root)), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
