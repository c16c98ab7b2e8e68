"""How a corpus's vocabulary grows with its size, and how long its words' posting lists are.

Issue 18's 10M measurements ran on a synthetic text made of copies: every word's posting
list is the copies' multiple of one passage's, and the vocabulary stops at the generator's
~2,555 analyzer words, where a real corpus's keeps growing (Heaps' law: distinct terms
``V = K * n ** beta`` after ``n`` tokens).  This measures, over the passage bodies of an
index (``index.lexical_rows.store_texts``: the text the lexical search indexes), in row-id
order (the order papers were ingested):

- the Heaps curve (tokens against distinct analyzer terms, at doubling token counts) and
  its fit ``K``, ``beta`` (least squares in log-log over the checkpoints of 10k tokens on);
- the curve by kind of term: numbers (a digit in the term), names (capitalized in 90% or
  more of their occurrences), other words; and each kind's share of the terms and tokens;
- the rank-frequency (Zipf) slope, over ranks 10-1,000 and over ranks 10 to the last term
  seen 3 times or more (the tail before the hapax plateau);
- document frequency: the share of passages holding the terms ranked 1, 10, 100 and 1,000
  by it, and the median share holding a question's word (the dev sets' questions through
  the same analyzer: the lists a question's first pass reads);
- ``--tokens N``: the same, cut after the passage that reaches N tokens (to compare corpora
  at the same size).

    python bench/vocab_growth.py --index /tmp/lead29/v15/itl/real-dev-set --name real \\
        [--tokens 250000] [--questions ../shared/real-dev-set/questions.jsonl] [--out J]
    python bench/vocab_growth.py --lists IMPACT_DIR   # posting-list lengths of an impact index
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

TOKEN = re.compile(r"[^\W_]+")  # tantivy's simple tokenizer: runs of letters and digits
QUESTION_SETS = ("dev-set", "dev-set-2", "real-dev-set")
NAME_SHARE = 0.9  # a term capitalized this often is a name
FIRST_CHECK = 1000


class Terms:
    """The analyzer's term of each raw token (cached; None where it drops the token)."""

    def __init__(self, analyzer: Any = None) -> None:
        if analyzer is None:
            from index.lexical_folder import analyzer as make

            analyzer = make()
        self.analyzer = analyzer
        self.cache: dict[str, str | None] = {}

    def __call__(self, raw: str) -> str | None:
        term = self.cache.get(raw, "")
        if term == "":
            found = self.analyzer.analyze(raw)
            term = found[0] if len(found) == 1 else None
            self.cache[raw] = term
        return term


def bodies(index: Path, limit: int | None = None) -> Iterator[str]:
    """The passage bodies of the index at ``index``, by row id."""
    from index.lexical_rows import store_texts
    from index.store import Store

    store = Store.open(index)
    try:
        for count, (_rowid, (_heading, body, _context)) in enumerate(store_texts(store)):
            if limit is not None and count >= limit:
                return
            yield body or ""
    finally:
        store.close()


def text_files(folder: Path) -> Iterator[str]:
    """The passages of a corpus folder's papers (``.txt``, ``.html``, ``.pdf``; e.g.
    ``corpus/``'s seed papers, which no index holds), each extracted by the project's
    loader and cut by its chunker, file by file in name order."""
    from ingest.chunker import chunk
    from ingest.loaders import load_bytes
    from ingest.structure import find_blocks

    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".txt", ".md", ".html", ".htm", ".pdf"):
            continue
        got = load_bytes(path.read_bytes(), path.suffix, path.name)
        blocks = got.blocks if got.blocks is not None else find_blocks(got.text)
        for passage in chunk(got.text, list(blocks), path.name):
            yield passage.text


def source(spec: str) -> Iterator[str]:
    """The passages of ``spec``: index folders or corpus folders joined by ``+``, one
    after the other."""
    for part in spec.split("+"):
        path = Path(part)
        yield from bodies(path) if (path / "meta.sqlite").exists() else text_files(path)


def synth_documents(passages: int, seed: int = 0) -> list[tuple[str, list[tuple[int, int]]]]:
    """The synthetic generator's documents (``bench.synth``) for ``passages`` passages: each
    one's plain text and its passages' spans as the project's chunker cuts them (what
    ``bench.scale``'s direct index stores, without ingesting it)."""
    from bench import synth
    from ingest.chunker import chunk
    from ingest.structure import find_blocks

    out = []
    for doc in synth.documents(passages, seed):
        cut = chunk(doc.text, find_blocks(doc.text), doc.filename)
        out.append((doc.text, [(p.char_start, p.char_end) for p in cut]))
    return out


def synth_bodies(
    docs: Sequence[tuple[str, list[tuple[int, int]]]], copies: int, rewriter: Any = None
) -> Iterator[str]:
    """The passages of ``copies`` copies of ``docs``, copy after copy as ``bench.scale_text``
    lays them out; with ``rewriter`` (``bench.synth_tail.TailRewriter``) each copy's
    documents rewritten (copy 0 too: the distinct corpus has no unrewritten copy)."""
    for copy in range(copies):
        for number, (text, spans) in enumerate(docs):
            if rewriter is not None:
                text = rewriter.rewrite(text, copy, number, key=number)
            for start, end in spans:
                yield text[start:end]


def checkpoints(total: int) -> list[int]:
    out, n = [], FIRST_CHECK
    while n < total:
        out.append(n)
        n *= 2
    return [*out, total]


def fit_heaps(curve: Sequence[tuple[int, int]], start: int = 4_000) -> dict[str, float] | None:
    """``V = K * n ** beta`` by least squares in log-log over the checkpoints from
    ``start`` tokens on (all of them if fewer than 3 are that large; None under 2)."""
    points = [(n, v) for n, v in curve if n >= start and v > 0]
    if len(points) < 3:
        points = [(n, v) for n, v in curve if v > 0]
    if len(points) < 2:
        return None
    x = np.log([n for n, _ in points])
    y = np.log([v for _, v in points])
    beta, log_k = np.polyfit(x, y, 1)
    return {"K": round(float(math.exp(log_k)), 3), "beta": round(float(beta), 4)}


def zipf_slope(freqs: np.ndarray, lo: int, hi: int) -> float | None:
    """The slope of log frequency against log rank over ranks ``lo``..``hi`` (1-based)."""
    hi = min(hi, len(freqs))
    if hi - lo < 5:
        return None
    ranks = np.arange(lo, hi + 1)
    slope, _ = np.polyfit(np.log(ranks), np.log(freqs[lo - 1 : hi]), 1)
    return round(float(slope), 4)


def question_terms(terms: Terms, sets: Iterable[str] = QUESTION_SETS) -> list[list[str]]:
    """Each dev-set question's distinct analyzer terms."""
    out = []
    for name in sets:
        path = REPO_ROOT.parent / "shared" / name / "questions.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                question = json.loads(line)["question"]
                found = {terms(raw) for raw in TOKEN.findall(question)}
                out.append(sorted(t for t in found if t))
    return out


def measure(
    texts: Iterable[str],
    terms: Terms,
    tokens_cap: int | None = None,
    questions: Sequence[Sequence[str]] = (),
) -> dict[str, Any]:
    """The measures of the module notes over ``texts`` (passages), stopped after the
    passage that reaches ``tokens_cap`` tokens."""
    count: Counter[str] = Counter()
    capital: Counter[str] = Counter()
    df: Counter[str] = Counter()
    first: dict[str, int] = {}
    tokens = passages = 0
    for text in texts:
        seen = set()
        for raw in TOKEN.findall(text):
            term = terms(raw)
            if term is None:
                continue
            tokens += 1
            count[term] += 1
            if raw[0].isupper():
                capital[term] += 1
            if term not in first:
                first[term] = tokens
            seen.add(term)
        df.update(seen)
        passages += 1
        if tokens_cap is not None and tokens >= tokens_cap:
            break
    kinds = {t: _kind(t, count[t], capital[t]) for t in count}
    order = np.array(sorted(first.values()))
    marks = checkpoints(tokens)
    curve = [(n, int(np.searchsorted(order, n, side="right"))) for n in marks]
    by_kind: dict[str, Any] = {}
    for kind in ("word", "name", "number"):
        seen_at = np.array(sorted(first[t] for t, k in kinds.items() if k == kind))
        kind_curve = [(n, int(np.searchsorted(seen_at, n, side="right"))) for n in marks]
        held = sum(count[t] for t, k in kinds.items() if k == kind)
        by_kind[kind] = {
            "terms": len(seen_at),
            "share_of_terms": round(len(seen_at) / max(1, len(first)), 4),
            "share_of_tokens": round(held / max(1, tokens), 4),
            "heaps": fit_heaps(kind_curve) if len(seen_at) > 2 else None,
            "curve": kind_curve,
        }
    freqs = np.array(sorted(count.values(), reverse=True), dtype=np.float64)
    last3 = int(np.sum(freqs >= 3))
    by_df = np.array(sorted(df.values(), reverse=True), dtype=np.float64) / max(1, passages)
    shares = [df[t] / passages for q in questions for t in q]
    return {
        "passages": passages,
        "tokens": tokens,
        "terms": len(first),
        "tokens_per_passage": round(tokens / max(1, passages), 1),
        "heaps": fit_heaps(curve),
        "curve": curve,
        "kinds": by_kind,
        "hapax_share_of_terms": round(float(np.mean(freqs == 1)), 4) if len(freqs) else None,
        "zipf_slope_10_1000": zipf_slope(freqs, 10, 1000),
        "zipf_slope_10_last3": zipf_slope(freqs, 10, last3),
        "terms_seen_3_or_more": last3,
        "df_share_at_rank": {
            str(r): round(float(by_df[r - 1]), 4) for r in (1, 10, 100, 1000) if r <= len(by_df)
        },
        "question_word_df_share": _spread(shares),
        "question_word_df_share_held": _spread([x for x in shares if x > 0]),
        "question_word_df": {t: df[t] for q in questions for t in q if df[t]},
    }


def _brief(measured: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in measured.items() if k not in ("curve", "question_word_df")})


def _spread(values: Sequence[float]) -> dict[str, float] | None:
    if not values:
        return None
    arr = np.asarray(values)
    return {
        "n": len(arr),
        "p50": round(float(np.median(arr)), 4),
        "mean": round(float(arr.mean()), 4),
        "p90": round(float(np.percentile(arr, 90)), 4),
    }


def _kind(term: str, count: int, capital: int) -> str:
    if any(c.isdigit() for c in term):
        return "number"
    if capital >= NAME_SHARE * count:
        return "name"
    return "word"


def list_lengths(impact: Path, questions: Sequence[Sequence[str]] = ()) -> dict[str, Any]:
    """The word lists of an impact index (``index.impact``): how many, their lengths'
    percentiles (as shares of the passages too), and the lengths of the lists a dev-set
    question's words read (each word once a question)."""
    from index.impact import ImpactIndex

    index = ImpactIndex.load(impact)
    ids = np.fromiter(index.words.values(), dtype=np.int64)
    lengths = (index.offsets[ids + 1] - index.offsets[ids]).astype(np.int64)
    out: dict[str, Any] = {
        "passages": index.passages,
        "word_lists": len(ids),
        "postings": int(lengths.sum()),
        "postings_per_passage": round(float(lengths.sum()) / index.passages, 2),
        "length": _percentiles(lengths, index.passages),
    }
    read = [
        int(index.offsets[index.words[t] + 1] - index.offsets[index.words[t]])
        for q in questions
        for t in q
        if t in index.words
    ]
    out["question_words"] = _percentiles(np.asarray(read, dtype=np.int64), index.passages)
    out["question_words"]["missing"] = sum(1 for q in questions for t in q) - len(read)
    out["question_postings_per_question"] = _percentiles(
        np.asarray(
            [
                sum(
                    int(index.offsets[index.words[t] + 1] - index.offsets[index.words[t]])
                    for t in q
                    if t in index.words
                )
                for q in questions
            ],
            dtype=np.int64,
        ),
        index.passages,
    )
    return out


def _percentiles(values: np.ndarray, passages: int) -> dict[str, Any]:
    if values.size == 0:
        return {"n": 0}
    points = {p: float(np.percentile(values, p)) for p in (50, 90, 99, 99.9)}
    return {
        "n": int(values.size),
        **{f"p{p:g}": round(v) for p, v in points.items()},
        "max": int(values.max()),
        **{f"p{p:g}_share": round(v / passages, 5) for p, v in points.items()},
    }


def make_rewriter(spec: str, docs: Sequence[tuple[str, Any]], terms: Terms) -> Any:
    """A ``bench.synth_tail.TailRewriter`` from ``'word=R,name=R,number=R;slope=S;head=H'``
    (the head: the ``H`` commonest terms of ``docs``)."""
    from bench.synth_tail import Tail, TailRewriter, head_terms

    parts = dict(p.split("=", 1) for p in spec.split(";")[1:])
    rates = {k: float(v) for k, v in (p.split("=") for p in spec.split(";")[0].split(","))}
    head = head_terms((text for text, _ in docs), terms, int(parts.get("head", 0)))
    tail = Tail(rate=rates, slope=float(parts.get("slope", 1.1)), head=head)
    return TailRewriter(tail, terms)


def fit_tail(
    docs: Sequence[tuple[str, Any]],
    terms: Terms,
    real: dict[str, Any],
    slopes: Sequence[float],
    rates: Sequence[float],
    head: int,
    upto: int,
) -> dict[str, Any]:
    """The tail (``bench.synth_tail``) whose rewritten copies of ``docs`` grow each kind's
    vocabulary as ``real`` (a ``measure`` of the real corpus) does: for each slope and each
    rate (every kind at that rate in one pass: the kinds' terms do not mix), the kind's
    distinct terms at the real corpus's size and at ``upto`` tokens against the real ones
    and their Heaps extrapolation; per slope the best rate of each kind; the slope with
    the least summed squared log error."""
    from bench.synth_tail import Tail, TailRewriter, head_terms

    kept = head_terms((text for text, _ in docs), terms, head)
    n1 = int(real["tokens"])
    targets = {}
    for kind in ("word", "name", "number"):
        fit = real["kinds"][kind]["heaps"] or {"K": 0.0, "beta": 0.0}
        targets[kind] = (
            math.log(real["kinds"][kind]["terms"]),
            math.log(fit["K"] * upto ** fit["beta"]),
        )
    grid: list[dict[str, Any]] = []
    for slope in slopes:
        for rate in rates:
            tail = Tail(
                rate=dict.fromkeys(("word", "name", "number"), rate), slope=slope, head=kept
            )
            got = measure(synth_bodies(docs, 1, TailRewriter(tail, terms)), terms, upto)
            row: dict[str, Any] = {"slope": slope, "rate": rate}
            for kind in ("word", "name", "number"):
                curve = got["kinds"][kind]["curve"]
                at_n1 = _at(curve, n1)
                err = (math.log(max(at_n1, 1)) - targets[kind][0]) ** 2 + (
                    math.log(max(curve[-1][1], 1)) - targets[kind][1]
                ) ** 2
                row[kind] = {"at_real": at_n1, "at_upto": curve[-1][1], "err": round(err, 4)}
            grid.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    best: dict[str, Any] = {}
    for slope in slopes:
        rows = [r for r in grid if r["slope"] == slope]
        chosen = {k: _least(rows, k) for k in ("word", "name", "number")}
        total = sum(chosen[k][k]["err"] for k in chosen)
        if not best or total < best["err"]:
            best = {
                "slope": slope,
                "rate": {k: chosen[k]["rate"] for k in chosen},
                "err": round(total, 4),
                "head": head,
            }
    return {
        "targets": {k: [round(math.exp(v), 1) for v in t] for k, t in targets.items()},
        "n_real": n1,
        "upto": upto,
        "grid": grid,
        "best": best,
    }


def _least(rows: Sequence[dict[str, Any]], kind: str) -> dict[str, Any]:
    return min(rows, key=lambda row: float(row[kind]["err"]))


def _at(curve: Sequence[Sequence[int]], n: int) -> int:
    """The curve's distinct terms at ``n`` tokens (interpolated in log-log)."""
    for (n0, v0), (n_1, v1) in itertools.pairwise(curve):
        if n0 <= n <= n_1:
            if n_1 == n0 or v0 <= 0:
                return int(v1)
            t = math.log(n / n0) / math.log(n_1 / n0)
            return round(math.exp(math.log(v0) + t * (math.log(max(v1, 1)) - math.log(v0))))
    return int(curve[-1][1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--index",
        action="append",
        default=[],
        help="an index folder or a corpus folder (.txt, .html, .pdf); several joined by '+'",
    )
    parser.add_argument("--name", action="append", default=[])
    parser.add_argument("--tokens", type=int, help="stop after this many tokens")
    parser.add_argument(
        "--questions", action="append", help="a questions.jsonl's set name (default: all 3)"
    )
    parser.add_argument("--synth", type=int, help="the generator's text for N passages")
    parser.add_argument("--copies", type=int, default=1, help="--synth: that many copies")
    parser.add_argument(
        "--tail",
        help="--synth: copies rewritten by bench.synth_tail, e.g. "
        "'word=0.3,name=0.5,number=0.5;slope=1.1;head=300'",
    )
    parser.add_argument(
        "--fit",
        type=Path,
        help="--synth: fit the tail to the first corpus of this vocab_growth JSON",
    )
    parser.add_argument("--slopes", default="1.2,1.4,1.6,1.8,2.0")
    parser.add_argument("--rates", default="0.05,0.1,0.2,0.3,0.45,0.6")
    parser.add_argument("--head", type=int, default=100)
    parser.add_argument("--lists", type=Path, action="append", default=[], help="impact dirs")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    terms = Terms()
    asked = question_terms(terms, args.questions or QUESTION_SETS)
    report: dict[str, Any] = {}
    for i, index in enumerate(args.index):
        name = args.name[i] if i < len(args.name) else index
        report[name] = measure(source(index), terms, args.tokens, asked)
        print(name, _brief(report[name]))
    if args.synth and args.fit:
        docs = synth_documents(args.synth)
        real = next(iter(json.loads(args.fit.read_text(encoding="utf-8")).values()))
        report["fit"] = fit_tail(
            docs,
            terms,
            real,
            [float(x) for x in args.slopes.split(",")],
            [float(x) for x in args.rates.split(",")],
            args.head,
            args.tokens or 1_000_000,
        )
        print(json.dumps(report["fit"]["best"]))
    elif args.synth:
        docs = synth_documents(args.synth)
        rewriter = None
        name = f"synth{args.synth}x{args.copies}"
        if args.tail:
            rewriter = make_rewriter(args.tail, docs, terms)
            name += f" tail {args.tail}"
        texts = synth_bodies(docs, args.copies, rewriter)
        report[name] = measure(texts, terms, args.tokens, asked)
        print(name, _brief(report[name]))
    for impact in args.lists:
        report[f"lists:{impact}"] = list_lengths(impact, asked)
        print(impact, json.dumps(report[f"lists:{impact}"]))
    measured = [k for k in report if "question_word_df" in report[k]]
    if len(measured) > 1:  # the question words every corpus holds: their shares side by side
        common = set.intersection(*(set(report[k]["question_word_df"]) for k in measured))
        report["common_question_words"] = {
            "n": len(common),
            **{
                k: _spread(
                    [report[k]["question_word_df"][t] / report[k]["passages"] for t in common]
                )
                for k in measured
            },
        }
        print("common question words", json.dumps(report["common_question_words"]))
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
