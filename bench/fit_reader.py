"""A learned question-sentence reader on the model's token embeddings, as abstention evidence.

    python bench/fit_reader.py [--index-root DIR] [--cache DIR] [--joint]

The near misses of real papers (docs/quality.md, "Abstention, third pass") show a sentence
on the asked topic that does not state the asked fact; lexical and sentence-cosine evidence
does not separate them.  This measures one new kind of evidence: the bundled MiniLM's
*contextual token embeddings* (``output_value="token_embeddings"``), read ColBERT-style.
For one question and one sentence:

- each content word of the question (``query_terms``) is aligned to the sentence: the mean
  over its word pieces of the best cosine to any of the sentence's pieces;
- aggregated with the words' IDF weights from the index (``rerank.idf_weights``): the
  weighted mean, the alignment of the rarest word and the lowest of the two rarest, the
  weighted share aligned at 0.6 and 0.8 or more, and the mean over all question pieces;
- the sentence's pieces aligned to no content piece of the question (best cosine under
  0.5) are read for the kind of answer asked (``answer_kind.answer_kinds`` /
  ``holds_answer``), and for a figure; so is the whole sentence; the best cosine of the
  question's other pieces ("how much", "who") to them (``asked_to_loose``); whether the
  sentence is a label (``answer_kind.is_label``); its length; the share of its pieces
  aligned to the question (a sentence that only restates it); its pooled cosine.

A logistic regression is fitted on pairs: the sentences of the top 3 passages of every
question, positive when one shows a gold evidence (``metrics.highlight_answers`` on a gold
passage), negative otherwise (all of them, or only each passage's one or two closest to
the question by pooled cosine: the near misses).  It is fitted leave one council out over
the three sets (``evaluation.crossval``): every question's sentences are scored by a
reader that saw no question touching its council.  Evidence from it is then added to the
abstention classifier's (bench/fit_abstention.py's fit, refitted out of fold by council):
the best score over the top passage's sentences, over the top 3 passages', and the raw
features of the top passage's sentence the reader rates best.  Printed: the reader's own
out-of-fold AUC on sentences, each new evidence's AUC alone per set, the abstention's
out-of-fold caught / refused per set and pooled with the pooled AUC of its probability,
and answer@1 (the top passage a hit and its shown sentence holding the evidence) when the
reader chooses the top passage's sentence, against the service's highlight.

With ``--joint`` only the top passage's sentences are read, and each is also encoded
together with the question (bench/reader_joint.py), against the same reader without.

Measured and left out of the service (docs/quality.md, "Abstention, fourth pass").

Token embeddings are cached in ``--cache`` (the run's answers too), so a second run only
refits.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import math
import os
import pickle
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.fit_abstention import Case, fit, state  # noqa: E402
from bench.quality_all import SETS, SHARED  # noqa: E402
from cqa_core.text import query_terms  # noqa: E402
from evaluation.crossval import out_of_fold, question_councils  # noqa: E402
from evaluation.metrics import QuestionResult, highlight_answers, is_hit  # noqa: E402
from evaluation.questions import Question, load_questions  # noqa: E402
from evaluation.runner import council_of_file, run_questions  # noqa: E402
from index.embedder import SentenceTransformerEmbedder  # noqa: E402
from qa_service.abstention import ANSWERED, Evidence  # noqa: E402
from qa_service.answer_kind import answer_kinds, holds_answer, is_label  # noqa: E402
from qa_service.answers import Answer  # noqa: E402
from qa_service.config import Settings  # noqa: E402
from qa_service.rerank import idf_weights  # noqa: E402
from qa_service.retriever import Engine  # noqa: E402
from qa_service.runtime import make_query_embedder  # noqa: E402

TOP = 3  # passages whose sentences are read
ALIGNED = 0.5  # a sentence piece with a best cosine under this is not about the question
_WORD = re.compile(r"[\w£%]+", re.UNICODE)


@dataclass
class Row:
    """One question: what the service returned and what the reader needs."""

    set_name: str
    question: str
    answerable: bool
    group: tuple[str, ...]
    evidence: Evidence | None
    confidence: float
    idf: dict[str, float]
    # per hit (best first, at most TOP): its sentences and whether each shows a gold evidence
    sentences: list[list[str]] = field(default_factory=list)
    gold: list[list[bool]] = field(default_factory=list)
    top_hit: bool = False  # the top passage hits a gold entry
    highlight_ok: bool = False  # the service's highlight shows the evidence (answer@1)


@dataclass
class Asked:
    """One set's questions asked: its engine (open until the next set), and the answers."""

    name: str
    engine: Engine
    questions: list[Question]
    pairs: list[tuple[QuestionResult, Answer]]
    councils: dict[str, str]  # file -> council, for ``question_councils``
    named: Callable[[str], list[str]]  # the councils a text names, likewise


def asked_sets(index_root: Path, names: Sequence[str] = SETS) -> Iterator[Asked]:
    """Every question of each set asked as bench/fit_abstention.py asks it (threshold
    abstention, 10 passages); a set's engine is closed when the next is asked for."""
    embedder = SentenceTransformerEmbedder(lazy=True)
    for name in names:
        settings = Settings(index=index_root / name, abstention="threshold")
        engine = Engine(settings.index, make_query_embedder(settings, embedder), settings)
        questions = load_questions(SHARED / name / "questions.jsonl")
        pairs = run_questions(engine, questions, depth=10)
        named = functools.partial(councils_named, engine)
        yield Asked(name, engine, questions, pairs, council_of_file(engine), named)
        engine.close()


def capture(index_root: Path) -> list[Row]:
    """Ask every question of the three sets, as bench/fit_abstention.py does."""
    rows: list[Row] = []
    for asked in asked_sets(index_root):
        name, questions, pairs = asked.name, asked.questions, asked.pairs
        vocabulary, passages = asked.engine.reader.vocabulary, asked.engine._passages
        for q, (result, answer) in zip(questions, pairs, strict=True):
            group = question_councils(q, asked.councils, asked.named, name)
            terms = query_terms(q.question)
            row = Row(
                name,
                q.question,
                q.answerable,
                group,
                answer.evidence,
                answer.confidence,
                idf_weights(terms, vocabulary, passages),
            )
            for hit, got in zip(answer.hits[:TOP], result.ranked[:TOP], strict=False):
                texts = [hit.passage.text[s.start : s.end] for s in hit.sentence_spans]
                golds = [g for g in q.gold if is_hit(g, got)]
                row.sentences.append(texts)
                row.gold.append([any(highlight_answers(g, t) for g in golds) for t in texts])
            if result.ranked:
                top = result.ranked[0]
                golds = [g for g in q.gold if is_hit(g, top)]
                row.top_hit = bool(golds)
                row.highlight_ok = any(highlight_answers(g, top.highlight or "") for g in golds)
            rows.append(row)
    return rows


def councils_named(engine: Engine, text: str) -> list[str]:
    """The councils ``text`` names, as ``question_councils`` reads them."""
    return list(engine.reader.councils_named(text)[0])


class TokenCache:
    """Normalised contextual token vectors (and their character offsets) per text."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: dict[str, tuple[np.ndarray, np.ndarray]] = (
            pickle.loads(path.read_bytes()) if path.exists() else {}
        )

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode()).hexdigest()

    def fill(self, texts: Sequence[str]) -> None:
        """Embed the texts not cached yet (the real model, on the CPU)."""
        todo = sorted({t for t in texts if self.key(t) not in self.data}, key=len)
        if not todo:
            return
        from sentence_transformers import SentenceTransformer

        from index.embedder import bundled_model_path

        model = SentenceTransformer(str(bundled_model_path()), device="cpu")
        tok = model.tokenizer
        for start in range(0, len(todo), 64):
            batch = todo[start : start + 64]
            vectors = model.encode(batch, output_value="token_embeddings", batch_size=32)
            for text, vec in zip(batch, vectors, strict=True):
                enc = tok(text, return_offsets_mapping=True, truncation=True, max_length=256)
                v = np.asarray(vec, dtype=np.float32)
                v /= np.linalg.norm(v, axis=1, keepdims=True) + 1e-9
                self.data[self.key(text)] = (
                    v.astype(np.float16),
                    np.asarray(enc["offset_mapping"], dtype=np.int32),
                )
            print(f"embedded {min(start + 64, len(todo))}/{len(todo)}", file=sys.stderr)
        self.path.write_bytes(pickle.dumps(self.data))

    def get(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(vectors, offsets) of the real pieces ([CLS] and [SEP] dropped)."""
        v, off = self.data[self.key(text)]
        keep = off[:, 1] > off[:, 0]
        return v[keep].astype(np.float32), off[keep]


def _word_pieces(text: str, offsets: np.ndarray, terms: Sequence[str]) -> dict[str, list[int]]:
    """The piece indexes of each term's occurrences in ``text``."""
    out: dict[str, list[int]] = {}
    wanted = set(terms)
    for m in _WORD.finditer(text.lower()):
        w = m.group().strip("_")
        if w not in wanted:
            continue
        inside = np.nonzero((offsets[:, 0] < m.end()) & (offsets[:, 1] > m.start()))[0]
        out.setdefault(w, []).extend(int(i) for i in inside)
    return out


FEATURES = (
    "aligned_mean",
    "aligned_rarest",
    "aligned_min2",
    "share_06",
    "share_08",
    "unaligned_kind",
    "sentence_kind",
    "label",
    "length",
    "restated",
    "pooled",
    "asked_to_loose",
    "figure_loose",
    "aligned_all",
)


def pair_features(row: Row, sentence: str, cache: TokenCache) -> np.ndarray:
    """The reader's features of one question-sentence pair (``FEATURES``)."""
    qv, qoff = cache.get(row.question)
    sv, soff = cache.get(sentence)
    pieces = _word_pieces(row.question, qoff, list(row.idf))
    kinds = answer_kinds(row.question)
    if len(sv) == 0 or len(qv) == 0:
        return np.zeros(len(FEATURES))
    sim = qv @ sv.T  # question pieces x sentence pieces
    best_q = sim.max(axis=1)
    terms = [t for t in row.idf if pieces.get(t)]
    align = {t: float(best_q[pieces[t]].mean()) for t in terms}
    weights = {t: row.idf[t] for t in terms}
    total = sum(weights.values()) or 1.0
    rare = sorted(terms, key=lambda t: -weights[t])
    content = sorted({i for t in terms for i in pieces[t]})
    best_s = sim[content].max(axis=0) if content else sim.max(axis=0)
    loose = [i for i, b in enumerate(best_s) if b < ALIGNED]
    unaligned = " ".join(sentence[soff[i, 0] : soff[i, 1]] for i in loose)
    # the question's other pieces (how much, who, when ...) against the sentence's pieces
    # that are not about the question: where a figure or a name answering sits
    other = [i for i in range(len(qv)) if i not in set(content)]
    asked_to_loose = float(sim[np.ix_(other, loose)].max()) if other and loose else 0.0
    pooled_q = qv.mean(axis=0)
    pooled_s = sv.mean(axis=0)
    return np.asarray(
        [
            sum(weights[t] * align[t] for t in terms) / total if terms else 0.0,
            align[rare[0]] if rare else 0.0,
            min(align[t] for t in rare[:2]) if rare else 0.0,
            sum(weights[t] for t in terms if align[t] >= 0.6) / total,
            sum(weights[t] for t in terms if align[t] >= 0.8) / total,
            (1.0 if any(holds_answer(unaligned, k) for k in kinds) else 0.0) if kinds else 0.5,
            (1.0 if any(holds_answer(sentence, k) for k in kinds) else 0.0) if kinds else 0.5,
            1.0 if is_label(sentence) else 0.0,
            math.log(1 + len(sv)),
            1 - len(loose) / len(sv),
            float(pooled_q @ pooled_s / (np.linalg.norm(pooled_q) * np.linalg.norm(pooled_s))),
            asked_to_loose,
            1.0 if any(c.isdigit() for c in unaligned) else 0.0,
            float(best_q.mean()),
        ]
    )


@dataclass
class Reader:
    """Standardisation and logistic-regression weights over ``FEATURES``."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def score(self, x: np.ndarray) -> np.ndarray:
        z = (x - self.mean) / self.scale
        return 1 / (1 + np.exp(-(z @ self.coef + self.intercept)))


def fit_reader(items: Sequence[tuple[Row, list[np.ndarray]]], hard: int = 0) -> Reader:
    """Fit on the pairs of the training questions (balanced classes); with ``hard``, the
    negatives are only each passage's ``hard`` sentences closest to the question (pooled
    cosine) that show no evidence: the near misses, on the topic without the fact."""
    from sklearn.linear_model import LogisticRegression

    pooled = FEATURES.index("pooled")
    xs, ys = [], []
    for _row, feats in items:
        for hit_feats, golds in zip(feats, _row.gold, strict=True):
            order = [int(i) for i in np.argsort(-hit_feats[:, pooled])]
            negatives = [i for i in order if not golds[i]]
            keep = set(negatives[:hard]) if hard else set(negatives)
            for i, (x, y) in enumerate(zip(hit_feats, golds, strict=True)):
                if y or i in keep:
                    xs.append(x)
                    ys.append(y)
    x = np.stack(xs)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(class_weight="balanced", C=1.0, max_iter=2000)
    lr.fit((x - mean) / scale, np.asarray(ys))
    return Reader(mean, scale, lr.coef_[0], float(lr.intercept_[0]))


class Extended:
    """The abstention evidence with extra values after it (``Model`` reads ``vector()``)."""

    def __init__(self, base: Evidence, extra: Sequence[float]) -> None:
        self.base, self.extra = base, list(extra)

    def vector(self) -> np.ndarray:
        return np.concatenate([self.base.vector(), np.asarray(self.extra, dtype=np.float64)])


def auc(labels: Sequence[bool], values: Sequence[float]) -> str:
    from sklearn.metrics import roc_auc_score

    return f"{roc_auc_score(labels, values):.2f}" if len(set(labels)) == 2 else "–"


def answer_line(set_name: str, service: int, reader: int, n: int) -> str:
    """answer@1 of one set: the service's highlight against the reader's sentence."""
    return (
        f"answer@1 {set_name}: service highlight {service}/{n} = {service / n:.2f}, "
        f"reader's sentence (out of fold) {reader}/{n} = {reader / n:.2f}"
    )


def abstention_row(
    rows: Sequence[Row], extra: Callable[[int], Sequence[float]] | None
) -> tuple[str, str]:
    """Out-of-fold caught / false per set with the extra evidence (None: as stored)."""
    cases = [
        Case(
            r.set_name,
            r.answerable,
            (Extended(r.evidence, extra(i)) if extra else r.evidence)  # type: ignore[arg-type]
            if r.evidence is not None
            else None,
            r.confidence,
        )
        for i, r in enumerate(rows)
    ]
    folded = out_of_fold(cases, [r.group for r in rows], fit, state)
    probability = out_of_fold(
        cases,
        [r.group for r in rows],
        fit,
        lambda m, c: m.probability(c.evidence) if c.evidence is not None else 0.0,
    )
    cells = []
    for name in SETS:
        part = [(r.answerable, s) for r, s in zip(rows, folded, strict=True) if r.set_name == name]
        un = [s for a, s in part if not a]
        an = [s for a, s in part if a]
        caught = sum(s != ANSWERED for s in un)
        false = sum(s != ANSWERED for s in an)
        cells.append(f"{caught}/{len(un)}, {false}/{len(an)}")
    pooled = sum(s != ANSWERED for r, s in zip(rows, folded, strict=True) if not r.answerable)
    refused = sum(s != ANSWERED for r, s in zip(rows, folded, strict=True) if r.answerable)
    pooled_auc = auc([r.answerable for r in rows], probability)
    n_un = sum(not r.answerable for r in rows)
    return " | ".join(cells), f"{pooled}/{n_un}, {refused}/{len(rows) - n_un} | {pooled_auc}"


def main(argv: Sequence[str] | None = None) -> int:
    """Capture (cached), embed (cached), fit the reader out of fold, measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-root", type=Path, default=REPO / "bench" / "out" / "indexes")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/cqa-reader"))
    parser.add_argument("--recapture", action="store_true")
    parser.add_argument(
        "--joint",
        action="store_true",
        help="the top passage's sentences only, each also encoded with the question "
        "(bench/reader_joint.py), against the same without",
    )
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    runs = args.cache / "rows.pkl"
    if runs.exists() and not args.recapture:
        rows: list[Row] = pickle.loads(runs.read_bytes())
    else:
        rows = capture(args.index_root)
        runs.write_bytes(pickle.dumps(rows))
    cache = TokenCache(args.cache / "tokens.pkl")
    cache.fill([r.question for r in rows] + [t for r in rows for h in r.sentences for t in h])
    feats = [[[pair_features(r, t, cache) for t in h] for h in r.sentences] for r in rows]
    feats_np = [[np.stack(h) if h else np.zeros((0, len(FEATURES))) for h in f] for f in feats]
    if args.joint:
        rows, feats_np = with_joint(rows, feats_np, cache, args.cache)
    items = list(zip(rows, feats_np, strict=True))
    groups = [r.group for r in rows]
    for hard in (0,) if args.joint else (0, 1, 2):
        scores = out_of_fold(
            items,
            groups,
            functools.partial(fit_reader, hard=hard),
            lambda m, it: [m.score(h) if len(h) else np.zeros(0) for h in it[1]],
        )
        report(rows, scores, feats_np, f"hard negatives {hard or 'all'}")
    return 0


def with_joint(
    rows: list[Row], feats: list[list[np.ndarray]], cache: TokenCache, folder: Path
) -> tuple[list[Row], list[list[np.ndarray]]]:
    """The top passage's sentences only, their features followed by the joint encoding's;
    the same rows without the joint features are reported first, for comparison."""
    from bench.reader_joint import JointCache, joint_features

    top = [replace(r, sentences=r.sentences[:1], gold=r.gold[:1]) for r in rows]
    joint = JointCache(folder / "joint.pkl")
    joint.fill([(r.question, t) for r in top for h in r.sentences for t in h])
    plain = [f[:1] for f in feats]
    groups = [r.group for r in top]
    scores = out_of_fold(
        list(zip(top, plain, strict=True)),
        groups,
        fit_reader,
        lambda m, it: [m.score(h) if len(h) else np.zeros(0) for h in it[1]],
    )
    report(top, scores, plain, "all negatives, top passage only, without the joint encoding")
    both: list[list[np.ndarray]] = []
    for r, f in zip(top, plain, strict=True):
        if not f or not len(f[0]):
            both.append(f)
            continue
        extra = np.stack([joint_features(r, t, cache, joint) for t in r.sentences[0]])
        both.append([np.hstack([f[0], extra])])
    print("\n(next: with the joint encoding's features)")
    return top, both


def report(
    rows: Sequence[Row],
    scores: Sequence[list[np.ndarray]],
    feats: Sequence[list[np.ndarray]],
    label: str,
) -> None:
    """Print the reader's figures and the abstention's with its evidence."""
    print(f"\n## reader fitted on {label}")
    labels = [y for r in rows for g in r.gold for y in g]
    flat = [float(v) for s in scores for h in s for v in h]
    print(f"pairs {len(labels)}, positive {sum(labels)}, out-of-fold pair AUC {auc(labels, flat)}")

    def best(s: list[np.ndarray], k: int) -> float:
        vals = [float(v) for h in s[:k] for v in h]
        return max(vals, default=0.0)

    top1 = [best(s, 1) for s in scores]
    # the raw features of the top passage's sentence the reader rates best
    picked = [
        f[0][int(np.argmax(s[0]))] if s and len(s[0]) else np.zeros(len(FEATURES))
        for s, f in zip(scores, feats, strict=True)
    ]
    direct = [FEATURES.index(n) for n in ("aligned_min2", "unaligned_kind", "asked_to_loose")]
    loose_best = [float(f[0][:, direct[2]].max()) if f and len(f[0]) else 0.0 for f in feats]
    top3 = [best(s, 3) for s in scores]
    print("| evidence | " + " | ".join(SETS) + " |")
    for name, values in (("reader_top", top1), ("reader_top3", top3)):
        cells = []
        for set_name in SETS:
            idx = [i for i, r in enumerate(rows) if r.set_name == set_name and r.evidence]
            cells.append(auc([rows[i].answerable for i in idx], [values[i] for i in idx]))
        print(f"| {name} AUC alone | " + " | ".join(cells) + " |")
    for at in direct:
        cells = []
        for set_name in SETS:
            idx = [i for i, r in enumerate(rows) if r.set_name == set_name and r.evidence]
            cells.append(auc([rows[i].answerable for i in idx], [picked[i][at] for i in idx]))
        print(f"| picked {FEATURES[at]} AUC alone | " + " | ".join(cells) + " |")
    print(
        "| abstention out of fold (caught, false) | "
        + " | ".join(SETS)
        + " | pooled | pooled AUC |"
    )
    base, pooled = abstention_row(rows, None)
    print(f"| as stored (8 evidence) | {base} | {pooled} |")
    variants: list[tuple[str, Callable[[int], Sequence[float]]]] = [
        ("+ reader_top", lambda i: [top1[i]]),
        ("+ reader_top3", lambda i: [top3[i]]),
        ("+ both", lambda i: [top1[i], top3[i]]),
        (
            "+ picked sentence's min2, unaligned_kind, asked_to_loose",
            lambda i: list(picked[i][direct]),
        ),
        ("+ picked sentence's asked_to_loose", lambda i: list(picked[i][direct[2:]])),
        ("+ top passage's best asked_to_loose", lambda i: [loose_best[i]]),
    ]
    for name, extra in variants:
        got, pooled = abstention_row(rows, extra)
        print(f"| {name} | {got} | {pooled} |")
    # answer@1 when the reader picks the top passage's sentence
    for set_name in SETS:
        part = [(r, s) for r, s in zip(rows, scores, strict=True) if r.set_name == set_name]
        answerable = [(r, s) for r, s in part if r.answerable]
        service = sum(r.highlight_ok for r, _ in answerable)
        reader = sum(
            r.top_hit and bool(r.gold and len(s[0])) and r.gold[0][int(np.argmax(s[0]))]
            for r, s in answerable
        )
        print(answer_line(set_name, service, reader, len(answerable)))


if __name__ == "__main__":
    sys.exit(main())
