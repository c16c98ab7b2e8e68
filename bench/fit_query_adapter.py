"""A query-side adapter on the MiniLM embedding, fitted across councils (issue 14; experiment).

    python bench/fit_query_adapter.py [--index-root DIR] [--cache DIR] [--proxy-only]

The question's vector ``q`` becomes ``normalise(q + B A q)``, ``A`` (r x d) and ``B`` (d x r)
of low rank ``r``, pulled toward the identity by ``lam * (|A|^2 + |B|^2) / 2`` (at the optimum
``lam`` times the nuclear norm of ``BA``).  Passages are left as embedded, so no index is
re-embedded.  It is fitted by a contrastive loss (softmax over every passage of the set's
index, temperature ``TAU``, the gold passages as positives) on two kinds of pairs:

- *labelled*: the questions of the three shared sets, encoded as the engine encodes them
  (the read question's ``model_text``, the query encoder), with the passages that hold
  their gold evidence; only the questions of the other councils in each fold;
- *pseudo* (no labels): a sentence of a passage (not its first, which is mostly a heading),
  from the sentence vectors the index stores, as the query, and its passage as the positive,
  the other passages of the set as negatives; only those of the councils the fold's
  labelled questions touch, so a held-out council's papers are unseen too.

First a cheap proxy: each configuration (``GRID``: pair kinds, ``lam``) is judged out of
fold across councils (``evaluation.crossval``) by dense-only R@1 and MRR@10 of the
answerable questions over their set's passages; the configuration with the best mean MRR
is chosen.  Then the real pipeline (bench/quality_all.py's runs: hybrid search, second
stage, highlight and abstention fitted out of fold), once as it is and once with each
question encoded through the adapter fitted without its council.  Prints both tables.
``--dense-only`` moves the vector for the dense search alone (the second stage's sentence
cosines and the highlight keep the plain one); ``--config`` skips the grid.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.quality_all import (  # noqa: E402
    SETS,
    SHARED,
    SetRun,
    _with_highlight,
    out_of_fold_abstention,
    out_of_fold_highlights,
    run_set,
    table,
)
from evaluation.crossval import out_of_fold  # noqa: E402
from evaluation.metrics import QuestionResult, Retrieved, is_hit  # noqa: E402
from evaluation.questions import Question, load_questions  # noqa: E402
from evaluation.runner import run_question  # noqa: E402
from evaluation.scoring import score  # noqa: E402
from index.embedder import Embedder, SentenceTransformerEmbedder  # noqa: E402
from qa_service.config import Settings  # noqa: E402
from qa_service.retriever import Engine  # noqa: E402
from qa_service.runtime import make_query_embedder  # noqa: E402

TAU = 0.05  # softmax temperature over cosines
RANK = 16
STEPS = 150
PSEUDO_PER_PASSAGE = 1  # sentences per passage taken as pseudo-queries
MIN_WORDS = 6  # shorter sentences (headings, list stubs) make poor pseudo-queries


@dataclass(frozen=True)
class Config:
    """One point of the grid: which pairs, how strongly pulled toward the identity."""

    labelled: bool
    pseudo: bool
    lam: float

    def label(self) -> str:
        kinds = "+".join(k for k, on in (("labels", self.labelled), ("pseudo", self.pseudo)) if on)
        return f"{kinds or 'none'} lam={self.lam:g}"


GRID = [
    Config(labelled, pseudo, lam)
    for labelled, pseudo in ((True, False), (True, True), (False, True))
    for lam in (0.003, 0.03, 0.3, 1.0, 3.0)
]


@dataclass
class Adapter:
    """``q -> normalise(q + up @ down @ q)``; ``None`` parts: the identity."""

    down: np.ndarray  # (r, d)
    up: np.ndarray  # (d, r)

    def apply(self, vectors: np.ndarray) -> np.ndarray:
        """Adapt unit-length rows; returns unit-length float32 rows."""
        v = np.asarray(vectors, dtype=np.float32)
        out = v + (v @ self.down.T) @ self.up.T
        return (out / np.linalg.norm(out, axis=1, keepdims=True)).astype(np.float32)


@dataclass
class Item:
    """One training or scoring query: its set, vector, positives (rows of the set's
    passage matrix), the councils it touches (fold first), and whether it is labelled."""

    set_name: str
    vector: np.ndarray
    positives: list[int]
    groups: tuple[str, ...]
    labelled: bool


class SetPassages:
    """A set's passages as the index stores them: ids, texts, sources, councils, vectors."""

    def __init__(self, index: Path) -> None:
        with sqlite3.connect(f"file:{index / 'meta.sqlite'}?mode=ro", uri=True) as db:
            rows = db.execute(
                "SELECT p.id, p.text, d.source, coalesce(d.council, ''), p.embedding "
                "FROM passages p JOIN documents d ON d.doc_rowid = p.doc_rowid ORDER BY p.id"
            ).fetchall()
        self.ids = [int(r[0]) for r in rows]
        self.texts = [str(r[1]) for r in rows]
        self.sources = [str(r[2]) for r in rows]
        self.councils = [str(r[3]) for r in rows]
        self.vectors = np.stack([np.frombuffer(r[4], dtype=np.float32) for r in rows])
        self.row_of = {pid: i for i, pid in enumerate(self.ids)}

    def gold_rows(self, q: Question) -> list[int]:
        """The passages holding one of the question's gold evidences."""
        return [
            i
            for i, (src, text) in enumerate(zip(self.sources, self.texts, strict=True))
            if any(is_hit(g, Retrieved(src, text)) for g in q.gold)
        ]


def labelled_items(
    runs: Sequence[SetRun], passages: dict[str, SetPassages], index_root: Path, query: Embedder
) -> list[Item]:
    """Every answerable question with a gold passage, encoded as the engine encodes it."""
    items = []
    for run in runs:
        engine = Engine(index_root / run.name, query, Settings(index=index_root / run.name))
        texts, keep = [], []
        for result, groups in zip(run.results, run.groups, strict=True):
            q = result.question
            rows = passages[run.name].gold_rows(q) if q.answerable else []
            if rows:
                texts.append(engine.reader.read(q.question).model_text)
                keep.append((rows, groups))
        engine.close()
        vectors = query.encode(texts)
        for v, (rows, groups) in zip(vectors, keep, strict=True):
            items.append(Item(run.name, np.asarray(v, np.float32), rows, tuple(groups), True))
    return items


def pseudo_items(name: str, sp: SetPassages, index: Path) -> list[Item]:
    """Sentences as pseudo-queries of their own passage (stored vectors, no model run)."""
    from index.store import Store

    store = Store.open(index)
    try:
        stored = store.sentence_vectors(sp.ids)
    finally:
        store.close()
    items = []
    for pid, (spans, vectors) in stored.items():
        row = sp.row_of[pid]
        text = sp.texts[row]
        taken = 0
        for (a, b), v in list(zip(spans, vectors, strict=True))[1:]:
            if len(text[a:b].split()) < MIN_WORDS:
                continue
            council = sp.councils[row] or f"{name}: no council"
            items.append(Item(name, np.asarray(v, np.float32), [row], (council,), False))
            taken += 1
            if taken == PSEUDO_PER_PASSAGE:
                break
    return items


def fit(
    items: Sequence[Item],
    passages: dict[str, SetPassages],
    config: Config,
    rank: int = RANK,
    steps: int = STEPS,
    seed: int = 0,
) -> Adapter | None:
    """The adapter minimising the contrastive loss on ``items`` (None: nothing to fit on)."""
    import torch

    torch.set_num_threads(1)  # small matrices: one thread, no fight for the shared cores
    chosen = [
        it
        for it in items
        if (it.labelled and config.labelled) or (not it.labelled and config.pseudo)
    ]
    if not chosen:
        return None
    torch.manual_seed(seed)
    dim = next(iter(passages.values())).vectors.shape[1]
    down = torch.nn.Parameter(torch.randn(rank, dim) * 0.01)
    up = torch.nn.Parameter(torch.zeros(dim, rank))
    parts = []  # per set and kind: queries, passages, positive mask, base logits, weight
    for name, sp in passages.items():
        for labelled in (True, False):
            mine = [it for it in chosen if it.set_name == name and it.labelled == labelled]
            if not mine:
                continue
            q = torch.from_numpy(np.stack([it.vector for it in mine]))
            p = torch.from_numpy(sp.vectors)
            mask = torch.zeros(len(mine), len(sp.ids), dtype=torch.bool)
            for i, it in enumerate(mine):
                mask[i, it.positives] = True
            parts.append((q, p, mask, q @ p.T, len(mine), labelled))
    totals = {lab: sum(n for *_, n, l2 in parts if l2 == lab) for lab in (True, False)}
    optimiser = torch.optim.Adam([down, up], lr=0.02)
    for _ in range(steps):
        optimiser.zero_grad()
        loss = config.lam * 0.5 * (down.pow(2).sum() + up.pow(2).sum())
        for q, p, mask, base, _n, labelled in parts:
            projected = q @ down.T  # (n, r)
            shift = projected @ up.T  # (n, d): B A q
            norm = torch.sqrt(1.0 + 2.0 * (shift * q).sum(1) + shift.pow(2).sum(1))
            logits = (base + projected @ (p @ up).T) / norm[:, None] / TAU
            positive = torch.logsumexp(logits.masked_fill(~mask, -1e9), dim=1)
            per = torch.logsumexp(logits, dim=1) - positive
            loss = loss + per.sum() / totals[labelled]
        loss.backward()
        optimiser.step()
    return Adapter(down.detach().numpy().copy(), up.detach().numpy().copy())


def dense_ranks(adapter: Adapter | None, item: Item, passages: dict[str, SetPassages]) -> int:
    """The 1-based rank of the item's first positive by cosine alone over its set."""
    v = item.vector[None, :]
    if adapter is not None:
        v = adapter.apply(v)
    scores = passages[item.set_name].vectors @ v[0]
    best = max(scores[item.positives])
    return int((scores > best).sum()) + 1


def pseudo_for(training: Sequence[Item], pseudo: Sequence[Item]) -> list[Item]:
    """The pseudo pairs of the councils the fold's labelled questions touch (so none of the
    held-out council's papers)."""
    seen = {c for it in training for c in it.groups}
    return [it for it in pseudo if it.groups[0] in seen]


def fold_adapters(
    labelled: Sequence[Item], pseudo: Sequence[Item], passages: dict[str, SetPassages], c: Config
) -> list[Adapter | None]:
    """Per labelled item: the adapter fitted without its fold's council."""
    groups = [it.groups for it in labelled]
    return out_of_fold(
        list(labelled),
        groups,
        lambda training: fit([*training, *pseudo_for(training, pseudo)], passages, c),
        lambda adapter, _item: adapter,
    )


def chunked(items: Sequence[Item], k: int) -> list[Item]:
    """The items with each council replaced by one of ``k`` chunks of councils (sorted
    councils dealt round-robin): k folds instead of one per council, for the grid."""
    councils = sorted({c for it in items for c in it.groups})
    chunk = {c: f"chunk {i % k}" for i, c in enumerate(councils)}
    return [replace(it, groups=tuple(dict.fromkeys(chunk[c] for c in it.groups))) for it in items]


def proxy(
    labelled: Sequence[Item], pseudo: Sequence[Item], passages: dict[str, SetPassages], k: int
) -> tuple[Config | None, str]:
    """Each configuration out of fold by dense R@1 / MRR@10 per set, with councils dealt
    into ``k`` folds (a fold holds out every question touching its councils, and their
    papers' pseudo pairs); the best by mean MRR."""
    both = chunked([*labelled, *pseudo], k)
    labelled, pseudo = both[: len(labelled)], both[len(labelled) :]
    lines = ["| adapter | " + " | ".join(f"{s} R@1 | {s} MRR" for s in SETS) + " | mean MRR |"]
    lines.append("| --- |" + " ---: |" * (2 * len(SETS) + 1))
    best: tuple[float, Config | None] = (-1.0, None)
    for config in [None, *GRID]:
        started = time.perf_counter()
        if config is None:
            adapters: list[Adapter | None] = [None] * len(labelled)
        else:
            adapters = fold_adapters(labelled, pseudo, passages, config)
        ranks = [dense_ranks(a, it, passages) for a, it in zip(adapters, labelled, strict=True)]
        cells, mrrs = [], []
        for name in SETS:
            mine = [r for r, it in zip(ranks, labelled, strict=True) if it.set_name == name]
            r1 = sum(r == 1 for r in mine) / len(mine)
            mrr = sum(1 / r for r in mine if r <= 10) / len(mine)
            cells += [f"{r1:.3f}", f"{mrr:.3f}"]
            mrrs.append(mrr)
        mean = float(np.mean(mrrs))
        label = "none (identity)" if config is None else config.label()
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {mean:.3f} |")
        print(lines[-1], f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        if mean > best[0]:
            best = (mean, config)
    return best[1], "\n".join(lines)


class SwitchedEmbedder:
    """The query encoder with the current fold's adapter applied to what it returns."""

    def __init__(self, inner: Embedder, dense_only: bool = False) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.adapter: Adapter | None = None
        # dense_only: encode gives the plain vector, and ``AdaptedDense`` moves it for the
        # dense search alone (the sentence cosines and the highlight keep the plain one)
        self.dense_only = dense_only

    @property
    def known_words(self) -> frozenset[str]:
        """The inner encoder's vocabulary (the typo reader's)."""
        return frozenset(getattr(self.inner, "known_words", ()))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """The inner vectors, adapted."""
        vectors = self.inner.encode(texts)
        if self.adapter is None or self.dense_only:
            return vectors
        return self.adapter.apply(vectors)


class AdaptedDense:
    """The engine's dense search with the question's vector moved by the switched adapter
    (``--dense-only``: passage cosines adapted, sentence cosines not)."""

    def __init__(self, inner: Any, switched: SwitchedEmbedder) -> None:
        self.inner = inner
        self.switched = switched

    def _moved(self, query: Any) -> Any:
        adapter = self.switched.adapter
        if adapter is None or query.vector is None:
            return query
        return replace(query, vector=adapter.apply(np.asarray(query.vector)[None, :])[0])

    def search(self, query: Any, n: int, filters: Any) -> Any:
        """The inner search, of the moved vector."""
        return self.inner.search(self._moved(query), n, filters)

    def similarity(self, query: Any, rowids: Any) -> Any:
        """The inner cosines, of the moved vector."""
        return self.inner.similarity(self._moved(query), rowids)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def adapted_run(
    base: SetRun, index_root: Path, switched: SwitchedEmbedder, adapters: dict[str, Adapter | None]
) -> SetRun:
    """The set's questions again, each encoded through its fold's adapter."""
    settings = Settings(index=index_root / base.name)
    engine = Engine(settings.index, switched, settings)
    switched.adapter = None
    engine.ask("warm up the model", 1)
    if switched.dense_only:
        engine.dense = AdaptedDense(engine.dense, switched)  # type: ignore[assignment]
    questions = load_questions(SHARED / base.name / "questions.jsonl")
    pairs = []
    for q, groups in zip(questions, base.groups, strict=True):
        switched.adapter = adapters.get(groups[0])
        pairs.append(run_question(engine, q, depth=10))
    switched.adapter = None
    engine.close()
    return SetRun(
        base.name, [r for r, _ in pairs], [a for _, a in pairs], base.councils, base.groups
    )


def pipeline_rows(runs: Sequence[SetRun], system: str) -> list[tuple[str, str, dict[str, Any]]]:
    """quality_all's out-of-fold rows (abstention and highlight refitted per fold)."""
    oof = out_of_fold_abstention(runs)
    shown = out_of_fold_highlights(runs)
    rows = []
    for run, answered, highlights in zip(runs, oof, shown, strict=True):
        folded = [
            _with_highlight(replace(r, answered=a), h)
            for r, a, h in zip(run.results, answered, highlights, strict=True)
        ]
        rows.append((run.name, system, vars(score(folded, run.councils).overall)))
    return rows


def first_gold(result: QuestionResult) -> int | None:
    """The 1-based rank of the first gold passage in the top 10 (None: none there)."""
    for rank, got in enumerate(result.ranked[:10], start=1):
        if any(is_hit(g, got) for g in result.question.gold):
            return rank
    return None


def moves(base: SetRun, adapted: SetRun) -> str:
    """How many answerable questions the adapter moves: gold ranked higher, lower; gold
    newly first, no longer first."""
    up = down = won = lost = 0
    for a, b in zip(base.results, adapted.results, strict=True):
        if not a.question.answerable:
            continue
        before, after = first_gold(a) or 11, first_gold(b) or 11
        up += after < before
        down += after > before
        won += after == 1 and before != 1
        lost += before == 1 and after != 1
    return (
        f"{base.name}: gold higher on {up}, lower on {down}; "
        f"newly first on {won}, no longer first on {lost}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Proxy grid, then the pipeline with and without the chosen adapter."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-root", type=Path, default=REPO / "bench" / "out" / "indexes")
    parser.add_argument("--cache", type=Path, default=REPO / "bench" / "out" / "query_adapter")
    parser.add_argument("--proxy-only", action="store_true")
    parser.add_argument(
        "--dense-only", action="store_true", help="adapt the dense search only, not sentences"
    )
    parser.add_argument("--grid-folds", type=int, default=5, help="council folds of the grid")
    parser.add_argument("--config", help="skip the grid: labels|pseudo|labels+pseudo:LAM")
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)

    embedder = SentenceTransformerEmbedder(lazy=True)
    query = make_query_embedder(Settings(), embedder)
    runs = [run_set(name, args.index_root, embedder) for name in SETS]
    passages = {name: SetPassages(args.index_root / name) for name in SETS}
    labelled = labelled_items(runs, passages, args.index_root, query)
    pseudo = [it for n in SETS for it in pseudo_items(n, passages[n], args.index_root / n)]
    print(f"{len(labelled)} labelled pairs, {len(pseudo)} pseudo pairs", file=sys.stderr)

    if args.config:
        kinds, lam = args.config.split(":")
        chosen: Config | None = Config("labels" in kinds, "pseudo" in kinds, float(lam))
    else:
        chosen, grid = proxy(labelled, pseudo, passages, args.grid_folds)
        print("Dense only, out of fold across councils:\n" + grid + "\n")
        (args.cache / "proxy.md").write_text(grid + "\n", encoding="utf-8")
    print(f"chosen: {chosen.label() if chosen else 'none'}")
    if args.proxy_only or chosen is None:
        return 0

    adapters = fold_adapters(labelled, pseudo, passages, chosen)
    by_fold = {it.groups[0]: a for it, a in zip(labelled, adapters, strict=True)}
    # a fold with no labelled question of its own (unanswerable only): fit without it too
    for run in runs:
        for groups in run.groups:
            fold = groups[0]
            if fold not in by_fold:
                training = [it for it in labelled if fold not in it.groups]
                by_fold[fold] = fit([*training, *pseudo_for(training, pseudo)], passages, chosen)
    switched = SwitchedEmbedder(query, dense_only=args.dense_only)
    adapted = [adapted_run(run, args.index_root, switched, by_fold) for run in runs]
    rows = pipeline_rows(runs, "service, out of fold") + pipeline_rows(
        adapted,
        f"+ adapter ({chosen.label()}{', dense only' if args.dense_only else ''}), out of fold",
    )
    rows.sort(key=lambda r: SETS.index(r[0]))
    markdown = table(rows)
    print(markdown)
    for base, run in zip(runs, adapted, strict=True):
        print(moves(base, run))
    (args.cache / "pipeline.md").write_text(markdown + "\n", encoding="utf-8")
    (args.cache / "pipeline.json").write_text(json.dumps(rows, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
