"""The whole service at millions of passages with text, sentences and tantivy (issue 18).

``bench.scale_ondisk`` measures the on-disk dense search alone, over a store without text.
This builds an index that ``Engine`` and ``cqa serve`` open as any other, at 3M or 10M
passages, and measures ``/api/ask`` on it:

1. ``build``: a direct index of ``--direct`` passages (``bench.scale``: the synthetic corpus
   through ``IndexWriter``, vectors with real statistics from ``SampledEmbedder``, sentence
   vectors stored int8) is copied up in SQL to ``--passages`` (new council names and
   shifted dates per copy, passage vectors perturbed; sentence vectors copied as stored,
   since the second stage reads ~200 of them a question whatever they hold).  The dense
   side is an on-disk IVF-PQ base, built from the store or, with ``--dense-base``, the
   base ``bench.scale_ondisk`` built for the same ids (hard-linked: its exact top-10s give
   the recall).  tantivy is then rebuilt from the store, timed.
   With ``--tail`` (``bench.synth_tail``) no copy is a copy: each copy's documents
   (the direct index's too, in place) are rewritten with the vocabulary's missing tail,
   every token's length kept, so that the vocabulary grows with the corpus as a real one's
   does (``bench.vocab_growth`` measures it); the default is the plain copies.
2. ``serve``: ``Engine.ask`` in process (``bench.query_bench.core``: p50/p95 and its split
   by stage), the same with a council filter and a date range, then ``POST /api/ask``
   against a real ``cqa serve`` (start-up to the first answer, RSS, p50/p95).

    python -m bench.scale_text build --passages 3000000 --out /tmp/18/text \\
        [--dense-base /tmp/18/so3/3000000] [--tail 'word=R,name=R,number=R;slope=S;head=H']
    python -m bench.scale_text lexical --index /tmp/18/text/3000000   # if built --no-lexical
    python -m bench.scale_text serve --index /tmp/18/text/3000000 [--truth .../truth.npz]
    python -m bench.scale_text http-ab --index /tmp/18t/10000000 --base-code /tmp/base
        # /api/ask on this code and on a checkout of other code, alternating, one client
    python -m bench.scale_text http-ab --index /tmp/p34/t/10000000 --tier-ab --loops 1
        # the impact index on in both servers, its served tier against the exact first pass
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench import scale  # noqa: E402
from index import sentence_codec  # noqa: E402
from index.dense import dense_file_name  # noqa: E402
from index.store import DB_NAME, Filters, Store  # noqa: E402
from ingest.pipeline import IngestLimits  # noqa: E402

DIRECT = 20_000  # passages ingested; the rest are copies of them
EXACT_ABOVE = 10**12  # CQA_IMPACT_TIER_ABOVE for a server without the tier at any size


def _log(message: str, started: float) -> None:
    print(f"[{time.perf_counter() - started:7.0f} s] {message}", file=sys.stderr, flush=True)


def copy_to(
    target: Path,
    source: Path,
    passages: int,
    started: float,
    vectors: bool = True,
    sentence_hash_index: bool = True,
    tail: str | None = None,
) -> None:
    """Copy the passages of ``source`` (held by ``target`` as its first ids) up to exactly
    ``passages`` in ``target``, the last copy trimmed; resumes after the copies ``target``
    already holds (each copy is one transaction).

    ``vectors`` False: the copies get no passage vector (a dense base over the same ids
    holds them, ``--dense-base``), and every row is copied in SQL (``_copy_rows_sql``):
    at 10M the float32 vectors would be ~15 GB written to SQLite only for the dense base's
    fold to free them again, pages a ``VACUUM`` would need as much free disk to give back.
    ``sentence_hash_index`` False: the index on the sentences' ``embed_hash`` (only a
    writer reads it, to reuse sentence vectors; ~1.2 GB and most of the ~10 min of making
    the hash indexes again at 10M) is not made again after the copies; a writer's open
    (``Store.open(create=True)``) makes it.  The passages' one (the document page's copies
    of a document read it) is made again either way.  ``tail``: a ``bench.synth_tail``
    spec, ``'word=R,name=R,number=R;slope=S;head=H'``; every copy's documents (the first,
    the direct index's, in place) are rewritten by it in the copy's transaction
    (``_rewrite_copy``), so that no two copies are the same text.  The vocabulary table
    (typo correction's) is scaled as for plain copies, so that questions read the same."""
    src = sqlite3.connect(source / DB_NAME)
    dim = int(src.execute("SELECT value FROM meta WHERE key = 'dim'").fetchone()[0])
    max_doc = int(src.execute("SELECT max(doc_rowid) FROM documents").fetchone()[0])
    max_id, count = src.execute("SELECT max(id), count(*) FROM passages").fetchone()
    if max_id != count:
        raise ValueError(f"passage ids of {source} are not 1..{count}")
    councils = [r[0] for r in src.execute("SELECT DISTINCT council FROM documents ORDER BY 1")]
    # Indexes on hashes take each copied row at a random place: made again at the end.
    hashed = src.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name LIKE '%hash%'"
    ).fetchall()
    src.close()
    db = sqlite3.connect(target / DB_NAME, isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA foreign_keys = OFF")
    # the unique passage and document ids' B-trees take each copy's keys among all the
    # others: with SQLite's default 2 MB cache every insert read its pages again (a copy
    # took 10 s at 1M passages and 32 s at 2M)
    db.execute("PRAGMA cache_size = -1500000")
    db.execute("CREATE TEMP TABLE names (old TEXT PRIMARY KEY, new TEXT NOT NULL)")
    for name, _ in hashed:
        db.execute(f"DROP INDEX IF EXISTS {name}")
    held = int(db.execute("SELECT max(id) FROM passages").fetchone()[0])
    if held % max_id:
        raise ValueError(f"{target} holds {held} passages, not a whole number of copies")
    used = {r[0] for r in db.execute("SELECT DISTINCT council FROM documents")}
    factor = math.ceil(passages / max_id)
    rewrite = None if tail is None else _Rewrite(source, tail, max_doc, max_id)
    if rewrite is not None:
        done = db.execute("SELECT value FROM meta WHERE key = 'synth_tail'").fetchone()
        if done is None:  # the direct index's rows: copy 0, rewritten in place once
            db.execute("BEGIN")
            rewrite(db, 0)
            db.execute("INSERT INTO meta(key, value) VALUES ('synth_tail', ?)", (tail,))
            db.execute("COMMIT")
            _log("copy 0 rewritten", started)
        elif done[0] != tail:
            raise ValueError(f"{target} was rewritten with tail {done[0]!r}, not {tail!r}")
    for copy in range(max(1, held // max_id), factor):
        fresh = scale._new_councils(copy, len(councils), used)
        pairs = list(zip(councils, fresh, strict=True))
        if vectors:
            scale._copy_once(db, copy, 0, dim, pairs, max_doc, max_id, perturb_sentences=False)
            if rewrite is not None:  # (a stop between the two leaves this copy a copy)
                db.execute("BEGIN")
                rewrite(db, copy)
                db.execute("COMMIT")
        else:  # the rewrite in the copy's transaction
            _copy_rows_sql(db, copy, pairs, max_doc, max_id, rewrite)
        if copy % 10 == 0 or copy == factor - 1:
            _log(f"copy {copy}/{factor - 1}", started)
    db.execute("BEGIN")
    db.execute("DELETE FROM sentences WHERE passage > ?", (passages,))
    db.execute("DELETE FROM decisions WHERE passage > ?", (passages,))
    db.execute("DELETE FROM commitments WHERE passage > ?", (passages,))
    db.execute("DELETE FROM passages WHERE id > ?", (passages,))
    db.execute("DELETE FROM documents WHERE doc_rowid NOT IN (SELECT doc_rowid FROM passages)")
    db.execute("UPDATE vocabulary SET df = df * ?", (factor,))
    db.execute("COMMIT")
    for name, sql in hashed:
        if sentence_hash_index or name != "sentences_embed_hash":
            db.execute(sql)
    _log(f"indexes made again (sentences' embed_hash: {sentence_hash_index})", started)
    db.close()


class _Rewrite:
    """Rewrites copy number ``copy`` of the direct index's documents (and the passage texts
    stored apart from their document's slice) with a ``bench.synth_tail`` tail, inside the
    caller's transaction; the head is the direct index's commonest terms."""

    def __init__(self, source: Path, spec: str, max_doc: int, max_id: int) -> None:
        from bench.synth_tail import Tail, TailRewriter, head_terms
        from bench.vocab_growth import Terms

        src = sqlite3.connect(source / DB_NAME)
        self.documents = src.execute(
            "SELECT doc_rowid, text FROM documents WHERE doc_rowid <= ? ORDER BY doc_rowid",
            (max_doc,),
        ).fetchall()
        self.passages = src.execute(
            "SELECT id, text FROM passage_rows WHERE text IS NOT NULL AND id <= ?", (max_id,)
        ).fetchall()
        src.close()
        terms = Terms()
        parts = spec.split(";")
        rates = {k: float(v) for k, v in (p.split("=") for p in parts[0].split(","))}
        given = dict(p.split("=", 1) for p in parts[1:])
        head = head_terms((t or "" for _, t in self.documents), terms, int(given.get("head", 0)))
        tail = Tail(rate=rates, slope=float(given.get("slope", 1.1)), head=head)
        self.rewriter = TailRewriter(tail, terms)
        self.max_doc, self.max_id = max_doc, max_id

    def __call__(self, db: sqlite3.Connection, copy: int) -> None:
        d_off, p_off = copy * self.max_doc, copy * self.max_id
        write = self.rewriter.rewrite
        db.executemany(
            "UPDATE documents SET text = ? WHERE doc_rowid = ?",
            (
                (write(text, copy, doc, key=doc), doc + d_off)
                for doc, text in self.documents
                if text
            ),
        )
        db.executemany(
            "UPDATE passage_rows SET text = ? WHERE id = ?",
            (
                (write(text, copy, self.max_doc + pid, key=("p", pid)), pid + p_off)
                for pid, text in self.passages
            ),
        )


def _copy_rows_sql(
    db: sqlite3.Connection,
    copy: int,
    names: list[tuple[str, str]],
    max_doc: int,
    max_id: int,
    rewrite: _Rewrite | None = None,
) -> None:
    """Copy number ``copy`` of the first ``max_id`` passages in one transaction, all in SQL
    and without passage vectors: the documents as ``bench.scale._copy_once`` copies them
    (new council names, dates shifted), the passage rows as stored (their text NULL where
    it is the document's slice, which the copied document keeps; ``is_table`` kept), the
    sentences (vectors as stored, whatever their codec), the decisions and the
    commitments, every column (``_copy_once`` leaves the newer ones at their defaults)."""
    db.execute("DELETE FROM names")
    db.executemany("INSERT INTO names VALUES (?, ?)", names)
    d_off, p_off = copy * max_doc, copy * max_id
    db.execute("BEGIN")
    scale.copy_documents(db, copy, max_doc)
    db.execute(
        "INSERT INTO passage_rows(id, passage_id, doc_rowid, ordinal, char_start, char_end, "
        "page, heading, text, embed_hash, is_table) "
        "SELECT id + ?, passage_id || ?, doc_rowid + ?, ordinal, char_start, char_end, page, "
        "heading, text, embed_hash, is_table FROM passage_rows WHERE id <= ? ORDER BY id",
        (p_off, f"-{copy}", d_off, max_id),
    )
    db.execute(
        "INSERT INTO sentences(passage, start_char, end_char, embed_hash, embedding) "
        "SELECT passage + ?, start_char, end_char, embed_hash, embedding FROM sentences "
        "WHERE passage <= ? ORDER BY passage",
        (p_off, max_id),
    )
    db.execute(
        "INSERT INTO decisions(passage, kind, char_start, char_end, text, item, subject, "
        "procedural) SELECT passage + ?, kind, char_start, char_end, text, item, subject, "
        "procedural FROM decisions WHERE passage <= ?",
        (p_off, max_id),
    )
    db.execute(
        "INSERT INTO commitments(passage, char_start, char_end, text, due, due_text, "
        "expecting, next_meeting) SELECT passage + ?, char_start, char_end, text, due, "
        "due_text, expecting, next_meeting FROM commitments WHERE passage <= ?",
        (p_off, max_id),
    )
    if rewrite is not None:
        rewrite(db, copy)
    db.execute("COMMIT")


def commit_dense(target: Path, dense_base: Path | None, started: float) -> None:
    """Give ``target`` an on-disk dense index over its passages, as its next generation."""
    from index.dense_ondisk import OnDiskDenseIndex
    from index.ondisk_build import from_store

    store = Store.open(target)
    try:
        if dense_base is not None:  # bench.scale_ondisk's base over the same ids 1..N
            name = (dense_base / "base").read_text().strip()
            shutil.copytree(dense_base / name, target / name, copy_function=os.link)
            dense = OnDiskDenseIndex.open_base(target / name, store)
        else:
            dense = from_store(store)
        if dense.count() != store.stats().passages:
            raise ValueError(f"the dense base holds {dense.count()} vectors, not the store's")
        generation = store.generation() + 1
        name = dense_file_name(generation)
        dense.write_file(target / name)
        with store.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('generation', ?), "
                "('dense_file', ?)",
                (str(generation), name),
            )
            dropped = dense.fold()  # the base's vectors.f16 is their one copy now
    finally:
        store.close()
    _log(f"dense {dense.kind} committed, {dropped} float32 vectors dropped from the store", started)


def build(
    out: Path,
    passages: int,
    direct: int,
    dense_base: Path | None,
    lexical: bool = True,
    sentence_codec: sentence_codec.Codec = "int8",
    sentence_hash_index: bool = True,
    tail: str | None = None,
) -> Path:
    """The index of ``passages`` passages in ``out/<passages>`` (kept once READY; without
    ``lexical``, tantivy is left for the first open to rebuild; ``sentence_codec``: the
    sentence vectors' codec, copied up as stored)."""
    target = out / str(passages)
    if (target / "READY").exists():
        return target
    started = time.perf_counter()
    times: dict[str, float] = {}
    limits = IngestLimits(sentence_codec=sentence_codec)
    source = scale.build(direct, out, limits=limits)
    times["direct_s"] = time.perf_counter() - started
    _log(f"direct index {source}", started)
    if not (target / DB_NAME).exists():  # else a copy that was stopped: resumed
        shutil.copytree(
            source, target, ignore=shutil.ignore_patterns("READY", "write.lock", "lexical*")
        )
    t0 = time.perf_counter()
    copy_to(target, source, passages, started, dense_base is None, sentence_hash_index, tail)
    times["copy_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    commit_dense(target, dense_base, started)
    times["dense_s"] = time.perf_counter() - t0
    for old in target.glob("dense-*.faiss"):  # the direct index's in-memory generation
        if old.name != Store.open(target).get_meta("dense_file"):
            old.unlink()
    if lexical:
        t0 = time.perf_counter()
        scale.ensure_lexical(target)
        times["tantivy_s"] = time.perf_counter() - t0
        _log("tantivy rebuilt", started)
    sizes = {p.name: _size(p) for p in target.iterdir()}
    report = {
        "passages": passages,
        "direct": direct,
        "sentence_codec": sentence_codec,
        "sentence_hash_index": sentence_hash_index,
        "tail": tail,
        **times,
        "bytes": sizes,
    }
    (target / "build.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    (target / "READY").write_text("", encoding="utf-8")
    return target


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _recall(engine: Any, truth: Path) -> dict[str, Any]:
    """Recall@10 of the served dense search against ``bench.scale_ondisk``'s exact top-10s
    over every passage, at the served settings (its council top-10s are of its own store's
    councils, which this store does not have)."""
    import numpy as np

    from bench.scale_ondisk import TOP
    from index.base import Query

    questions = np.load(truth.parent / "questions.npy")
    exact = np.load(truth)
    out: dict[str, Any] = {"nprobe": engine.dense.nprobe}
    found = 0
    for vector, top in zip(questions, exact["all"], strict=True):
        hits = engine.dense.search(Query(text="", vector=vector), TOP)
        found += len(set(top.tolist()) & {i for i, _ in hits})
    out["all"] = round(found / exact["all"].size, 4)
    return out


def _questions() -> list[str]:
    """The three dev sets' questions, the queries of every measurement here."""
    from bench import query_bench as qb

    return [
        q
        for name in ("dev-set", "dev-set-2", "real-dev-set")
        for q in qb.questions(REPO_ROOT.parent / "shared" / name / "questions.jsonl")
    ]


def serve(
    index: Path, loops: int, clients: int, http: bool, truth: Path | None = None
) -> dict[str, Any]:
    """``Engine.ask`` with and without filters, then ``/api/ask`` over HTTP."""
    from bench import query_bench as qb
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    asked = _questions()
    report: dict[str, Any] = {"index": str(index), "questions": len(asked)}
    report["core"] = qb.core(index, asked, loops, "tantivy")
    print(json.dumps(report["core"]), file=sys.stderr, flush=True)
    settings = qb._settings(index, "tantivy")
    engine = Engine(index, make_query_embedder(settings), settings)
    impact = getattr(engine.lexical, "impact", None)  # CQA_IMPACT_INDEX (and its tier)
    report["impact_served"] = {
        "on": impact is not None,
        "tier": None if impact is None or impact.tier is None else impact.tier.n,
        "approximate": bool(impact is not None and impact.approximate),
    }
    store = engine.store
    council = store.conn.execute("SELECT council FROM documents LIMIT 1").fetchone()[0]
    filtered = {
        "council": Filters(council=(council,)),
        # the name is older than the measures: ~6.5% of the passages at 3M, ~2% at 10M
        "dates_20pct": Filters(date_from="2016-01-01", date_to="2018-12-31"),
        "council+dates": Filters(council=(council,), date_from="2014-01-01", date_to="2020-12-31"),
    }
    report["filtered"] = {}
    if truth is not None:  # the base is bench.scale_ondisk's: its exact top-10s hold
        report["recall@10"] = _recall(engine, truth)
        print(json.dumps(report["recall@10"]), file=sys.stderr, flush=True)
    try:
        for name, given in filtered.items():
            passing = store.allowed(given).count
            spent = []
            for _ in range(max(1, loops // 2)):
                for question in asked:
                    t0 = time.perf_counter()
                    engine.ask(question, filters=given)
                    spent.append((time.perf_counter() - t0) * 1000)
            report["filtered"][name] = {"passing": passing, "latency_ms": qb.percentiles(spent)}
            print(name, json.dumps(report["filtered"][name]), file=sys.stderr, flush=True)
    finally:
        engine.close()
    if http:
        report["http"] = qb.http(index, asked, loops, clients, "tantivy")
    return report


def ab_envs(
    index: Path,
    base_code: Path | None,
    impact: bool = False,
    tier: bool = False,
    tier_above: int | None = None,
) -> dict[str, dict[str, str]]:
    """The two servers' environments: ``this`` (this code; with ``impact``,
    ``CQA_IMPACT_INDEX=1``, refused unless the index folder holds an impact index of its
    store's generation, so that the server does take its searches from it) and ``base``
    (``base_code``'s checkout, else this code with the setting off).  With ``tier`` (stop
    33) both have the impact index on: ``this`` as served (above ``CQA_IMPACT_TIER_ABOVE``
    passages, ``tier_above`` if given, its tier, mapped when saved at the served size),
    ``base`` with the exact first pass (the threshold above any index)."""
    from qa_service.serving import child_env

    impact = impact or tier
    if impact:
        from index.impact import open_current

        store = Store.open(index)
        try:
            current = open_current(index, store.generation())
        finally:
            store.close()
        if current is None:
            raise ValueError(f"{index} holds no impact index of its store's generation")
    envs = {"this": child_env(embedder="model"), "base": child_env(embedder="model")}
    if impact:
        envs["this"]["CQA_IMPACT_INDEX"] = "1"
    if tier:
        envs["base"]["CQA_IMPACT_INDEX"] = "1"
        envs["base"]["CQA_IMPACT_TIER_ABOVE"] = str(EXACT_ABOVE)
        if tier_above is not None:
            envs["this"]["CQA_IMPACT_TIER_ABOVE"] = str(tier_above)
    if base_code is not None:
        envs["base"]["PYTHONPATH"] = str(base_code)
    for env in envs.values():
        env.pop("OMP_NUM_THREADS", None)
    return envs


def served_tier_of(index: Path, above: int | None = None) -> dict[str, Any]:
    """What a server with ``CQA_IMPACT_INDEX`` on serves of ``index``'s impact index: the
    passages, the served threshold (``above``, else the setting's default) and tier size,
    whether the tier is served at all and whether it is saved (mapped, not built at start)."""
    from index.impact import FOLDER, tier_size
    from index.impact_pruned import TIER_FILE
    from qa_service.config import Settings

    fields = Settings.model_fields
    above = int(fields["impact_tier_above"].default) if above is None else above
    share = float(fields["impact_tier_share"].default)
    meta = json.loads((index / FOLDER / "words.json").read_text(encoding="utf-8"))
    passages = int(meta["passages"])
    n = tier_size(passages, share)
    return {
        "passages": passages,
        "above": above,
        "n": n,
        "served": 0 < above < passages,
        "saved": (index / FOLDER / TIER_FILE.format(n=n) / "n").exists(),
    }


def http_ab(
    index: Path,
    loops: int,
    base_code: Path | None,
    impact: bool = False,
    tier: bool = False,
    tier_above: int | None = None,
) -> dict[str, Any]:
    """``POST /api/ask`` against two ``cqa serve`` of the same index at once, one running
    this code and one ``base_code`` (a checkout of the code to compare with), or with
    ``impact`` both this code, ``this`` with the impact index on (``CQA_IMPACT_INDEX``) and
    ``base`` with it off, or with ``tier`` the impact index on in both, ``this`` with its
    tier as served and ``base`` without (``ab_envs``): each question put to both, in a
    shuffled order per question,
    ``loops`` times after one warm-up pass, one client; the servers share the page cache,
    so both see it in the same state."""
    import random

    import httpx
    import psutil

    from bench import query_bench as qb
    from qa_service.serving import serving

    asked = _questions()
    envs = ab_envs(index, base_code, impact, tier, tier_above)
    spent: dict[str, list[float]] = {name: [] for name in envs}
    report: dict[str, Any] = {
        "index": str(index),
        "base_code": str(base_code),
        "impact": impact or tier,
        "tier": tier,
        "tier_above": tier_above,
    }
    if tier:
        report["tier_server"] = served_tier_of(index, tier_above)
    started: dict[str, float] = {}
    rng = random.Random(0)
    begun = time.perf_counter()
    with (
        serving(index, env=envs["this"], timeout=900) as this,
        _started(started, "this"),
        serving(index, env=envs["base"], timeout=900, cwd=base_code) as base,
        _started(started, "base"),
    ):
        urls = {"this": this.url, "base": base.url}
        with httpx.Client(timeout=120) as client:
            for question in asked:  # warm-up
                for url in urls.values():
                    client.post(f"{url}/api/ask", json={"question": question})
            for _ in range(loops):
                for question in asked:
                    order = list(urls)
                    rng.shuffle(order)
                    for name in order:
                        t0 = time.perf_counter()
                        response = client.post(f"{urls[name]}/api/ask", json={"question": question})
                        spent[name].append((time.perf_counter() - t0) * 1000)
                        response.raise_for_status()
        for name, server in (("this", this), ("base", base)):
            rss = psutil.Process(server.process.pid).memory_info().rss
            report[f"{name}_rss_mb"] = round(rss / 2**20, 1)
    report["up_s"] = {  # the second server's start-up began when the first was up
        "this": round(started["this"] - begun, 1),
        "base": round(started["base"] - started["this"], 1),
    }
    for name, values in spent.items():
        report[name] = qb.percentiles(values)
    report["ratio_p50"] = round(report["this"]["p50"] / report["base"]["p50"], 3)
    report["ratio_p95"] = round(report["this"]["p95"] / report["base"]["p95"], 3)
    return report


@contextlib.contextmanager
def _started(started: dict[str, float], name: str) -> Iterator[None]:
    """Note when the server before this in a ``with`` answered (``serving`` waits for it)."""
    started[name] = time.perf_counter()
    yield


def main(argv: list[str] | None = None) -> int:
    """``build``, ``lexical``, ``serve`` or ``http-ab``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("build", "lexical", "serve", "http-ab"))
    parser.add_argument("--passages", type=int, default=3_000_000)
    parser.add_argument("--direct", type=int, default=DIRECT)
    parser.add_argument("--out", type=Path, default=Path("/tmp/scale-text"))
    parser.add_argument("--dense-base", type=Path, help="bench.scale_ondisk's folder")
    parser.add_argument("--index", type=Path, help="serve: the built index")
    parser.add_argument("--loops", type=int, default=2)
    parser.add_argument("--truth", type=Path, help="serve: scale_ondisk's truth.npz, for recall")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument(
        "--http-only",
        action="store_true",
        help="serve: only /api/ask over HTTP, added to the index's serve.json",
    )
    parser.add_argument("--no-lexical", action="store_true", help="build: leave tantivy")
    parser.add_argument(
        "--no-sentence-hash-index",
        action="store_true",
        help="build: leave out the sentences' embed_hash index (a writer's; ~1.2 GB at 10M)",
    )
    parser.add_argument(
        "--base-code", type=Path, help="http-ab: a checkout of the code to compare with"
    )
    parser.add_argument(
        "--impact-ab",
        action="store_true",
        help="http-ab: this code with CQA_IMPACT_INDEX on against it off (the index's impact/)",
    )
    parser.add_argument(
        "--tail",
        help="build: copies rewritten with the vocabulary's tail (bench.synth_tail), "
        "'word=R,name=R,number=R;slope=S;head=H'",
    )
    parser.add_argument(
        "--tier-ab",
        action="store_true",
        help="http-ab: CQA_IMPACT_INDEX on in both, the served tier against the exact first pass",
    )
    parser.add_argument(
        "--tier-above",
        type=int,
        help="http-ab --tier-ab: CQA_IMPACT_TIER_ABOVE of the tier's server (a trial's size)",
    )
    parser.add_argument("--out-json", type=Path, help="http-ab, serve: also write the report here")
    parser.add_argument(
        "--sentence-codec",
        choices=sentence_codec.CODECS,
        default="int8",
        help="build: the sentence vectors' codec (pq96 fits 10M on a 60 GB disk)",
    )
    args = parser.parse_args(argv)
    if args.step == "build":
        args.out.mkdir(parents=True, exist_ok=True)
        target = build(
            args.out,
            args.passages,
            args.direct,
            args.dense_base,
            not args.no_lexical,
            args.sentence_codec,
            not args.no_sentence_hash_index,
            args.tail,
        )
        print((target / "build.json").read_text())
        return 0
    index = args.index or args.out / str(args.passages)
    if args.step == "lexical":  # tantivy (re)built from the store, timed, into build.json
        t0 = time.perf_counter()
        scale.ensure_lexical(index)
        built = json.loads((index / "build.json").read_text(encoding="utf-8"))
        built["tantivy_s"] = round(time.perf_counter() - t0, 1)
        built["bytes"]["lexical"] = _size(index / "lexical")
        (index / "build.json").write_text(json.dumps(built, indent=1), encoding="utf-8")
        print(json.dumps(built, indent=1))
        return 0
    if args.step == "http-ab":
        if args.base_code is None and not (args.impact_ab or args.tier_ab):
            parser.error("http-ab needs --base-code, --impact-ab or --tier-ab")
        ab = http_ab(
            index, args.loops, args.base_code, args.impact_ab, args.tier_ab, args.tier_above
        )
        if args.out_json is not None:
            args.out_json.write_text(json.dumps(ab, indent=1), encoding="utf-8")
        print(json.dumps(ab, indent=1))
        return 0
    if args.http_only:  # the in-process part kept from an earlier run
        from bench import query_bench as qb

        kept = index / "serve.json"
        result = json.loads(kept.read_text(encoding="utf-8")) if kept.exists() else {}
        asked = _questions()
        result["http"] = qb.http(index, asked, args.loops, args.clients, "tantivy")
    else:
        result = serve(index, args.loops, args.clients, not args.no_http, args.truth)
    (index / "serve.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    if args.out_json is not None:
        args.out_json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
