"""Choose the abstention rule: for each weight of key-term coverage in the confidence, the
threshold that makes the fewest mistakes (answerable questions refused plus unanswerable
ones answered) while false abstentions stay at or under 5%, placed in the middle of the
widest gap between confidences that does so.

    python bench/calibrate_abstention.py [--index DIR]

The confidence of an answer is ``max(passage cosine, best-sentence cosine) + w * coverage``
of its best passage (qa_service/retriever.py).  For each ``w`` this prints the threshold
chosen on the whole dev set, how many unanswerable questions it catches, and a
leave-one-out estimate (each question judged by a threshold chosen without it), which is
the figure to expect on papers the rule was not tuned on.

Fewest mistakes and the widest gap, rather than the highest threshold the 5% allows: a
threshold pushed up to the last answerable question that allowance permits spends it on
the dev set, and a question of other papers that sits a little lower is then refused.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from index.embedder import SentenceTransformerEmbedder  # noqa: E402
from index.writer import IndexWriter  # noqa: E402
from qa_service.config import Settings  # noqa: E402
from qa_service.eval_runner import question_filters  # noqa: E402
from qa_service.evaluation import load_questions  # noqa: E402
from qa_service.retriever import Engine  # noqa: E402
from qa_service.runtime import make_query_embedder  # noqa: E402

DEV = REPO.parent / "shared" / "dev-set"
MAX_FALSE = 0.05
WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5)


def threshold(conf: list[tuple[bool, float]], max_false: float = MAX_FALSE) -> float:
    """The threshold for confidences ``(answerable, confidence)``: fewest mistakes with at
    most 5% of answerable questions abstaining, then the widest gap between neighbouring
    confidences (the threshold sits in its middle)."""
    values = sorted(c for _, c in conf)
    answerable = sum(1 for ans, _ in conf if ans)
    allowed = int(max_false * answerable)
    cuts = [values[0] - 0.02] + [(a + b) / 2 for a, b in itertools.pairwise(values)]
    gaps = [0.04] + [b - a for a, b in itertools.pairwise(values)]
    best: tuple[int, float] | None = None
    chosen = cuts[0]
    for cut, gap in zip(cuts, gaps, strict=True):
        false = sum(1 for ans, c in conf if ans and c < cut)
        if false > allowed:
            continue
        answered = sum(1 for ans, c in conf if not ans and c >= cut)
        key = (-(false + answered), gap)
        if best is None or key > best:
            best, chosen = key, cut
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=REPO / "bench" / "out" / "dev-index")
    args = parser.parse_args()
    embedder = SentenceTransformerEmbedder()
    with IndexWriter(args.index, embedder).open() as writer:
        writer.ingest([DEV / "corpus"])
    # Questions are encoded as the service encodes them (CQA_QUERY_ENCODER, ONNX by
    # default), so the threshold is chosen on the confidences the service will compute.
    settings = Settings(index=args.index)
    engine = Engine(args.index, make_query_embedder(settings, embedder), settings)
    # per question: answerable, and (best cosine, coverage) of each returned passage
    rows: list[tuple[bool, list[tuple[float, float]]]] = []
    for q in load_questions(DEV / "questions.jsonl"):
        answer = engine.ask(q.question, 10, question_filters(q))
        evidence = [
            (max(h.dense, h.sentence), h.features.coverage if h.features else 0.0)
            for h in answer.hits
        ]
        rows.append((q.answerable, evidence))
    print(
        "| coverage weight | threshold | unanswerable caught | false abstentions | "
        "leave-one-out caught | leave-one-out false |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for w in WEIGHTS:
        conf = [(ans, max((c + w * v for c, v in ev), default=-1.0)) for ans, ev in rows]
        t = threshold(conf)
        caught = [c < t for ans, c in conf if not ans]
        false = [c < t for ans, c in conf if ans]
        loo_caught: list[bool] = []
        loo_false: list[bool] = []
        for i, (ans, c) in enumerate(conf):
            others = conf[:i] + conf[i + 1 :]
            (loo_false if ans else loo_caught).append(c < threshold(others))
        print(
            f"| {w:.2f} | {t:.3f} | {sum(caught)}/{len(caught)} | {sum(false)}/{len(false)} | "
            f"{sum(loo_caught)}/{len(loo_caught)} | {sum(loo_false)}/{len(loo_false)} |"
        )


if __name__ == "__main__":
    main()
