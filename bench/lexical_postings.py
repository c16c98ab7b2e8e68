"""What the lexical search walks: the postings of the questions' words (issue 18).

tantivy-py scores every passage holding any word of a question (its ``Searcher.search``
runs no block-max WAND: ``index/lexical_tantivy.py``), so a search costs the postings of
its words in the three fields.  For the three dev sets' questions, each asked once through
``Engine.ask`` on ``--index`` to record its lexical search (``bench.lexical_profile``):

- ``postings``: per search, the words' postings summed over the three fields, and their
  union over the fields (a count query: the postings one combined field would hold);
- ``shares``: the same words' document frequencies as a share of each ``--shares``
  index's passages (the synthetic corpus against the real papers);
- ``combined`` (``--combined N --scratch DIR``): the first N passages of the index's store
  written as the served three fields and as one field (heading × 4, body × 2, context: the
  weights folded into repeated text), the searches' first pass (the words, 3 × k) timed on
  both, interleaved in a shuffled order, medians of ``--loops``.

    python bench/lexical_postings.py --index /tmp/18t/10000000 \\
        --shares /tmp/18t/20000,/tmp/lead/itf/real-dev-set \\
        [--combined 1000000 --scratch /tmp/18q/c1m] [--out bench/out/lexical_postings.json]

``--index`` is only read; ``--scratch`` is replaced.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.lexical_profile import _capture  # noqa: E402
from bench.query_bench import percentiles, write_report  # noqa: E402
from cqa_core.text import query_terms  # noqa: E402
from index.lexical_folder import (  # noqa: E402
    _ANALYZER,
    _FIELDS,
    FOLDER,
    _tantivy,
    analyzer,
    with_analyzer,
)
from index.lexical_rows import store_rows  # noqa: E402
from index.lexical_tantivy import RESCORE_FETCH, WEIGHTS, query_text  # noqa: E402

# the field weights 2 / 1 / 0.5 as repeats of each field's text in one combined field
_REPEATS = (4, 2, 1)


def searched(calls: list[tuple[Any, int, Any]]) -> list[tuple[list[str], int]]:
    """Each recorded search's terms and its first pass's candidates (3 × k with a phrase)."""
    out = []
    for query, k, _filters in calls:
        terms = [t for t in (list(query.terms) or query_terms(query.text)) if t.strip()]
        if terms:
            phrase = any(len(analyzer().analyze(t)) > 1 for t in terms)
            out.append((terms, k * RESCORE_FETCH if phrase else k))
    return out


def _tokens(terms: list[str]) -> set[str]:
    return {token for term in terms for token in analyzer().analyze(term)}


def postings(index: Any, searches: list[tuple[list[str], int]]) -> dict[str, Any]:
    """The words' postings per search: summed over the fields, and their union."""
    searcher = index.searcher()
    cache: dict[str, tuple[list[int], int]] = {}

    def of(token: str) -> tuple[list[int], int]:
        if token not in cache:
            freqs = [int(searcher.doc_freq(field, token)) for field in _FIELDS]
            tantivy = _tantivy()
            union = tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Should, tantivy.Query.term_query(index.schema, field, token))
                    for field in _FIELDS
                ]
            )
            cache[token] = (freqs, int(searcher.search(union, 1, count=True).count))
        return cache[token]

    rows = np.array(
        [
            (sum(sum(of(t)[0]) for t in _tokens(terms)), sum(of(t)[1] for t in _tokens(terms)))
            for terms, _ in searches
        ],
        dtype=np.float64,
    )
    heaviest = np.argsort(-rows[:, 0])[: max(1, len(rows) // 20)]
    fields = np.array([freqs for freqs, _ in cache.values()], dtype=np.float64).sum(axis=0)
    return {
        "three_fields": percentiles(list(rows[:, 0])),
        "union_over_sum": round(float(rows[:, 1].sum() / max(rows[:, 0].sum(), 1)), 3),
        "union_over_sum_median": round(float(np.median(rows[:, 1] / np.maximum(rows[:, 0], 1))), 3),
        "union_over_sum_heaviest_5pct": round(
            float(rows[heaviest, 1].sum() / max(rows[heaviest, 0].sum(), 1)), 3
        ),
        "field_shares": dict(
            zip(_FIELDS, np.round(fields / fields.sum(), 3).tolist(), strict=True)
        ),
    }


def shares(folder: Path, searches: list[tuple[list[str], int]]) -> dict[str, Any]:
    """The searches' words' document frequencies as a share of ``folder``'s passages."""
    searcher = _open(folder / FOLDER).searcher()
    total = max(int(searcher.num_docs), 1)
    three = [
        sum(int(searcher.doc_freq(f, t)) for f in _FIELDS for t in _tokens(terms)) / total
        for terms, _ in searches
    ]
    body = [
        sum(int(searcher.doc_freq("body", t)) for t in _tokens(terms)) / total
        for terms, _ in searches
    ]
    return {"passages": total, "three_fields": percentiles(three), "body": percentiles(body)}


def _open(folder: Path, fields: tuple[str, ...] | None = None) -> Any:
    """A tantivy index in ``folder`` (made with ``fields`` if given), the analyzer set."""
    tantivy = _tantivy()
    if fields is None:
        return with_analyzer(tantivy.Index.open(str(folder)))
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("rowid", stored=True, indexed=True, fast=True)
    for name in fields:
        builder.add_text_field(name, stored=False, tokenizer_name=_ANALYZER)
    folder.mkdir(parents=True)
    return with_analyzer(tantivy.Index(builder.build(), path=str(folder)))


def combined(
    store: Any, passages: int, scratch: Path, searches: list[tuple[list[str], int]], loops: int
) -> dict[str, Any]:
    """The first pass on three fields against one combined field (see the module notes)."""
    tantivy = _tantivy()
    shutil.rmtree(scratch, ignore_errors=True)
    three, one = _open(scratch / "three", _FIELDS), _open(scratch / "one", ("text",))
    writers = [i.writer(heap_size=500_000_000, num_threads=1) for i in (three, one)]
    t0 = time.perf_counter()
    for n, (rowid, texts, _date) in enumerate(store_rows(store)):
        if n >= passages:
            break
        fields = dict(zip(_FIELDS, texts, strict=True))
        writers[0].add_document(tantivy.Document(rowid=rowid, **fields))
        text = " ".join(t for t, r in zip(texts, _REPEATS, strict=True) for _ in range(r))
        writers[1].add_document(tantivy.Document(rowid=rowid, text=text))
    for writer in writers:
        writer.commit()
        writer.wait_merging_threads()
    built = time.perf_counter() - t0
    three.reload()
    one.reload()
    boosts = dict(zip(_FIELDS, WEIGHTS, strict=True))
    queries = [
        (
            three.parse_query(query_text(terms, "words"), list(_FIELDS), field_boosts=boosts),
            one.parse_query(query_text(terms, "words"), ["text"]),
            fetch,
        )
        for terms, fetch in searches
    ]
    ways = {"three fields": three.searcher(), "one field": one.searcher()}
    spent: dict[str, list[list[float]]] = {w: [[] for _ in queries] for w in ways}
    rng = random.Random(0)
    for _ in range(loops):
        for i, (q3, q1, fetch) in enumerate(queries):
            order = list(ways)
            rng.shuffle(order)
            for way in order:
                query = q3 if way == "three fields" else q1
                start = time.perf_counter()
                ways[way].search(query, fetch, count=False)
                spent[way][i].append((time.perf_counter() - start) * 1000)
    median = {w: [float(np.median(t)) for t in spent[w]] for w in ways}
    report: dict[str, Any] = {"passages": passages, "build_s": round(built, 1), "loops": loops}
    report.update({w: percentiles(median[w]) for w in ways})
    for key in ("p50", "p95"):
        report[f"ratio_{key}"] = round(report["one field"][key] / report["three fields"][key], 3)
    return report


def main(argv: list[str] | None = None) -> int:
    """Record the searches, measure, print and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--shares", default="", help="index folders, comma-separated")
    parser.add_argument("--combined", type=int, default=0, help="passages of the A/B")
    parser.add_argument("--scratch", type=Path, help="where the A/B's two indexes go")
    parser.add_argument("--loops", type=int, default=3)
    parser.add_argument(
        "--out", type=Path, default=REPO / "bench" / "out" / "lexical_postings.json"
    )
    args = parser.parse_args(argv)
    if args.combined and args.scratch is None:
        parser.error("--combined needs --scratch")
    engine, calls = _capture(args.index)
    try:
        searches = searched(calls)
        report: dict[str, Any] = {"index": str(args.index), "searches": len(searches)}
        report["postings"] = postings(engine.lexical._index, searches)
        report["shares"] = {
            folder: shares(Path(folder), searches) for folder in args.shares.split(",") if folder
        }
        if args.combined:
            report["combined"] = combined(
                engine.store, args.combined, args.scratch, searches, args.loops
            )
    finally:
        engine.close()
    write_report(report, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
