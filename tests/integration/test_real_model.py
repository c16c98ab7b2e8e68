"""End to end with the real bundled model, offline: the shipped corpus and the dev set."""

from __future__ import annotations

import pytest

from evaluation.runner import evaluate
from qa_service.retriever import Engine
from tests.conftest import SHARED

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def corpus_engine(corpus_index, query_embedder) -> Engine:  # type: ignore[no-untyped-def]
    # the session's one real-model index of corpus/ (tests/conftest.py), read only here
    return Engine(corpus_index, query_embedder)


def test_mission_example_finds_worcestershire_thresholds_first(corpus_engine: Engine) -> None:
    answer = corpus_engine.ask("what did Ofsted say about thresholds", 5)
    top = answer.hits[0]
    assert top.passage.document.source == "001_dd04bc2746722537.txt"
    assert top.passage.document.meta.council == "Worcestershire County Council"
    assert "application of thresholds had improved" in top.passage.text
    highlighted = " ".join(top.passage.text[s.start : s.end] for s in top.highlights)
    assert "thresholds" in highlighted
    assert answer.answered


# Measured on corpus/ (December 2026): R@1 1.00, R@5 1.00, MRR@10 1.000, answer@1 1.00.
# Four questions, so each is 0.25: every one must be found first and answered by the
# highlighted sentence (seed-03's highlight was the sentence before the figure until the
# highlight read item numbers as labels, issue 14's third pass).
SEED_FLOORS = {"R@1": 0.99, "R@5": 0.99, "MRR@10": 0.99, "answer@1": 0.99}


def test_seed_questions(corpus_engine: Engine) -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the repository")
    text, figures = evaluate(corpus_engine, SHARED / "dev-set" / "seed-questions.jsonl")
    print(text)
    overall = figures["overall"]
    assert overall["questions"] == 4
    for label, floor in SEED_FLOORS.items():
        assert overall[KEYS[label]] >= floor, (label, overall[KEYS[label]])
    assert overall["false_abstention"] == 0.0


# Floors a little under the out-of-fold figures of each set (docs/quality.md, "All three
# sets"): every fitted number is judged on councils it was not fitted on.  Never on time.
FLOORS = {
    # R@1 / MRR@10 / answer@1 out of fold (fourth pass): 0.77 / 0.86 / 0.63, 0.85 / 0.90 /
    # 0.71, 0.71 / 0.82 / 0.53; answer@1 after "The answering sentence, stop 18": 0.66 (43 of
    # 65), 0.72 (82 of 114), 0.56 (38 of 68); with "Rank 1, stop 18" as well: 0.69 / 0.81 / 0.60
    # out of fold, 0.69 / 0.79 / 0.57 in-sample; compare 0.97 / 0.96 / 1.00; after "The answering
    # sentence after the items, stop 18": 0.71 / 0.81 / 0.63 out of fold, 0.71 / 0.79 / 0.60
    # in-sample
    # MRR@10 out of fold after "Rank 1, stop 19" (the everyday signal, front matter for a
    # question on who attended): 0.874 / 0.940 / 0.871
    # R@1 / MRR@10 after "Rank 1, stop 20" (the count signal): 0.815 / 0.890 (53 of 65)
    # answer@1 after "The answering sentence, stop 20": 0.72 / 0.82 / 0.71 out of fold, 0.72 /
    # 0.80 / 0.68 in-sample (the stored rule)
    # Stop 20 merged (indexes re-cut at INGEST_VERSION 8): answer@1 0.75 / 0.82 / 0.72 out of
    # fold, 0.75 / 0.80 / 0.69 in-sample; real-dev-set R@5 0.985, MRR@10 0.900
    "dev-set": {"R@5": 0.96, "R@1": 0.80, "MRR@10": 0.88, "answer@1": 0.72, "compare": 0.93},
    # dev-set-2's R@5 out of fold 0.947 after glossary verb forms (docs/quality.md, "Compare
    # and R@5 (issue 14)"; was 0.94). R@1 / R@5 / MRR@10 out of fold after "Rank 1, stop 18":
    # 0.78 / 0.98 / 0.87, 0.91 / 0.96 / 0.94, 0.72 / 0.97 / 0.83
    # Stop 21 merged (indexes re-cut at INGEST_VERSION 10; "Rank 1 and the answering sentence,
    # stop 21"): R@1 0.930, MRR@10 0.949, answer@1 0.83 out of fold, 0.82 in-sample
    # Stop 22 merged (INGEST_VERSION 11): answer@1 0.833 out of fold and in-sample
    # Stop 23 merged (INGEST_VERSION 12; "Rank 1 and the answering sentence, stop 23"):
    # answer@1 0.842 (96 of 114) out of fold and in-sample
    "dev-set-2": {"R@5": 0.95, "R@1": 0.91, "MRR@10": 0.94, "answer@1": 0.81, "compare": 0.90},
    # real-dev-set after "Real papers' structure, stop 18" (minutes items): R@1 0.79, MRR@10 0.869,
    # answer@1 0.57 out of fold (0.59 in-sample); after "The answering sentence, stop 19":
    # 0.66 out of fold, 0.63 in-sample (the stored rule, which this check runs); after its
    # second round: 0.69 out of fold (47 of 68), 0.66 in-sample. R@1 / MRR@10 after "Real
    # papers' structure, stop 19" (a RESOLVED block's "1. That ..." clauses) merged with the rest
    # of stop 19: 0.82 / 0.885, out of fold as in-sample
    # R@1 / MRR@10 after "Rank 1, stop 20" (the count signal): 0.838 / 0.893 (57 of 68)
    # Stop 22 merged ("The answering sentence and rank 1 on real papers, stop 22"): R@1 0.853
    # (58 of 68), MRR@10 0.916, answer@1 0.735 (50 of 68) out of fold and in-sample
    "real-dev-set": {"R@5": 0.97, "R@1": 0.83, "MRR@10": 0.90, "answer@1": 0.70, "compare": 0.95},
}
# abstains on unanswerable questions, out of fold after the fourth highlight pass and the
# steadier cut, refitted together: 0.57 (4 of 7), 0.63, 0.33 (docs/quality.md, "Against the
# issue's targets"); the check runs the stored fit, whose in-sample figures are higher.
# Refitted after glossary verb forms (docs/quality.md, "Compare and R@5 (issue 14)"):
# dev-set 0.71 (5 of 7) out of fold, as in-sample. Refitted after stop 18's ranking and highlight
# changes: 0.71 / 0.77 / 0.33 out of fold and in-sample; with the minutes items, 0.71 / 0.74 /
# 0.33 out of fold (0.71 / 0.77 / 0.33 in-sample). Refitted with the withheld-answer rows
# (docs/quality.md, "Abstention, stop 19"): 0.86 (6 of 7) / 0.77 / 0.38 (8 of 21) out of fold
# and in-sample; refitted on the merged stop 19 (indexes re-cut): 0.86 / 0.77 / 0.33 out of fold,
# 0.86 / 0.77 / 0.38 in-sample. With value_missed (docs/quality.md, "Abstention, stop 20"):
# 0.86 / 0.81 (35 of 43) / 0.38 out of fold and in-sample, on that branch alone.
# Refitted bagged on the merged code (docs/quality.md, "Abstention, stop 20, a steadier fit"):
# 0.71 / 0.81 / 0.33 out of fold, 0.86 / 0.84 (36 of 43) / 0.33 (7 of 21) in-sample, which
# the service's own run gives too; each floor one step under. Refitted on the merged stop 21
# with the L2 strength chosen by council cross-validation (docs/quality.md, "Abstention, stop
# 21: the fit"): 0.86 / 0.84 / 0.33 out of fold, 0.86 / 0.81 (35 of 43) / 0.33 in-sample
# Refitted on the merged stop 22 (INGEST_VERSION 11; "Stop 22, all together"): 0.71 (5 of 7) /
# 0.84 (36 of 43) / 0.38 (8 of 21) out of fold, 0.71 / 0.84 / 0.43 (9 of 21) in-sample; dev-set's
# library question sits 0.001 over the cut, and a council the index lacks is ruled out before
# the classifier, so its two rows left the fit
# Refitted on the merged stop 23 (INGEST_VERSION 12; "Abstention, stop 23": the count's
# attribution, a grade asked by its measure, the tied rarest words): 0.71 (5 of 7) / 0.81 (35 of
# 43) / 0.52 (11 of 21) out of fold, 0.86 (6 of 7) / 0.81 / 0.57 (12 of 21) in-sample; each
# floor one step under the in-sample figure the stored fit gives
# Stop 26 (the answer checks "period" and "plan" read as caps, docs/quality.md "Answer checks
# for abstention, stop 26"): 0.71 / 0.81 (35 of 43) / 0.67 (14 of 21) out of fold and
# in-sample, false 0.03 / 0.04 (5 of 114) / 0.03; real-dev-set's floor raised one step under
ABSTAIN = {"dev-set": 0.70, "dev-set-2": 0.79, "real-dev-set": 0.61}
KEYS = {
    "R@5": "recall_at_5",
    "R@1": "recall_at_1",
    "MRR@10": "mrr_at_10",
    "answer@1": "answer_at_1",
    "compare": "compare_coverage",
}


@pytest.mark.parametrize("name", list(FLOORS))
def test_each_shared_set_meets_its_floor(  # type: ignore[no-untyped-def]
    name: str, shared_set_index, query_embedder
) -> None:
    index_dir = shared_set_index(name)
    text, figures = evaluate(Engine(index_dir, query_embedder), SHARED / name / "questions.jsonl")
    print(text)
    overall = figures["overall"]
    for label, floor in FLOORS[name].items():
        assert overall[KEYS[label]] >= floor, (label, overall[KEYS[label]])
    assert overall["abstention_accuracy"] >= ABSTAIN[name]
    assert overall["false_abstention"] <= 0.08
    if name == "dev-set":
        assert overall["page_accuracy"] >= 0.95
