"""The adapted question-passage cosine as abstention evidence (issue 14; experiment).

    python bench/abstention_adapter.py [--index-root DIR] [--cache DIR] [--inner-folds K]

One more feature for the abstention classifier (bench/fit_abstention.py): the question's
best cosine to a returned passage or one of its sentences, after the question's vector is
moved by the query adapter of bench/fit_query_adapter.py (labels, ``lam`` 0.3, the
configuration that bench chose).  Ranking is untouched: the engine answers as it does, only
the classifier reads the extra number.

Nested out of fold across councils (``evaluation.crossval``), so no fitted number sees the
held-out council:

- a held-out question's feature comes from the adapter fitted without its fold's council;
- the classifier and its cut points of that fold are fitted on the other councils'
  questions, whose own feature comes from an adapter fitted without the held-out council
  *and* without their own councils (``K`` chunks of councils, dealt round-robin: an
  adapter's training questions would otherwise sit closer to their passages than a new
  council's do, and the classifier would trust the feature too much).

Prints, per set, unanswerable caught and false abstentions out of fold for the classifier
as it is, with the feature added, and with it replacing the plain ``cosine``; the separation
(ROC AUC) of plain and adapted cosine; and R@1 / answer@1 under each (abstention does not
move them, by construction: the check shows it).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.calibrate_abstention import SMOOTH, threshold  # noqa: E402
from bench.fit_abstention import STRICT  # noqa: E402
from bench.fit_query_adapter import (  # noqa: E402
    Adapter,
    Config,
    SetPassages,
    fit,
    labelled_items,
)
from bench.quality_all import SETS, SetRun, run_set  # noqa: E402
from evaluation.scoring import score  # noqa: E402
from index.embedder import Embedder, SentenceTransformerEmbedder  # noqa: E402
from qa_service.abstention import ANSWERED, FEATURES, NOT_IN_PAPERS, WEAK  # noqa: E402
from qa_service.config import Settings  # noqa: E402
from qa_service.retriever import Engine  # noqa: E402
from qa_service.runtime import make_query_embedder  # noqa: E402

CONFIG = Config(labelled=True, pseudo=False, lam=0.3)  # bench/fit_query_adapter.py's choice
VARIANTS = ("as it is", "+ adapted cosine", "adapted cosine for cosine")


@dataclass
class Row:
    """One question: set, label, folds it touches, base evidence (None: no passage), its
    vector as the engine encodes it, and the passages (with sentence vectors) it returned."""

    set_name: str
    answerable: bool
    groups: tuple[str, ...]
    evidence: np.ndarray | None
    vector: np.ndarray
    returned: list[np.ndarray]  # per returned passage: its vector and its sentences' rows


@dataclass(frozen=True)
class Fitted:
    """Standardisation, coefficients, cut points: qa_service/abstention.Model on arrays."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    answer_at: float
    weak_at: float

    def probability(self, x: np.ndarray) -> float:
        """The fitted probability that the papers answer."""
        logit = float(((x - self.mean) / self.scale) @ self.coef) + self.intercept
        return float(1.0 / (1.0 + np.exp(-np.clip(logit, -50.0, 50.0))))

    def state(self, x: np.ndarray | None) -> str:
        """ "answered", "weak_match" or "not_in_papers" (no evidence: not in the papers)."""
        if x is None:
            return NOT_IN_PAPERS
        p = self.probability(x)
        if p >= self.answer_at:
            return ANSWERED
        return WEAK if p >= self.weak_at else NOT_IN_PAPERS


def fit_arrays(x: np.ndarray, y: np.ndarray, smooth: float = SMOOTH) -> Fitted:
    """bench/fit_abstention.fit on a feature matrix: balanced logistic regression on
    standardised columns, then the two cut points by bench/calibrate_abstention.threshold."""
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(class_weight="balanced", C=1.0, max_iter=1000)
    lr.fit((x - mean) / scale, y)
    draft = Fitted(mean, scale, lr.coef_[0], float(lr.intercept_[0]), 0.5, 0.5)
    probs = [(bool(a), draft.probability(v)) for v, a in zip(x, y, strict=True)]
    answer_at = threshold(probs, smooth=smooth)
    weak_at = min(threshold(probs, STRICT, smooth), answer_at)
    return Fitted(mean, scale, draft.coef, draft.intercept, answer_at, weak_at)


def best_cosine(vector: np.ndarray, returned: Sequence[np.ndarray]) -> float:
    """The best cosine of ``vector`` to any returned passage or sentence (rows, unit length)."""
    return max((float((rows @ vector).max()) for rows in returned), default=0.0)


def adapted_cosine(adapter: Adapter | None, row: Row) -> float:
    """``best_cosine`` of the question's vector moved by ``adapter`` (None: as encoded)."""
    v = row.vector if adapter is None else adapter.apply(row.vector[None, :])[0]
    return best_cosine(v, row.returned)


def columns(variant: str, evidence: np.ndarray, adapted: float) -> np.ndarray:
    """The classifier's features under ``variant`` (one of ``VARIANTS``)."""
    if variant == VARIANTS[0]:
        return evidence
    if variant == VARIANTS[1]:
        return np.append(evidence, adapted)
    out = evidence.copy()
    out[FEATURES.index("cosine")] = adapted
    return out


def chunk_of(folds: Sequence[str], k: int) -> dict[str, int]:
    """Each fold dealt to one of ``k`` chunks (sorted, round-robin)."""
    return {f: i % k for i, f in enumerate(sorted(set(folds)))}


def nested_states(
    rows: Sequence[Row],
    variant: str,
    outer: Callable[[str], Adapter | None],
    inner: Callable[[str, int], Adapter | None],
    chunk: dict[str, int],
    coefs: list[np.ndarray] | None = None,
) -> list[str]:
    """Each question's state out of fold: the classifier of its fold is fitted on the
    questions touching none of the fold's councils, each with its feature from
    ``inner(fold, its chunk)``; the held-out question's feature from ``outer(fold)``.
    ``coefs``, if given, gathers each fold's standardised coefficients."""
    fitted: dict[str, Fitted] = {}
    out = []
    for row in rows:
        fold = row.groups[0]
        if fold not in fitted:
            train = [r for r in rows if fold not in r.groups and r.evidence is not None]
            x = np.stack(
                [
                    columns(
                        variant,
                        r.evidence,  # type: ignore[arg-type]
                        adapted_cosine(inner(fold, chunk[r.groups[0]]), r)
                        if variant != VARIANTS[0]
                        else 0.0,
                    )
                    for r in train
                ]
            )
            fitted[fold] = fit_arrays(x, np.asarray([r.answerable for r in train]))
            if coefs is not None:
                coefs.append(fitted[fold].coef)
        if row.evidence is None:
            out.append(NOT_IN_PAPERS)
            continue
        feature = adapted_cosine(outer(fold), row) if variant != VARIANTS[0] else 0.0
        out.append(fitted[fold].state(columns(variant, row.evidence, feature)))
    return out


def capture(
    runs: Sequence[SetRun], index_root: Path, query: Embedder, passages: dict[str, SetPassages]
) -> list[Row]:
    """Per question: evidence, engine-encoded vector, and the returned passages' vectors."""
    from index.store import Store

    rows = []
    for run in runs:
        engine = Engine(index_root / run.name, query, Settings(index=index_root / run.name))
        texts = [engine.reader.read(r.question.question).model_text for r in run.results]
        engine.close()
        vectors = query.encode(texts)
        ids = sorted({h.passage.rowid for a in run.answers for h in a.hits})
        store = Store.open(index_root / run.name)
        try:
            sentences = store.sentence_vectors(ids)
        finally:
            store.close()
        sp = passages[run.name]
        for result, answer, groups, v in zip(
            run.results, run.answers, run.groups, vectors, strict=True
        ):
            returned = []
            for h in answer.hits:
                pid = h.passage.rowid
                parts = [sp.vectors[sp.row_of[pid]][None, :]]
                if pid in sentences and len(sentences[pid][1]):
                    parts.append(np.asarray(sentences[pid][1], dtype=np.float32))
                returned.append(np.concatenate(parts))
            evidence = answer.evidence.vector() if answer.evidence is not None else None
            rows.append(
                Row(
                    run.name,
                    result.question.answerable,
                    tuple(groups),
                    evidence,
                    np.asarray(v, np.float32),
                    returned,
                )
            )
    return rows


def auc(labels: Sequence[bool], values: Sequence[float]) -> float:
    """ROC AUC, answerable as positive (0.5: chance)."""
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(labels, values)) if len(set(labels)) == 2 else float("nan")


def report(rows: Sequence[Row], states: dict[str, list[str]], runs: Sequence[SetRun]) -> str:
    """Per set and variant: caught, false abstentions, R@1 and answer@1."""
    lines = [
        "| set | abstention features | caught (unanswerable) | false abstentions "
        "| R@1 | answer@1 |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    start = 0
    for run in runs:
        n = len(run.results)
        for variant, got in states.items():
            mine = got[start : start + n]
            part = rows[start : start + n]
            unans = [s for s, r in zip(mine, part, strict=True) if not r.answerable]
            ans = [s for s, r in zip(mine, part, strict=True) if r.answerable]
            caught = sum(s != ANSWERED for s in unans)
            false = sum(s != ANSWERED for s in ans)
            results = [
                replace(r, answered=s == ANSWERED) for r, s in zip(run.results, mine, strict=True)
            ]
            overall = vars(score(results, run.councils).overall)
            lines.append(
                f"| {run.name} | {variant} | {caught}/{len(unans)} = {caught / len(unans):.2f} "
                f"| {false}/{len(ans)} = {false / len(ans):.2f} "
                f"| {overall['recall_at_1']:.4f} | {overall['answer_at_1']:.4f} |"
            )
        start += n
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Capture once, fit the adapters (outer and inner), compare the variants."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-root", type=Path, default=REPO / "bench" / "out" / "indexes")
    parser.add_argument("--cache", type=Path, default=REPO / "bench" / "out" / "abstention_adapter")
    parser.add_argument(
        "--inner-folds",
        type=int,
        default=5,
        help="chunks of councils for the inner adapters (0: the training questions' feature "
        "from the held-out fold's own adapter, in-sample for them)",
    )
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    embedder = SentenceTransformerEmbedder(lazy=True)
    query = make_query_embedder(Settings(), embedder)
    runs = [run_set(name, args.index_root, embedder) for name in SETS]
    passages = {name: SetPassages(args.index_root / name) for name in SETS}
    labelled = labelled_items(runs, passages, args.index_root, query)
    rows = capture(runs, args.index_root, query, passages)
    chunk = chunk_of([r.groups[0] for r in rows], max(args.inner_folds, 1))
    members = {i: {f for f, c in chunk.items() if c == i} for i in range(args.inner_folds)}
    adapters: dict[tuple[str, int], Adapter | None] = {}
    started = time.perf_counter()

    def adapter(fold: str, without: int) -> Adapter | None:
        """Fitted without ``fold``'s questions and (``without`` >= 0) a chunk's."""
        if args.inner_folds == 0:  # the fold's own adapter (in-sample for its training)
            without = -1
        key = (fold, without)
        if key not in adapters:
            out = {fold} | (members[without] if without >= 0 else set())
            adapters[key] = fit(
                [it for it in labelled if not out & set(it.groups)], passages, CONFIG
            )
        return adapters[key]

    def outer(fold: str) -> Adapter | None:
        return adapter(fold, -1)

    coefs: dict[str, list[np.ndarray]] = {v: [] for v in VARIANTS}
    states = {
        variant: nested_states(rows, variant, outer, adapter, chunk, coefs[variant])
        for variant in VARIANTS
    }
    for variant in VARIANTS[1:]:
        at = len(FEATURES) if variant == VARIANTS[1] else FEATURES.index("cosine")
        mine = [c[at] for c in coefs[variant]]
        agreeing = [c[FEATURES.index("agreeing")] for c in coefs[variant]]
        print(
            f"{variant}: the adapted cosine's standardised coefficient over {len(mine)} "
            f"folds {min(mine):.2f} .. {max(mine):.2f} (median {float(np.median(mine)):.2f}); "
            f"agreeing's median {float(np.median(agreeing)):.2f}"
        )
    print(f"{len(adapters)} adapter fits, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    table = report(rows, states, runs)
    plain = [best_cosine(r.vector, r.returned) for r in rows]
    moved = [adapted_cosine(outer(r.groups[0]), r) for r in rows]
    sep = [
        "| cosine (ROC AUC, answerable vs not) | " + " | ".join(SETS) + " |",
        "| --- |" + " ---: |" * 3,
    ]
    for label, values in (
        ("plain, question to returned passages/sentences", plain),
        ("adapted, fold's adapter", moved),
    ):
        cells = []
        for name in SETS:
            idx = [i for i, r in enumerate(rows) if r.set_name == name and r.evidence is not None]
            cells.append(f"{auc([rows[i].answerable for i in idx], [values[i] for i in idx]):.3f}")
        sep.append(f"| {label} | " + " | ".join(cells) + " |")
    out = table + "\n\n" + "\n".join(sep)
    print(out)
    (args.cache / "report.md").write_text(out + "\n", encoding="utf-8")
    (args.cache / "states.json").write_text(json.dumps(states), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
