"""Does the shown answer answer what is asked?  Readings of the answer against the question,
measured as abstention evidence on the shared sets and the consumed blind ask batches.

    python bench/abstention_reading.py [--index-root DIR] [--cache FILE] [--batches FILE ...]
        [--cap [-]NAME,...] [--feature NAME,... ...]

Stop 29 found every retrieval signal at chance on the blind batches' near misses (a
question naming a council and a topic its papers discuss, asking for something they do not
state: docs/quality.md, "Abstention, stop 29").  This bench reads, for each question, the
shown answer (the rank-1 passage's highlight) and its passage against the question's key
concepts (``rerank.concept_weights``, idf-weighted), against every passage of the council(s)
asked about, and against the kind of answer asked for (``answer_kind.answer_kinds``), and
the model's sentence cosines (``Hit.sentence_scores``).  Each reading (``READINGS``) is
printed with its ROC AUC (answerable positive) per set, on the three sets pooled and on the
batches pooled, and with the AUC among the questions the stored classifier answers out of
fold (the near misses left to catch against the answers it keeps): no parameter is fitted
in a reading, so its AUC is out of fold as it stands.  ``--cap`` reads a reading as a cap
(at or below its cut, ``-NAME`` at or above, at best a weak match) beside the classifier's
out-of-fold states, with the cut chosen in each council fold on the other councils' set
questions (the cut whose catches outnumber its refusals by the most: ``choose_cut``).
``--feature`` weighs readings beside the classifier's evidence (``Wider``; the withheld
near misses carry their own readings) and refits it out of fold as bench/fit_abstention.py
does (bagged, caps capped, fitted on the other councils' set
questions).  Both print caught / refused per set and on the batches.

The capture (``capture``) asks every question as bench/fit_abstention.py's capture does
(the sets' questions with their labelled filters, the batches' as bench/ask_heldout.py asks
them) and keeps plain data: the question, its label, councils, evidence, withheld evidence,
key concepts with weights, the top hits' text and highlights and sentence cosines, and per
council the passages' text (``--cache`` keeps it in a pickle).
"""

from __future__ import annotations

import argparse
import pickle
import re
import sqlite3
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.quality_all import SETS  # noqa: E402
from cqa_core.text import split_sentences  # noqa: E402
from qa_service.abstention import Evidence  # noqa: E402
from qa_service.answer_kind import answer_kinds, holds_answer  # noqa: E402
from qa_service.rerank import named_weight  # noqa: E402

LABELS = REPO / "tests" / "labels"
# the consumed batches this stop may read (real7 and fict7 are held out: never here)
BATCHES = tuple(
    LABELS / f"ask_heldout_{kind}{n}.jsonl" for kind in ("real", "fict") for n in (1, 2, 3, 4, 5)
)
CAPS = "period,plan,intent,counted"  # the stored fit's caps


@dataclass
class Shown:
    """One hit as kept: its text (headings first), council, highlighted spans, sentences
    and their cosines to the question, passage and best-sentence cosines."""

    text: str
    heading: str
    council: str
    highlights: list[tuple[int, int]]
    sentences: list[tuple[int, int]]
    scores: list[float]
    dense: float
    sentence: float


@dataclass
class Row:
    """One question as the readings see it."""

    name: str  # its set, or its batch's stem
    question: str
    answerable: bool
    councils: tuple[str, ...]  # the councils it touches, its fold first
    evidence: Any  # qa_service.abstention.Evidence | None
    confidence: float
    withheld: Any
    weights: dict[tuple[str, ...], float]
    scope: tuple[str, ...]  # the councils whose papers it asks about
    index: str  # the set whose index answered it
    hits: list[Shown] = field(default_factory=list)
    # an answerable question's top hits when its answering passages are withheld (the
    # withheld near miss bench/fit_abstention.py trains on, ``abstention_borrowed``)
    held_hits: list[Shown] | None = None


def _shown(hit: Any) -> Shown:
    scores = hit.sentence_scores.tolist() if hit.sentence_scores is not None else []
    return Shown(
        hit.passage.text,
        " ".join(hit.passage.heading_path),
        hit.passage.document.meta.council or "",
        [(s.start, s.end) for s in hit.highlights],
        [(s.start, s.end) for s in hit.sentence_spans],
        [float(v) for v in scores],
        float(hit.dense),
        float(hit.sentence),
    )


def cached(cache: Path | None, make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``make()``'s capture, read back from ``cache`` when that file exists, else made and
    stored there (no cache: made each run)."""
    if cache is not None and cache.exists():
        with cache.open("rb") as fh:
            data: dict[str, Any] = pickle.load(fh)
        return data
    data = make()
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("wb") as fh:
            pickle.dump(data, fh)
    return data


def capture(index_root: Path, batches: Sequence[Path]) -> dict[str, Any]:
    """Every question of the three sets and of ``batches`` as ``Row``s, and per set its
    passages' (council, text)."""
    from bench.abstention_pool import captured_batches
    from bench.ask_heldout import SHARED, assign, declared_sets, read_manifests
    from bench.fit_abstention import captured
    from evaluation.questions import load_questions
    from index.embedder import SentenceTransformerEmbedder
    from qa_service.config import Settings
    from qa_service.rerank import concept_weights
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder
    from qa_service.second_stage import asked_about

    where = read_manifests(SHARED)
    index_of: dict[str, str] = {}
    for path in batches:
        questions = load_questions(path)
        sets = assign(questions, where, declared_sets(path))
        index_of.update({f"{path.stem}:{q.question}": sets[q.id] for q in questions})
    embedder = SentenceTransformerEmbedder(lazy=True)
    engines: dict[str, Engine] = {}

    def engine(name: str) -> Engine:
        if name not in engines:
            settings = Settings(index=index_root / name, abstention="threshold")
            engines[name] = Engine(
                settings.index, make_query_embedder(settings, embedder), settings
            )
        return engines[name]

    from bench.abstention_borrowed import withheld_answers
    from bench.quality_all import SHARED as SETS_DIR

    asked: dict[tuple[str, str], Any] = {}  # (set or batch, question id): its Question
    for name in SETS:
        for q in load_questions(SETS_DIR / name / "questions.jsonl"):
            asked[(name, q.id)] = q
    for path in batches:
        for q in load_questions(path):
            asked[(path.stem, q.id)] = q
    rows = []
    for name, result, answer, group, held in [
        *captured(index_root),
        *captured_batches(index_root, batches),
    ]:
        q = result.question
        index = name if name in SETS else index_of[f"{name}:{q.question}"]
        eng = engine(index)
        eng.refresh()
        understood = eng.reader.read(q.question)
        weights = concept_weights(
            asked_about(understood, answer.filters), eng.reader.vocabulary, eng._passages
        )
        scope = tuple(answer.filters.council or ()) or tuple(
            dict.fromkeys(h.passage.document.meta.council or "" for h in answer.hits[:1])
        )
        rows.append(
            Row(
                name,
                q.question,
                q.answerable,
                tuple(group),
                answer.evidence,
                answer.confidence,
                held,
                weights,
                scope,
                index,
                [_shown(h) for h in answer.hits[:5]],
            )
        )
        rows[-1].id = q.id  # type: ignore[attr-defined]
    # the withheld answers, asked again per index (the same as the capture's evidence)
    by_index: dict[str, list[Row]] = {}
    for row in rows:
        by_index.setdefault(row.index, []).append(row)
    for index, part in by_index.items():
        questions = [asked[(r.name, r.id)] for r in part]  # type: ignore[attr-defined]
        for row, held_answer in zip(part, withheld_answers(engine(index), questions), strict=True):
            if held_answer is not None:
                row.held_hits = [_shown(h) for h in held_answer.hits[:5]]
    for eng in engines.values():
        eng.close()
    papers = {name: council_passages(index_root / name) for name in SETS}
    return {"rows": rows, "papers": papers}


def council_passages(index: Path) -> dict[str, list[str]]:
    """Per council, the text (headings first) of every passage of its papers."""
    conn = sqlite3.connect(f"file:{index / 'meta.sqlite'}?mode=ro", uri=True)
    out: dict[str, list[str]] = {}
    for council, heading, text in conn.execute(
        "SELECT d.council, p.heading, p.text FROM passages p "
        "JOIN documents d ON d.doc_rowid = p.doc_rowid"
    ):
        out.setdefault(council or "", []).append(" ".join(_heading(heading)) + " " + text)
    conn.close()
    return out


def _heading(raw: str | None) -> list[str]:
    import json

    return list(json.loads(raw)) if raw else []


# --- the readings -----------------------------------------------------------------------


class Papers:
    """Per index and council: the passages' text and sentences, and which concepts each
    names (remembered: a concept is looked up in a council's papers once)."""

    def __init__(self, papers: dict[str, dict[str, list[str]]]) -> None:
        self.papers = papers
        self._sentences: dict[tuple[str, str], list[str]] = {}
        self._named: dict[tuple[str, str, tuple[str, ...], str], np.ndarray] = {}

    def texts(self, index: str, council: str, unit: str) -> list[str]:
        passages = self.papers[index].get(council, [])
        if unit == "passage":
            return passages
        key = (index, council)
        if key not in self._sentences:
            self._sentences[key] = [
                p[s.start : s.end] for p in passages for s in split_sentences(p)
            ]
        return self._sentences[key]

    def named(self, index: str, council: str, concept: tuple[str, ...], unit: str) -> np.ndarray:
        """Per passage (or sentence) of the council's papers: whether it names ``concept``."""
        key = (index, council, concept, unit)
        if key not in self._named:
            texts = self.texts(index, council, unit)
            self._named[key] = np.asarray(
                [named_weight(t, {concept: 1.0}) > 0 for t in texts], dtype=bool
            )
        return self._named[key]


def shown_text(row: Row) -> str:
    """The rank-1 passage's highlighted answer ("" without a hit)."""
    if not row.hits:
        return ""
    top = row.hits[0]
    return " ".join(top.text[a:b] for a, b in top.highlights)


def _share(text: str, weights: dict[tuple[str, ...], float]) -> float:
    total = sum(weights.values())
    return named_weight(text, weights) / total if total > 0 else 1.0


def _rarest(weights: dict[tuple[str, ...], float], n: int = 2) -> dict[tuple[str, ...], float]:
    from qa_service.abstention import rarest_concepts

    return rarest_concepts(weights, n)


def _scope(row: Row, papers: Papers) -> list[str]:
    return [c for c in row.scope if c in papers.papers[row.index]] or list(papers.papers[row.index])


def council_lacking(row: Row, papers: Papers) -> float:
    """Share of the key-concept weight that no passage of the asked council's papers names
    (the index-wide ``lacking`` counts only words no paper of any council writes)."""
    total = sum(row.weights.values())
    if total <= 0:
        return 0.0
    gone = sum(
        w
        for c, w in row.weights.items()
        if not any(papers.named(row.index, k, c, "passage").any() for k in _scope(row, papers))
    )
    return gone / total


def best_cooccur(
    row: Row, papers: Papers, unit: str, concepts: dict[tuple[str, ...], float]
) -> float:
    """The largest share of ``concepts``' weight that one passage (or sentence) of the
    asked council's papers names together."""
    total = sum(concepts.values())
    if total <= 0:
        return 1.0
    best = 0.0
    for council in _scope(row, papers):
        n = len(papers.texts(row.index, council, unit))
        if not n:
            continue
        acc = np.zeros(n)
        for c, w in concepts.items():
            acc += w * papers.named(row.index, council, c, unit)
        best = max(best, float(acc.max()))
    return best / total


def shown_vs_best(row: Row, papers: Papers, unit: str, rare: bool) -> float:
    """The shown answer's (or its passage's) share of the question's concepts less the
    best share one sentence (or passage) of the council's papers names together."""
    concepts = _rarest(row.weights) if rare else row.weights
    text = shown_text(row) if unit == "sentence" else _passage(row)
    return _share(text, concepts) - best_cooccur(row, papers, unit, concepts)


def _passage(row: Row) -> str:
    return (row.hits[0].heading + " " + row.hits[0].text) if row.hits else ""


def rare_idf_council(row: Row, papers: Papers) -> float:
    """Whether the question's rarest concept within the council's own papers (fewest
    passages naming it, ties by weight) is named by the shown passage: 1 named, 0 not."""
    if not row.weights or not row.hits:
        return 1.0
    counts = {
        c: sum(int(papers.named(row.index, k, c, "passage").sum()) for k in _scope(row, papers))
        for c in row.weights
    }
    rarest = min(row.weights, key=lambda c: (counts[c], -row.weights[c]))
    return 1.0 if named_weight(_passage(row), {rarest: 1.0}) > 0 else 0.0


def council_idf_shown(row: Row, papers: Papers, unit: str) -> float:
    """The shown answer's (``unit`` sentence) or passage's share of the key concepts, each
    weighted by its idf within the asked council's papers (not the whole index's)."""
    if not row.weights or not row.hits:
        return 1.0
    scope = _scope(row, papers)
    n = sum(len(papers.texts(row.index, k, "passage")) for k in scope)
    weights = {
        c: float(
            np.log(
                (1 + n)
                / (1 + sum(int(papers.named(row.index, k, c, "passage").sum()) for k in scope))
            )
        )
        for c in row.weights
    }
    text = shown_text(row) if unit == "sentence" else _passage(row)
    return _share(text, weights)


_CLAUSE = re.compile(r"[;:]|,\s+(?:and|but|which|while|whereas)\b|\s+\u2013\s+|\s+-\s+")


def kind_in_clause(row: Row) -> float:
    """For a question asking a kind of answer (a figure, a date, a person, a decision...):
    1 when one clause of the shown answer names one of the question's two rarest concepts
    and holds an answer of the kind asked, 0.5 when the shown answer holds the kind but in
    no clause naming them, 0 when it holds none; 1 for a question asking no kind."""
    kinds = answer_kinds(row.question)
    if not kinds:
        return 1.0
    shown = shown_text(row)
    if not any(holds_answer(shown, k) for k in kinds):
        return 0.0
    rare = _rarest(row.weights)
    for clause in _CLAUSE.split(shown):
        if named_weight(clause, rare) > 0 and any(holds_answer(clause, k) for k in kinds):
            return 1.0
    return 0.5


def sentence_over_passage(row: Row) -> float:
    """The rank-1 hit's best sentence cosine less its passage cosine."""
    return row.hits[0].sentence - row.hits[0].dense if row.hits else 0.0


def shown_cosine(row: Row) -> float:
    """The best cosine of a shown (highlighted) sentence of the rank-1 hit."""
    if not row.hits:
        return 0.0
    top = row.hits[0]
    inside = [
        s
        for (a, b), s in zip(top.sentences, top.scores, strict=False)
        if any(a < hb and ha < b for ha, hb in top.highlights)
    ]
    return max(inside, default=top.sentence)


def shown_over_best(row: Row) -> float:
    """The shown sentence's cosine less the best sentence cosine of the top five hits."""
    best = max((s for h in row.hits for s in h.scores), default=0.0)
    return shown_cosine(row) - best


def sentence_spread(row: Row) -> float:
    """The rank-1 hit's best sentence cosine less its passage's mean sentence cosine: a
    passage with one sentence on the question stands out of its neighbours."""
    if not row.hits or not row.hits[0].scores:
        return 0.0
    scores = row.hits[0].scores
    return max(scores) - float(np.mean(scores))


_AUX = (
    r"(?:did|do|does|has|have|had|is|are|was|were|will|would|can|could|should|might|must|"
    r"been|be|get|got|went|go|in|at|on|for|of|from|by|to|under|since|during|between|when|"
    r"after|before|across|per|each|a|an|the)"
)
# the thing a question asks for: the words after "how many / how much / what / which" up to
# the first auxiliary verb or preposition ("How many trees has ...", "What was the average
# weekly cost of ...": "average weekly cost")
_HEAD = re.compile(
    rf"\b(?:how\s+(?:many|much)|what|which)\s+(?:(?:is|was|are|were|has|have)\s+)?"
    rf"(?:(?:the|a|an|its|their)\s+)?((?:(?!{_AUX}\b)[\w'-]+\s+){{0,3}}?(?!{_AUX}\b)[\w'-]+)"
    rf"(?=\s+{_AUX}\b|\s*[?,]|\s*$)",
    re.IGNORECASE,
)


def asked_head(question: str) -> list[str]:
    """The content words of the thing asked for (``_HEAD``), stop words left out."""
    from cqa_core.text import STOPWORDS, words

    m = _HEAD.search(question)
    if not m:
        return []
    return [w for w in words(m.group(1)) if w not in STOPWORDS and not w.isdigit()]


def head_shown(row: Row, where: str) -> float:
    """Share of the asked head's words (``asked_head``) the shown answer (or its passage)
    names; 1 for a question without one."""
    head = asked_head(row.question)
    if not head:
        return 1.0
    text = shown_text(row) if where == "sentence" else _passage(row)
    return sum(named_weight(text, {(w,): 1.0}) > 0 for w in head) / len(head)


def head_with_kind(row: Row) -> float:
    """1 when a clause of the shown answer names a word of the asked head and holds the kind
    of answer asked; 0.5 when the shown answer holds the kind elsewhere; 0 when it holds
    none; 1 without a head or a kind."""
    head = asked_head(row.question)
    kinds = answer_kinds(row.question)
    if not head or not kinds:
        return 1.0
    shown = shown_text(row)
    if not any(holds_answer(shown, k) for k in kinds):
        return 0.0
    heads: dict[tuple[str, ...], float] = {(w,): 1.0 for w in head}
    for clause in _CLAUSE.split(shown):
        if named_weight(clause, heads) > 0 and any(holds_answer(clause, k) for k in kinds):
            return 1.0
    return 0.5


_NAME = re.compile(
    r"(?<![.?!]\s)(?<!^)\b([A-Z][\w'-]*(?:\s+(?:of\s+|the\s+|and\s+)?[A-Z][\w'-]*)*)"
)
_MONTH_DAY = re.compile(
    r"^(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$",
    re.IGNORECASE,
)


def question_names(row: Row) -> list[str]:
    """The words of the proper names a question writes (capitalised, not its first word, not
    a month or day, not a word of the council asked about)."""
    from cqa_core.text import words

    council_words = {w for c in row.scope for w in words(c)}
    out = []
    for m in _NAME.finditer(row.question):
        for w in words(m.group(1)):
            if w in council_words or _MONTH_DAY.match(w) or len(w) < 3:
                continue
            out.append(w)
    first = words(row.question)[:1]
    return [w for w in dict.fromkeys(out) if w not in first]


def names_shown(row: Row, where: str) -> float:
    """Share of the question's proper-name words the shown answer (or passage) names."""
    names = question_names(row)
    if not names:
        return 1.0
    text = shown_text(row) if where == "sentence" else _passage(row)
    return sum(named_weight(text, {(w,): 1.0}) > 0 for w in names) / len(names)


def word_share(row: Row, where: str) -> float:
    """Unweighted share of the question's content words (not stop words, not the asked
    council's, not figures) the shown answer (or passage) names: its verbs count as much as
    its rarest nouns ("actually reopen" against "works commenced")."""
    from cqa_core.text import STOPWORDS, words

    council_words = {w for c in row.scope for w in words(c)}
    asked = [
        w
        for w in dict.fromkeys(words(row.question))
        if w not in STOPWORDS and w not in council_words and not w.isdigit() and len(w) > 2
    ]
    if not asked:
        return 1.0
    text = shown_text(row) if where == "sentence" else _passage(row)
    return sum(named_weight(text, {(w,): 1.0}) > 0 for w in asked) / len(asked)


def _without(question: str, drop: set[str]) -> str:
    """The question with the words in ``drop`` (and their plurals) left out."""
    from cqa_core.text import words

    kept = [
        t
        for t in re.findall(r"[\w'-]+|[^\w\s]", question)
        if not (set(words(t)) & drop or {w.rstrip("s") for w in words(t)} & drop)
    ]
    return " ".join(kept)


def ablations(rows: Sequence[Row]) -> dict[str, list[float]]:
    """Model readings: the cosine of the question to the shown answer less that of the
    question with its two rarest concepts (or its asked head) left out: how much of the
    match rests on what the question most specifically asks."""
    from index.embedder import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder()
    shown = [shown_text(r) or " " for r in rows]
    full = [r.question for r in rows]
    rare = []
    head = []
    for r in rows:
        forms = {w for c in _rarest(r.weights) for f in c for w in f.split()}
        rare.append(_without(r.question, forms | {f.rstrip("s") for f in forms}))
        h = set(asked_head(r.question))
        head.append(_without(r.question, h | {w.rstrip("s") for w in h}) if h else r.question)
    vs, vf, vr, vh = (np.asarray(embedder.encode(t)) for t in (shown, full, rare, head))
    cos_full = (vs * vf).sum(axis=1)
    return {
        "shown_cos_full": cos_full.tolist(),
        "rare_ablation": (cos_full - (vs * vr).sum(axis=1)).tolist(),
        "head_ablation": (cos_full - (vs * vh).sum(axis=1)).tolist(),
    }


READINGS: dict[str, Callable[[Row, Papers], float]] = {
    "council_lacking": council_lacking,
    "rare_named_council": rare_idf_council,
    "council_idf_shown": lambda r, p: council_idf_shown(r, p, "sentence"),
    "council_idf_passage": lambda r, p: council_idf_shown(r, p, "passage"),
    "best_sentence_cooccur": lambda r, p: best_cooccur(r, p, "sentence", r.weights),
    "best_sentence_cooccur_rare": lambda r, p: best_cooccur(r, p, "sentence", _rarest(r.weights)),
    "best_passage_cooccur": lambda r, p: best_cooccur(r, p, "passage", r.weights),
    "shown_vs_best_sentence": lambda r, p: shown_vs_best(r, p, "sentence", False),
    "shown_vs_best_sentence_rare": lambda r, p: shown_vs_best(r, p, "sentence", True),
    "passage_vs_best_passage": lambda r, p: shown_vs_best(r, p, "passage", False),
    "passage_vs_best_passage_rare": lambda r, p: shown_vs_best(r, p, "passage", True),
    "kind_in_clause": lambda r, p: kind_in_clause(r),
    "sentence_over_passage": lambda r, p: sentence_over_passage(r),
    "shown_cosine": lambda r, p: shown_cosine(r),
    "shown_over_best": lambda r, p: shown_over_best(r),
    "sentence_spread": lambda r, p: sentence_spread(r),
    "head_shown": lambda r, p: head_shown(r, "sentence"),
    "head_in_passage": lambda r, p: head_shown(r, "passage"),
    "head_with_kind": lambda r, p: head_with_kind(r),
    "names_shown": lambda r, p: names_shown(r, "sentence"),
    "names_in_passage": lambda r, p: names_shown(r, "passage"),
    "word_share_shown": lambda r, p: word_share(r, "sentence"),
    "word_share_passage": lambda r, p: word_share(r, "passage"),
}


def held_row(row: Row) -> Row | None:
    """``row`` as its withheld near miss (its hits those returned with its answering
    passages withheld; unanswerable), or None without one."""
    if row.held_hits is None:
        return None
    return replace(row, answerable=False, hits=row.held_hits, held_hits=None)


@dataclass(frozen=True)
class Wider(Evidence):
    """The classifier's evidence with readings appended to its vector (a fit on it stores
    nothing: ``Model.from_data`` reads the stored features only)."""

    extra: tuple[float, ...] = ()

    def vector(self) -> np.ndarray:
        """The evidence's features, then the readings."""
        return np.concatenate([super().vector(), np.asarray(self.extra, dtype=np.float64)])


def widened(evidence: Evidence, extra: Sequence[float]) -> Wider:
    """``evidence`` with ``extra`` readings appended to its vector (``Wider``)."""
    fields_ = {f: getattr(evidence, f) for f in evidence.__dataclass_fields__}
    return Wider(**fields_, extra=tuple(float(v) for v in extra))


def featured_out_of_fold(
    rows: Sequence[Row], features: dict[str, list[float]], held: dict[str, list[float | None]]
) -> list[str]:
    """The classifier's states out of fold (fitted on the other councils' set questions, as
    ``classifier_states``) with ``features`` weighed beside its evidence, the withheld rows
    carrying their own readings (``held``)."""
    from bench.fit_abstention import Case, capped_pieces, fit_capped, on_sets, state
    from evaluation.crossval import out_of_fold

    caps = capped_pieces(CAPS)
    names = list(features)
    cases = []
    for i, r in enumerate(rows):
        ev = widened(r.evidence, [features[n][i] for n in names]) if r.evidence else None
        wh = None
        if r.withheld is not None and held[names[0]][i] is not None:
            wh = widened(r.withheld, [held[n][i] or 0.0 for n in names])
        cases.append(Case(r.name, r.answerable, ev, r.confidence, wh, r.councils))
    return out_of_fold(
        cases,
        [c.councils for c in cases],
        lambda training: fit_capped(on_sets(training), caps),
        state,
    )


def _values(name: str, rows: Sequence[Row], papers: Papers) -> list[float]:
    """One reading of every row (a model reading through ``ablations``)."""
    if name in READINGS:
        return [READINGS[name](r, papers) for r in rows]
    return ablations(rows)[name]


def auc(labels: Sequence[bool], values: Sequence[float]) -> float | None:
    """ROC AUC, answerable positive (None with one class)."""
    from sklearn.metrics import roc_auc_score

    if len(set(labels)) < 2:
        return None
    return float(roc_auc_score(labels, values))


def _groups(rows: Sequence[Row]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {name: [] for name in (*SETS, "sets", "batches")}
    for i, r in enumerate(rows):
        if r.name in SETS:
            out[r.name].append(i)
            out["sets"].append(i)
        else:
            out["batches"].append(i)
    return out


def classifier_states(rows: Sequence[Row], caps_named: str = CAPS) -> list[str]:
    """Each question's state out of fold by the stored classifier's rule (its caps,
    ``caps_named``, capped, fitted across councils on the other councils' set questions:
    the rule before)."""
    from bench.fit_abstention import Case, capped_pieces, fit_capped, on_sets, state
    from evaluation.crossval import out_of_fold

    caps = capped_pieces(caps_named)
    cases = [
        Case(r.name, r.answerable, r.evidence, r.confidence, r.withheld, r.councils) for r in rows
    ]
    return out_of_fold(
        cases,
        [c.councils for c in cases],
        lambda training: fit_capped(on_sets(training), caps),
        state,
    )


def table(rows: Sequence[Row], values: dict[str, list[float]], states: Sequence[str]) -> str:
    """Per reading: its AUC per set, on the sets and on the batches, and among the questions
    the classifier answers out of fold on the sets and on the batches."""
    groups = _groups(rows)
    names = [*SETS, "sets", "batches"]
    head = "| reading | " + " | ".join(names) + " | sets, answered | batches, answered |"
    lines = [head, "| --- |" + " ---: |" * (len(names) + 2)]
    for reading, vals in values.items():
        cells = []
        for name in names:
            idx = groups[name]
            cells.append(_cell(auc([rows[i].answerable for i in idx], [vals[i] for i in idx])))
        for name in ("sets", "batches"):
            idx = [i for i in groups[name] if states[i] == "answered"]
            cells.append(_cell(auc([rows[i].answerable for i in idx], [vals[i] for i in idx])))
        lines.append(f"| {reading} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def choose_cut(
    rows: Sequence[Row], vals: Sequence[float], states: Sequence[str], sign: int
) -> float | None:
    """The cut of a cap that fires where ``sign * value <= sign * cut`` (a low value for sign
    1, a high one for -1): among the questions the classifier answers, the cut whose
    unanswerable questions caught outnumber its answerable ones refused by the most (ties:
    the fewer refused, then the lower cut); None when no cut catches more than it refuses."""
    answered = [i for i, s in enumerate(states) if s == "answered"]
    cuts = sorted({sign * vals[i] for i in answered})
    best: tuple[int, int, float] | None = None
    for cut in cuts:
        fired = [i for i in answered if sign * vals[i] <= cut]
        caught = sum(not rows[i].answerable for i in fired)
        refused = len(fired) - caught
        if caught - refused <= 0:
            continue
        score = (caught - refused, -refused, -cut)
        if best is None or score > best:
            best = score
    return None if best is None else sign * -best[2]


def capped_out_of_fold(
    rows: Sequence[Row], vals: Sequence[float], states: Sequence[str], sign: int
) -> list[str]:
    """The classifier's out-of-fold states with the reading as a cap whose cut is chosen in
    each council fold on the other councils' set questions (``choose_cut``)."""
    from evaluation.crossval import out_of_fold

    items = list(range(len(rows)))
    groups = [rows[i].councils for i in items]

    def fit(training: list[int]) -> float | None:
        sets_only = [i for i in training if rows[i].name in SETS]
        return choose_cut(
            [rows[i] for i in sets_only],
            [vals[i] for i in sets_only],
            [states[i] for i in sets_only],
            sign,
        )

    def judge(cut: float | None, i: int) -> str:
        if states[i] != "answered" or cut is None:
            return states[i]
        return "weak_match" if sign * vals[i] <= sign * cut else "answered"

    return out_of_fold(items, groups, fit, judge)


def caught_refused(rows: Sequence[Row], states: Sequence[str], idx: Sequence[int]) -> str:
    unans = [i for i in idx if not rows[i].answerable]
    ans = [i for i in idx if rows[i].answerable]
    caught = sum(states[i] != "answered" for i in unans)
    refused = sum(states[i] != "answered" for i in ans)
    return f"{caught}/{len(unans)}, {refused}/{len(ans)}"


def main(argv: Sequence[str] | None = None) -> int:
    """Capture (or read the cache), print the readings' AUCs and the capped figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-root", type=Path, default=REPO / "bench" / "out" / "indexes")
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--batches", nargs="*", type=Path, default=list(BATCHES))
    parser.add_argument(
        "--feature",
        action="append",
        default=[],
        help="readings weighed together as features of the classifier, A,B (repeatable: "
        "one refit each)",
    )
    parser.add_argument(
        "--cap", default="", help="readings read as caps, NAME or -NAME (high values fire)"
    )
    args = parser.parse_args(argv)
    from bench.fit_abstention import capped_pieces, switched
    from qa_service import abstention_value
    from qa_service.abstention import CHECK_PIECES

    caps = capped_pieces(CAPS)
    on = ",".join(f"{n}=on" for n, p in CHECK_PIECES.items() if p in caps)
    abstention_value.STORED = switched(abstention_value.STORED, on)
    data = cached(args.cache, lambda: capture(args.index_root, args.batches))
    rows: list[Row] = data["rows"]
    papers = Papers(data["papers"])
    values = {name: [reading(r, papers) for r in rows] for name, reading in READINGS.items()}
    values.update(ablations(rows))
    states = classifier_states(rows)
    groups = _groups(rows)
    print("classifier out of fold, caught / refused:")
    for name in (*SETS, "batches"):
        print(f"  {name}: {caught_refused(rows, states, groups[name])}")
    print()
    print(table(rows, values, states))
    for spec in filter(None, (s.strip() for s in args.cap.split(","))):
        sign = -1 if spec.startswith("-") else 1
        name = spec.lstrip("-")
        capped = capped_out_of_fold(rows, values[name], states, sign)
        cells = [f"{n} {caught_refused(rows, capped, groups[n])}" for n in (*SETS, "batches")]
        print(f"cap {spec}: " + "; ".join(cells))
    held_rows = [held_row(r) for r in rows]
    present = [r for r in held_rows if r is not None]
    for spec in args.feature:
        names = [n.strip() for n in spec.split(",") if n.strip()]
        held_vals: dict[str, list[float | None]] = {n: [] for n in names}
        computed = {n: iter(_values(n, present, papers)) for n in names}
        for r in held_rows:
            for n in names:
                held_vals[n].append(next(computed[n]) if r is not None else None)
        weighed = featured_out_of_fold(rows, {n: values[n] for n in names}, held_vals)
        cells = [f"{n} {caught_refused(rows, weighed, groups[n])}" for n in (*SETS, "batches")]
        print(f"weighed {names}: " + "; ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
