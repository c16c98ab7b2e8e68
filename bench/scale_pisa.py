"""A keyword engine that prunes, at 10M passages: PISA against tantivy-py (issue 18).

tantivy-py scores every passage holding any word of a question (its ``Searcher.search``
wraps ``TopDocs`` in a ``MultiCollector``, so tantivy never runs block-max WAND:
docs/performance.md, "/api/ask at 10M, stop 19").  PISA (C++, from PyPI as
``pyterrier-pisa``, no JVM needed) runs block-max WAND / MaxScore.  This measures whether
it meets the budget with the same ranking:

1. ``capture`` (the project's venv): each question of the three dev sets is asked once
   through ``Engine.ask`` on ``--index`` and every lexical search it makes is recorded
   (its terms, its k, its filters if not the default), to ``--searches`` (JSON).
2. ``build`` (a venv with ``pyterrier-pisa`` and ``tantivy``): a PISA index of the first
   ``--passages`` passages of the synthetic service index ``--index``
   (``bench.scale_text``: ``--base``'s passages copied up, each copy with new council
   names and shifted dates), holding **tantivy's own BM25 scores** as precomputed impacts:
   one PISA term per (field, word) (``h:``, ``b:``, ``c:``), its impact in a passage the
   field's weight (``WEIGHTS``) times tantivy's BM25 of the word in that field (idf from
   the field's document frequency, tantivy's one-byte field norms, k1 1.2, b 0.75),
   quantised to ``1 / SCALE``.  The text is tokenised by the served analyzer
   (``index.lexical_folder.analyzer``), so the words are the same.  A question's score
   is then the sum of its words' impacts over the three fields, which is tantivy's
   three-field BM25 up to the quantisation.  The heading and body of a copy are its
   base passage's, so they are tokenised once; each copy's document facts
   (``lexical_context``) are tokenised per document.
3. ``compare``: the first pass of each recorded search (its words OR-ed over the three
   fields, for k, or 3 x k where ``rescore`` re-scores phrases), on tantivy
   (``--tantivy``: the index's ``lexical`` folder) and on PISA per ``--algorithms``,
   interleaved in a shuffled order per search, ``--loops`` times; p50/p95 per engine and
   their ratios, and against tantivy's exact list: recall@10 with ties (the share of
   PISA's top 10 scoring at least tantivy's 10th score, less a quantisation margin) and
   the overlap of the top-10 row ids; open time and RSS.  A search with a multiword term
   then has its served second pass (tantivy scoring the phrases among each engine's
   candidates) timed too, for the whole lexical search per engine.

    python bench/scale_pisa.py capture --index /tmp/18t/10000000 --searches S.json
    python bench/scale_pisa.py build --index /tmp/18t/10000000 --base /tmp/18t/20000 \\
        --passages 100000 --out /tmp/18x/pisa
    # a served tantivy index of the same first 100k passages, in /tmp/18x/tantivy-100000
    python bench/scale_pisa.py tantivy --index /tmp/18t/10000000 --passages 100000 --out /tmp/18x
    python bench/scale_pisa.py compare --pisa /tmp/18x/pisa/100000 \\
        --tantivy /tmp/18x/tantivy-100000 --searches S.json --loops 3 --out R.json
    # at 10M, against the served index itself: --tantivy /tmp/18t/10000000/lexical

The service index is only read.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.query_bench import percentiles  # noqa: E402
from index.impact import fieldnorm_table  # noqa: E402  (tantivy's field norms, one table)

SETS = ("dev-set", "dev-set-2", "real-dev-set")
FIELDS = ("h", "b", "c")  # heading, body, context: index.lexical_folder._FIELDS's order
WEIGHTS = (2.0, 1.0, 0.5)  # index.lexical_tantivy.WEIGHTS
K1, B = 1.2, 0.75  # tantivy's BM25
SCALE = 1000  # impacts are stored as integers, in 1/SCALE of a BM25 point
RESCORE_FETCH = 3  # index.lexical_tantivy.RESCORE_FETCH


def _log(message: str, started: float) -> None:
    print(f"[{time.perf_counter() - started:7.0f} s] {message}", file=sys.stderr, flush=True)


# -- capture (the project's venv) --------------------------------------------------------


def capture(index: Path, out: Path) -> int:
    """Record every lexical search the three dev sets' questions make on ``index``."""
    from bench import query_bench as qb
    from cqa_core.text import query_terms
    from index.filters import Filters
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    settings = qb._settings(index, "tantivy")
    engine = Engine(index, make_query_embedder(settings), settings)
    calls: list[dict[str, Any]] = []
    search = engine.lexical.search

    def recording(query: Any, k: int, filters: Any = None) -> Any:
        terms = [t for t in (list(query.terms) or query_terms(query.text)) if t.strip()]
        narrowed = filters is not None and filters != Filters()
        calls.append({"terms": terms, "k": k, "filters": repr(filters) if narrowed else None})
        return search(query, k, filters)

    engine.lexical.search = recording  # type: ignore[method-assign]
    for name in SETS:
        for question in qb.questions(REPO.parent / "shared" / name / "questions.jsonl"):
            engine.ask(question)
    engine.close()
    out.write_text(json.dumps(calls), encoding="utf-8")
    return len(calls)


# -- build --------------------------------------------------------------------------------


_NORMS = fieldnorm_table()


def stored_length(lengths: np.ndarray) -> np.ndarray:
    """Field lengths as tantivy scores them (its one-byte field norm decoded)."""
    return _NORMS[np.searchsorted(_NORMS, lengths, side="right") - 1]


def idf(df: np.ndarray | int, n: int) -> np.ndarray:
    """tantivy's BM25 idf."""
    df = np.asarray(df, dtype=np.float64)
    return np.log1p((n - df + 0.5) / (df + 0.5))


def impacts(
    tf: np.ndarray, length: np.ndarray, average: float, term_idf: float, weight: float
) -> np.ndarray:
    """A field's weighted BM25 of one word in each passage, as integers of 1/SCALE."""
    norm = K1 * (1 - B + B * stored_length(length) / average)
    score = weight * term_idf * (K1 + 1) * tf / (tf + norm)
    return np.maximum(np.rint(score * SCALE), 1).astype(np.uint32)


def _analyze(analyzer: Any, text: str) -> Counter[str]:
    return Counter(analyzer.analyze(text))


def _base(base: Path, analyzer: Any) -> tuple[list[list[Counter[str]]], np.ndarray, int]:
    """The base passages' heading and body words (row id order), their documents (0-based)
    and the base's document count."""
    db = sqlite3.connect(f"file:{base / 'meta.sqlite'}?mode=ro", uri=True)
    rows = db.execute("SELECT id, doc_rowid, heading, text FROM passages ORDER BY id").fetchall()
    max_doc = int(db.execute("SELECT max(doc_rowid) FROM documents").fetchone()[0])
    db.close()
    if [r[0] for r in rows] != list(range(1, len(rows) + 1)):
        raise SystemExit(f"passage ids of {base} are not 1..{len(rows)}")
    heading = [_analyze(analyzer, " ".join(json.loads(r[2]))) for r in rows]
    body = [_analyze(analyzer, r[3]) for r in rows]
    docs = np.array([r[1] - 1 for r in rows], dtype=np.int64)
    return [heading, body], docs, max_doc


def _contexts(index: Path, documents: int, analyzer: Any) -> list[Counter[str]]:
    """Every document's facts' words (``lexical_context``), by doc row id - 1."""
    from index.lexical_rows import lexical_context
    from ingest.models import DocMeta

    db = sqlite3.connect(f"file:{index / 'meta.sqlite'}?mode=ro", uri=True)
    rows = db.execute(
        "SELECT doc_rowid, council, committee, title, doc_type, meeting_date FROM documents "
        "WHERE doc_rowid <= ? ORDER BY doc_rowid",
        (documents,),
    )
    out: list[Counter[str]] = []
    for rowid, council, committee, title, doc_type, date in rows:
        if rowid != len(out) + 1:
            raise SystemExit(f"document row ids of {index} are not 1..{documents}")
        meta = DocMeta(
            council=council, committee=committee, title=title, doc_type=doc_type, meeting_date=date
        )
        out.append(_analyze(analyzer, lexical_context(meta)))
    db.close()
    return out


def _check_copies(index: Path, max_id: int, max_doc: int, passages: int) -> None:
    """The copies' layout ``bench.scale_text`` makes: id b + c max_id is in document
    d + c max_doc (checked on a sample of ids)."""
    db = sqlite3.connect(f"file:{index / 'meta.sqlite'}?mode=ro", uri=True)
    rng = random.Random(0)
    for pid in [1, max_id, passages] + [rng.randint(1, passages) for _ in range(30)]:
        copy, base = divmod(pid - 1, max_id)
        got = db.execute("SELECT doc_rowid FROM passages WHERE id = ?", (pid,)).fetchone()
        want = db.execute("SELECT doc_rowid FROM passages WHERE id = ?", (base + 1,)).fetchone()
        if got is None or got[0] != want[0] + copy * max_doc:
            raise SystemExit(f"{index}: passage {pid} is not a copy of passage {base + 1}")
    db.close()


def build(index: Path, base: Path, passages: int, out: Path, threads: int = 1) -> Path:
    """The PISA index of the first ``passages`` passages of ``index`` (see the module
    notes), in ``out/<passages>``; returns its folder."""
    from pyterrier_pisa import _pisathon

    from index.lexical_folder import analyzer

    started = time.perf_counter()
    target = out / str(passages)
    if (target / "READY").exists():
        return target
    target.mkdir(parents=True, exist_ok=True)
    words = analyzer()
    texts, base_docs, max_doc = _base(base, words)
    max_id = len(base_docs)
    _check_copies(index, max_id, max_doc, passages)
    copies = math.ceil(passages / max_id)
    contexts = _contexts(index, copies * max_doc, words)
    _log(f"tokenised: {max_id} base passages, {len(contexts)} documents", started)

    # Per passage lengths of the three fields, and the postings of each field's words.
    hb_len = [np.array([sum(c.values()) for c in field], dtype=np.int64) for field in texts]
    ctx_len = np.array([sum(c.values()) for c in contexts], dtype=np.int64)
    ids = np.arange(passages, dtype=np.int64)
    copy_of, base_of = np.divmod(ids, max_id)
    doc_of = base_docs[base_of] + copy_of * max_doc
    lengths = [hb_len[0][base_of], hb_len[1][base_of], ctx_len[doc_of]]
    averages = [float(length.mean()) for length in lengths]
    stats = {"passages": passages, "copies": copies, "average_lengths": averages}

    # heading and body: a word's base postings, repeated in each copy (the last one cut)
    base_postings: list[dict[str, tuple[list[int], list[int]]]] = []
    for field in texts:
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for pid, counts in enumerate(field):
            for word, tf in counts.items():
                held = postings.setdefault(word, ([], []))
                held[0].append(pid)
                held[1].append(tf)
        base_postings.append(postings)
    # context: each word's documents and counts, read per passage through its document
    ctx_postings: dict[str, tuple[list[int], list[int]]] = {}
    for doc, counts in enumerate(contexts):
        for word, tf in counts.items():
            held = ctx_postings.setdefault(word, ([], []))
            held[0].append(doc)
            held[1].append(tf)

    terms: list[tuple[str, int, str]] = []  # (PISA term, field, word)
    for f, postings in enumerate(base_postings):
        terms += [(f"{FIELDS[f]}:{w}", f, w) for w in postings]
    terms += [(f"c:{w}", 2, w) for w in ctx_postings]
    terms.sort(key=lambda t: t[0].encode("utf-8"))
    _log(f"{len(terms)} terms", started)

    total = 0
    with (
        open(target / "inv.docs", "wb") as docs_out,
        open(target / "inv.freqs", "wb") as freqs_out,
    ):
        docs_out.write(np.array([1, passages], dtype=np.uint32).tobytes())
        for _name, f, word in terms:
            if f < 2:
                pids, tfs = (np.array(x, dtype=np.int64) for x in base_postings[f][word])
                offsets = np.arange(copies, dtype=np.int64)[:, None] * max_id
                docids = (offsets + pids[None, :]).ravel()
                tf_all = np.tile(tfs, copies)
                keep = docids < passages
                docids, tf_all = docids[keep], tf_all[keep]
            else:
                holders, doc_tfs = (np.array(x, dtype=np.int64) for x in ctx_postings[word])
                tf_of_doc = np.zeros(len(contexts), dtype=np.int64)
                tf_of_doc[holders] = doc_tfs
                tf_all = tf_of_doc[doc_of]
                docids = np.flatnonzero(tf_all)
                tf_all = tf_all[docids]
            # a word whose every holder was cut keeps its (empty) list: PISA reads lists by
            # term id
            term_idf = float(idf(len(docids), passages))
            score = impacts(tf_all, lengths[f][docids], averages[f], term_idf, WEIGHTS[f])
            header = np.array([len(docids)], dtype=np.uint32).tobytes()
            docs_out.write(header + docids.astype(np.uint32).tobytes())
            freqs_out.write(header + score.tobytes())
            total += len(docids)
    (target / "inv.sizes").write_bytes(
        np.concatenate([[passages], np.ones(passages, dtype=np.int64)]).astype(np.uint32).tobytes()
    )
    (target / "fwd.terms").write_text("".join(t[0] + "\n" for t in terms), encoding="utf-8")
    (target / "fwd.documents").write_text(
        "".join(f"{i + 1}\n" for i in range(passages)), encoding="utf-8"
    )
    _pisathon.build_binlex(str(target / "fwd.terms"), str(target / "fwd.termlex"))
    _pisathon.build_binlex(str(target / "fwd.documents"), str(target / "fwd.doclex"))
    stats["postings"] = total
    stats["terms"] = len(terms)
    stats["write_s"] = round(time.perf_counter() - started, 1)
    _log(f"{total} postings written", started)
    t0 = time.perf_counter()
    context = _pisathon.RetrievalContext()
    _prepare(context, target)  # compresses and writes the block maxima once
    stats["compress_s"] = round(time.perf_counter() - t0, 1)
    for name in ("inv.docs", "inv.freqs"):  # the compressed index holds them now
        (target / name).unlink()
    stats["bytes"] = {p.name: p.stat().st_size for p in target.iterdir()}
    (target / "build.json").write_text(json.dumps(stats, indent=1), encoding="utf-8")
    (target / "READY").write_text("", encoding="utf-8")
    _log(f"compressed in {stats['compress_s']} s", started)
    return target


def _prepare(context: Any, folder: Path) -> None:
    """Open (on first use: compress, and compute block maxima for) a PISA impact index."""
    from pyterrier_pisa import _pisathon

    _pisathon.prepare_index(
        context, str(folder), encoding="block_simdbp", scorer_name="quantized", stemmer=""
    )


def tantivy_sample(index: Path, passages: int, out: Path) -> Path:
    """A tantivy index, as served, of the first ``passages`` passages of ``index`` (to
    compare with a PISA build of the same passages); returns its folder."""
    from index.lexical_folder import _open_index
    from index.lexical_rows import date_number, lexical_context
    from index.lexical_tantivy import TantivyIndex
    from ingest.models import DocMeta

    folder = out / f"tantivy-{passages}"
    if (folder / "meta.json").exists():
        return folder
    writer = _open_index(folder, create=True).writer(heap_size=128 * 2**20, num_threads=1)
    db = sqlite3.connect(f"file:{index / 'meta.sqlite'}?mode=ro", uri=True)
    rows = db.execute(
        "SELECT p.id, p.heading, p.text, d.council, d.committee, d.title, d.doc_type, "
        "d.meeting_date FROM passages p JOIN documents d ON d.doc_rowid = p.doc_rowid "
        "WHERE p.id <= ? ORDER BY p.id",
        (passages,),
    )
    for rowid, heading, text, council, committee, title, doc_type, date in rows:
        meta = DocMeta(
            council=council, committee=committee, title=title, doc_type=doc_type, meeting_date=date
        )
        fields = (" ".join(json.loads(heading)), text, lexical_context(meta))
        TantivyIndex._add(writer, int(rowid), fields, date_number(date))
    writer.commit()
    writer.wait_merging_threads()
    db.close()
    return folder


# -- compare ------------------------------------------------------------------------------


class Pisa:
    """Top-k of a list of words over the three fields, from a ``build`` index."""

    def __init__(self, folder: Path) -> None:
        from pyterrier_pisa import _pisathon

        self._pisathon = _pisathon
        self.context = _pisathon.RetrievalContext()
        _prepare(self.context, folder)

    def search(self, words: list[str], k: int, algorithm: str) -> list[tuple[int, float]]:
        """The best ``k`` passages (row id, BM25 score) for ``words`` (analysed tokens; a
        token given twice counts twice, as two clauses of one word do in tantivy)."""
        counts = Counter(words)
        query = {f"{f}:{w}": float(n) for w, n in counts.items() for f in FIELDS}
        qidx = np.empty(k, dtype=np.int32)
        docnos = np.empty(k, dtype=object)
        ranks = np.empty(k, dtype=np.int32)
        scores = np.empty(k, dtype=np.float32)
        found = self._pisathon.retrieve(
            self.context,
            algorithm,
            [(0, query)],
            k=k,
            threads=1,
            pretokenised=True,
            query_weighted=1,
            result_qidxs=qidx,
            result_docnos=docnos,
            result_ranks=ranks,
            result_scores=scores,
        )
        return [(int(docnos[i]), float(scores[i]) / SCALE) for i in range(found)]


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _current_rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def compare(
    pisa_dir: Path,
    tantivy_dir: Path,
    searches: Path,
    loops: int,
    algorithms: list[str],
    seed: int = 0,
) -> dict[str, Any]:
    """First-pass latency and agreement, PISA against tantivy (see the module notes)."""
    from index.lexical_folder import _open_index, analyzer
    from index.lexical_tantivy import _FIELDS, _WORD, _phrase, query_text, query_words
    from index.lexical_tantivy import WEIGHTS as SERVED

    if tuple(SERVED) != WEIGHTS:
        raise SystemExit("index.lexical_tantivy.WEIGHTS changed: rebuild with the new ones")
    words = analyzer()
    report: dict[str, Any] = {"rss_start_mb": _current_rss_mb()}
    t0 = time.perf_counter()
    tindex = _open_index(tantivy_dir, create=False)
    searcher = tindex.searcher()
    report["tantivy_open_s"] = round(time.perf_counter() - t0, 2)
    report["rss_after_tantivy_mb"] = _current_rss_mb()
    t0 = time.perf_counter()
    pisa = Pisa(pisa_dir)
    report["pisa_open_s"] = round(time.perf_counter() - t0, 2)
    report["rss_after_pisa_mb"] = _current_rss_mb()
    boosts = dict(zip(_FIELDS, WEIGHTS, strict=True))

    recorded = json.loads(searches.read_text(encoding="utf-8"))
    queries = []
    phrases_only: list[Any] = []  # the multiword terms' phrases alone, for the second pass
    for call in recorded:
        terms = call["terms"]
        multiword = any(len(_WORD.findall(t)) > 1 for t in terms)
        k = call["k"] * (RESCORE_FETCH if multiword else 1)
        text = query_text(terms, "words")
        parsed = tindex.parse_query(text, list(_FIELDS), field_boosts=boosts)
        tokens = [t for w in query_words(terms) for t in words.analyze(w)]
        # a multiword term's phrases re-score the first pass's candidates ("rescore")
        phrased = (
            tindex.parse_query(query_text(terms, "phrase"), list(_FIELDS), field_boosts=boosts)
            if multiword
            else None
        )
        queries.append((parsed, tokens, k, phrased, call["k"]))
        phrases_only.append(
            tindex.parse_query(
                " OR ".join(_phrase(t) for t in terms if len(_WORD.findall(t)) > 1),
                list(_FIELDS),
                field_boosts=boosts,
            )
            if multiword
            else None
        )

    def tantivy_top(parsed: Any, k: int) -> list[tuple[int, float]]:
        hits = searcher.search(parsed, k, count=False).hits
        rowids = searcher.fast_field_values("rowid", [a for _s, a in hits])
        return sorted(
            ((int(r), float(s)) for (s, _a), r in zip(hits, rowids, strict=True)),
            key=lambda h: (-h[1], h[0]),
        )

    modes = ["tantivy", *algorithms]
    spent: dict[str, list[list[float]]] = {m: [[] for _ in queries] for m in modes}
    results: dict[str, list[list[tuple[int, float]]]] = {m: [] for m in modes}
    rng = random.Random(seed)
    for loop in range(loops):
        for i, (parsed, tokens, k, _phrased, _served_k) in enumerate(queries):
            order = list(modes)
            rng.shuffle(order)
            for mode in order:
                t0 = time.perf_counter()
                if mode == "tantivy":
                    found = tantivy_top(parsed, k)
                else:
                    found = pisa.search(tokens, k, mode)
                spent[mode][i].append((time.perf_counter() - t0) * 1000)
                if loop == 0:
                    results[mode].append(found)
    report["searches"] = len(queries)
    report["loops"] = loops
    report["load_avg"] = os.getloadavg()
    medians = {m: [float(np.median(s)) for s in spent[m]] for m in modes}
    report["latency_ms"] = {m: percentiles(medians[m]) for m in modes}
    base = report["latency_ms"]["tantivy"]
    report["ratio"] = {
        m: {
            "p50": round(report["latency_ms"][m]["p50"] / base["p50"], 3),
            "p95": round(report["latency_ms"][m]["p95"] / base["p95"], 3),
        }
        for m in algorithms
    }
    report["agreement"] = {m: _agreement(results["tantivy"], results[m]) for m in algorithms}
    report["whole"] = _whole(
        tindex, searcher, queries, phrases_only, results, medians, algorithms, loops
    )
    report["per_search"] = [
        {"k": q[2], "multiword": q[3] is not None, **{m: round(medians[m][i], 2) for m in modes}}
        for i, q in enumerate(queries)
    ]
    report["rss_end_mb"] = _current_rss_mb()
    report["max_rss_mb"] = _rss_mb()
    return report


def _whole(
    tindex: Any,
    searcher: Any,
    queries: list[tuple[Any, list[str], int, Any, int]],
    phrases_only: list[Any],
    results: dict[str, list[list[tuple[int, float]]]],
    medians: dict[str, list[float]],
    algorithms: list[str],
    loops: int,
) -> dict[str, Any]:
    """The whole lexical search of each recorded search with each engine's first pass: a
    search with a multiword term adds the served second pass (its phrases scored by
    tantivy among the first pass's candidates, ``TantivyIndex._among``), timed here on
    each engine's candidates (median of ``loops``); and, to see what that pass costs, the
    same with the phrases alone (without the words' clauses)."""
    import tantivy

    def second(phrased: Any, found: list[tuple[int, float]], k: int) -> float:
        among = tantivy.Query.const_score_query(
            tantivy.Query.term_set_query(tindex.schema, "rowid", [r for r, _ in found]), 0.0
        )
        both = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, phrased), (tantivy.Occur.Must, among)]
        )
        spent = []
        for _ in range(loops):
            t0 = time.perf_counter()
            hits = searcher.search(both, k, count=False).hits
            searcher.fast_field_values("rowid", [a for _s, a in hits])
            spent.append((time.perf_counter() - t0) * 1000)
        return float(np.median(spent))

    out: dict[str, Any] = {}
    for mode in ["tantivy", *algorithms]:
        totals, seconds, alone = [], [], []
        for i, (_parsed, _tokens, _k, phrased, served_k) in enumerate(queries):
            extra = 0.0
            if phrased is not None:
                extra = second(phrased, results[mode][i], served_k)
                seconds.append(extra)
                alone.append(second(phrases_only[i], results[mode][i], served_k))
            totals.append(medians[mode][i] + extra)
        out[mode] = {
            "lexical_ms": percentiles(totals),
            "second_pass_ms": percentiles(seconds),
            "second_pass_phrases_alone_ms": percentiles(alone),
            "per_search_ms": [round(t, 2) for t in totals],
        }
    return out


def _agreement(
    exact: list[list[tuple[int, float]]], other: list[list[tuple[int, float]]], top: int = 10
) -> dict[str, float]:
    """``other``'s top lists against tantivy's: recall@top with ties (a hit counts when its
    tantivy-equal score reaches tantivy's top-th, less the quantisation's margin), the
    overlap of the top row ids, and the largest score difference on shared passages."""
    recall, overlap, scored, worst = [], [], [], 0.0
    for want, got in zip(exact, other, strict=True):
        if not want:
            continue
        n = min(top, len(want))
        floor = want[n - 1][1]
        margin = 3 * 0.5 / SCALE * 32  # up to 32 rounded impacts summed, generously
        recall.append(sum(1 for _, s in got[:n] if s >= floor - margin) / n)
        overlap.append(len({r for r, _ in want[:n]} & {r for r, _ in got[:n]}) / n)
        scores = dict(want)
        for rowid, s in got[:n]:
            if rowid in scores:
                worst = max(worst, abs(scores[rowid] - s))
                scored.append(abs(scores[rowid] - s))
    return {
        "recall@10_ties": round(float(np.mean(recall)), 4),
        "searches_recall_1": round(float(np.mean([r == 1.0 for r in recall])), 4),
        "overlap@10_rowids": round(float(np.mean(overlap)), 4),
        "score_diff_max": round(worst, 4),
        "score_diff_mean": round(float(np.mean(scored)) if scored else 0.0, 5),
    }


def main(argv: list[str] | None = None) -> int:
    """``capture``, ``build`` or ``compare``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("capture", "build", "tantivy", "compare"))
    parser.add_argument("--index", type=Path, default=Path("/tmp/18t/10000000"))
    parser.add_argument("--base", type=Path, default=Path("/tmp/18t/20000"))
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--pisa", type=Path, help="compare: a build's folder")
    parser.add_argument("--tantivy", type=Path, help="compare: a tantivy folder")
    parser.add_argument("--searches", type=Path)
    parser.add_argument("--loops", type=int, default=3)
    parser.add_argument("--algorithms", default="block_max_wand,block_max_maxscore,maxscore")
    args = parser.parse_args(argv)
    if args.step == "tantivy":
        if args.out is None:
            parser.error("tantivy needs --out")
        print(tantivy_sample(args.index, args.passages, args.out))
        return 0
    if args.step == "capture":
        if args.searches is None:
            parser.error("capture needs --searches")
        print(capture(args.index, args.searches), "searches recorded")
        return 0
    if args.step == "build":
        if args.out is None:
            parser.error("build needs --out")
        folder = build(args.index, args.base, args.passages, args.out)
        print((folder / "build.json").read_text())
        return 0
    if args.searches is None:
        parser.error(f"{args.step} needs --searches")
    if args.pisa is None or args.tantivy is None:
        parser.error("compare needs --pisa and --tantivy")
    report = compare(args.pisa, args.tantivy, args.searches, args.loops, args.algorithms.split(","))
    text = json.dumps(report, indent=1)
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
