"""Choose the abstention rule: for each weight of key-term coverage in the confidence, the
highest threshold that keeps false abstentions on answerable questions at or under 5%.

    python bench/calibrate_abstention.py [--index DIR]

The confidence of an answer is ``max(passage cosine, best-sentence cosine) + w * coverage``
of its best passage (qa_service/retriever.py).  For each ``w`` this prints the threshold
chosen on the whole dev set, how many unanswerable questions it catches, and a
leave-one-out estimate (each question judged by a threshold chosen without it), which is
the figure to expect on papers the rule was not tuned on.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from index.embedder import SentenceTransformerEmbedder  # noqa: E402
from index.writer import IndexWriter  # noqa: E402
from qa_service.eval_runner import question_filters  # noqa: E402
from qa_service.evaluation import load_questions  # noqa: E402
from qa_service.retriever import Engine  # noqa: E402

DEV = REPO.parent / "shared" / "dev-set"
MAX_FALSE = 0.05
WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5)


def threshold(answerable: list[float]) -> float:
    """Midway below the lowest confidence that must still answer (<= 5% may abstain)."""
    ranked = sorted(answerable)
    allowed = int(MAX_FALSE * len(ranked))
    if allowed >= len(ranked):
        return ranked[-1]
    below = ranked[allowed - 1] if allowed else ranked[0] - 0.02
    return (below + ranked[allowed]) / 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=REPO / "bench" / "out" / "dev-index")
    args = parser.parse_args()
    embedder = SentenceTransformerEmbedder()
    with IndexWriter(args.index, embedder).open() as writer:
        writer.ingest([DEV / "corpus"])
    engine = Engine(args.index, embedder)
    # per question: answerable, and (best cosine, coverage) of each returned passage
    rows: list[tuple[bool, list[tuple[float, float]]]] = []
    for q in load_questions(DEV / "questions.jsonl"):
        answer = engine.ask(q.question, 10, question_filters(q))
        evidence = [
            (max(h.dense, h.sentence), h.features.coverage if h.features else 0.0)
            for h in answer.hits
        ]
        rows.append((q.answerable, evidence))
    print("| coverage weight | threshold | unanswerable caught | false abstentions | "
          "leave-one-out caught | leave-one-out false |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for w in WEIGHTS:
        conf = [(ans, max((c + w * v for c, v in ev), default=-1.0)) for ans, ev in rows]
        t = threshold([c for ans, c in conf if ans])
        caught = [c < t for ans, c in conf if not ans]
        false = [c < t for ans, c in conf if ans]
        loo_caught, loo_false = [], []
        for i, (ans, c) in enumerate(conf):
            others = [cc for j, (aa, cc) in enumerate(conf) if j != i and aa]
            (loo_false if ans else loo_caught).append(c < threshold(others))
        print(
            f"| {w:.2f} | {t:.3f} | {sum(caught)}/{len(caught)} | {sum(false)}/{len(false)} | "
            f"{sum(loo_caught)}/{len(loo_caught)} | {sum(loo_false)}/{len(loo_false)} |"
        )


if __name__ == "__main__":
    main()
