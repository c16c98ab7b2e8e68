"""Benchmark indexes of 10k, 100k and 1M passages, built once and kept in ``bench/out/scale``.

Up to ``DIRECT_MAX`` passages an index is built the ordinary way: a synthetic corpus
(``bench.synth``) goes through ``IndexWriter``, with ``SampledEmbedder`` in place of the
model.  Its base vectors are the real model's embeddings of a sample of the corpus's own
passages (``BASE_SAMPLE`` of them, embedded in the run and kept in ``base.npy``), so the
vectors have real statistics and the passage text and metadata are real ingest output.

Ingest costs 3-6 ms a passage besides the model, so a million passages that way would take
over an hour.  Larger indexes are copied up from the ``DIRECT_MAX`` one instead
(``copy_up``): its documents, passages, sentences, decisions and full-text rows are copied
in SQL under new ids, with other council names and shifted meeting dates, every passage and
sentence vector freshly perturbed, and the dense index (an inverted file at that size) and
the tantivy index rebuilt from the store, so ``Engine`` and ``cqa serve`` open it as any
other.

    python -m bench.scale --sizes 10000,100000,1000000 [--rebuild]
"""

from __future__ import annotations

import argparse
import itertools
import random
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench import synth  # noqa: E402
from bench import synth_vocab as V  # noqa: E402
from bench.sampled import SampledEmbedder  # noqa: E402
from index.dense import EXACT_MAX, DenseIndex, _trained_ivf, dense_file_name, nlist_for  # noqa: E402
from index.embedder import Embedder, bundled_model_path, model_name  # noqa: E402
from index.lexical_tantivy import TantivyIndex, read_state  # noqa: E402
from index.lock import write_lock  # noqa: E402
from index.store import DB_NAME, Store  # noqa: E402
from indexing.embed_batch import embed_text  # noqa: E402
from indexing.writer import IndexWriter  # noqa: E402
from ingest.pipeline import IngestLimits, discover, process_file  # noqa: E402

OUT = REPO_ROOT / "bench" / "out" / "scale"
DIRECT_MAX = 100_000  # larger sizes are copied up from an index of this many passages
BASE_SAMPLE = 800  # passages the real model embeds to give the sampled vectors their base
COPY_COSINE = 0.95  # a copied vector's cosine to the one it was copied from
_CHUNK = 20_000


def write_corpus(out: Path, passages: int, seed: int = 0) -> int:
    """The synthetic corpus behind every benchmark index (the one place to change it)."""
    return synth.write_corpus(out, passages, seed, formats=("txt", "html"))


def base_vectors(corpus: Path, embedder: Embedder | None = None) -> np.ndarray:
    """Real embeddings of the first ``BASE_SAMPLE`` passages of ``corpus``."""
    texts: list[str] = []
    files, _ = discover([corpus])
    for path, meta in files:
        texts.extend(embed_text(p) for p in process_file(path, meta).passages)
        if len(texts) >= BASE_SAMPLE:
            break
    if embedder is None:
        from index.embedder import SentenceTransformerEmbedder

        embedder = SentenceTransformerEmbedder()
    return np.asarray(embedder.encode(texts[:BASE_SAMPLE]), dtype=np.float32)


def index_dir(size: int, root: Path = OUT) -> Path:
    """Where the index of ``size`` passages is kept."""
    return root / str(size)


def _ready(directory: Path) -> bool:
    return (directory / DB_NAME).exists() and (directory / "READY").exists()


def build(
    size: int,
    root: Path = OUT,
    rebuild: bool = False,
    base_embedder: Embedder | None = None,
    log: bool = True,
    limits: IngestLimits | None = None,
) -> Path:
    """The index of about ``size`` passages, built unless a finished one is kept
    (``limits``: the ingest's, e.g. the sentence vectors' codec)."""
    target = index_dir(size, root)
    if _ready(target) and not rebuild:
        ensure_lexical(target, log)  # a kept index whose tantivy side is out of step
        return target
    if target.exists():
        shutil.rmtree(target)
    started = time.perf_counter()
    if size <= DIRECT_MAX:
        _ingest(size, target, root, base_embedder, log, limits)
    else:
        source = build(DIRECT_MAX, root, rebuild=False, base_embedder=base_embedder, log=log)
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("READY", "write.lock"))
        copy_up(target, max(2, round(size / _passages(source))), log=log)
    ensure_lexical(target, log)
    (target / "READY").write_text(f"{time.perf_counter() - started:.1f}\n", encoding="utf-8")
    if log:
        print(f"built {target} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return target


def ensure_lexical(directory: Path, log: bool = True) -> None:
    """Bring the tantivy index up to the store's last commit (rebuilt from its tables)."""
    started = time.perf_counter()
    store = Store.open(directory)
    try:
        generation = store.generation()
        rebuilt = read_state(directory) != (generation, generation)
        with write_lock(directory):
            TantivyIndex.load(directory, store, writer=True).close()
    finally:
        store.close()
    if rebuilt and log:
        print(f"tantivy index in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def _passages(directory: Path) -> int:
    store = Store.open(directory)
    try:
        return store.stats().passages
    finally:
        store.close()


def _ingest(
    size: int,
    target: Path,
    root: Path,
    base_embedder: Embedder | None,
    log: bool,
    limits: IngestLimits | None = None,
) -> None:
    corpus = root / f"corpus-{size}"
    if corpus.exists():
        shutil.rmtree(corpus)
    write_corpus(corpus, size)
    base_file = root / "base.npy"
    if base_file.exists():
        base = np.load(base_file)
    else:
        base = base_vectors(corpus, base_embedder)
        np.save(base_file, base)
    name = model_name(bundled_model_path()) if base_embedder is None else base_embedder.name
    writer = IndexWriter(target, SampledEmbedder(base, name), limits, commit_every=2000)
    with writer.open():
        summary = writer.ingest([corpus])
    if log:
        print(
            f"ingested {summary.passages_total} passages in {summary.seconds:.0f} s",
            file=sys.stderr,
        )
    shutil.rmtree(corpus)


# --- copying up -----------------------------------------------------------------------


def _perturbed(blobs: list[bytes], rng: np.random.Generator, dim: int) -> Iterator[bytes]:
    """Each stored vector moved to about ``COPY_COSINE`` from itself, renormalised."""
    if not blobs:
        return iter(())
    vectors = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), dim)
    sigma = float(np.sqrt((1.0 / COPY_COSINE**2 - 1.0) / dim))
    moved = vectors + rng.normal(0.0, sigma, vectors.shape).astype(np.float32)
    moved /= np.linalg.norm(moved, axis=1, keepdims=True)
    return (row.tobytes() for row in moved)


def copy_up(
    directory: Path, factor: int, seed: int = 0, log: bool = True, exact_max: int = EXACT_MAX
) -> None:
    """Make the index in ``directory`` ``factor`` times larger (see the module notes)."""
    store = Store.open(directory)
    store.close()  # only to check it is an index of this version
    db = sqlite3.connect(directory / DB_NAME, isolation_level=None)
    dim = int(db.execute("SELECT value FROM meta WHERE key = 'dim'").fetchone()[0])
    max_doc = int(db.execute("SELECT max(doc_rowid) FROM documents").fetchone()[0])
    max_id = int(db.execute("SELECT max(id) FROM passages").fetchone()[0])
    councils = [r[0] for r in db.execute("SELECT DISTINCT council FROM documents ORDER BY 1")]
    started = time.perf_counter()
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA foreign_keys = OFF")
    used = set(councils)
    db.execute("CREATE TEMP TABLE names (old TEXT PRIMARY KEY, new TEXT NOT NULL)")
    for copy in range(1, factor):
        fresh = _new_councils(seed + copy, len(councils), used)
        _copy_once(db, copy, seed, dim, list(zip(councils, fresh, strict=True)), max_doc, max_id)
        if log:
            print(
                f"copy {copy}/{factor - 1} in {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
    db.execute("BEGIN")
    db.execute("UPDATE vocabulary SET df = df * ?", (factor,))
    db.execute("COMMIT")
    db.close()
    _rebuild_dense(directory, log, exact_max)


def copy_documents(db: sqlite3.Connection, copy: int, max_doc: int) -> None:
    """Copy number ``copy`` of the first ``max_doc`` documents, inside the caller's
    transaction: new council names (the ``names`` table), meeting dates shifted by 41 days a
    copy, ids offset by ``copy * max_doc``."""
    db.execute(
        "INSERT INTO documents(doc_rowid, document_id, source, path, content_hash, title, "
        "council, committee, meeting_date, doc_type, source_url, supersedes, text, "
        "page_starts, given_meta, ingested_at) "
        "SELECT doc_rowid + ?, document_id || ?, source, path, content_hash, title, "
        "coalesce((SELECT new FROM names WHERE old = council), council), committee, "
        "date(meeting_date, ?), doc_type, source_url, "
        "supersedes, text, page_starts, "
        "given_meta, ingested_at FROM documents WHERE doc_rowid <= ?",
        (copy * max_doc, f"-{copy}", f"+{copy * 41} days", max_doc),
    )


def _copy_once(
    db: sqlite3.Connection,
    copy: int,
    seed: int,
    dim: int,
    names: list[tuple[str, str]],
    max_doc: int,
    max_id: int,
    perturb_sentences: bool = True,
) -> None:
    """Copy number ``copy`` of the first ``max_id`` passages, in one transaction
    (``perturb_sentences`` False: sentence vectors copied as stored, in SQL, whatever their
    codec, which is much faster for the millions of rows of a large copy)."""
    rng = np.random.default_rng([seed, copy])
    db.execute("DELETE FROM names")
    db.executemany("INSERT INTO names VALUES (?, ?)", names)
    d_off, p_off = copy * max_doc, copy * max_id
    db.execute("BEGIN")
    copy_documents(db, copy, max_doc)
    _copy_rows(
        db,
        "SELECT id, passage_id, doc_rowid, ordinal, char_start, char_end, page, heading, "
        "text, embed_hash, embedding FROM passages WHERE id <= ? ORDER BY id",
        (max_id,),
        "INSERT INTO passages(id, passage_id, doc_rowid, ordinal, char_start, char_end, "
        "page, heading, text, embed_hash, embedding) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        lambda rows: [
            (r[0] + p_off, f"{r[1]}-{copy}", r[2] + d_off, *r[3:10], v)
            for r, v in zip(rows, _perturbed([r[10] for r in rows], rng, dim), strict=True)
        ],
    )
    if not perturb_sentences:
        # through the index on passage: ORDER BY rowid made SQLite scan the whole table
        # (7 GB at 2M passages) to copy the first 155k rows
        db.execute(
            "INSERT INTO sentences(passage, start_char, end_char, embed_hash, embedding) "
            "SELECT passage + ?, start_char, end_char, embed_hash, embedding FROM sentences "
            "WHERE passage <= ? ORDER BY passage",
            (p_off, max_id),
        )
    else:
        _copy_rows(
            db,
            "SELECT passage, start_char, end_char, embed_hash, embedding FROM sentences "
            "WHERE passage <= ? ORDER BY rowid",
            (max_id,),
            "INSERT INTO sentences(passage, start_char, end_char, embed_hash, embedding) "
            "VALUES (?,?,?,?,?)",
            lambda rows: [
                (r[0] + p_off, r[1], r[2], r[3], v)
                for r, v in zip(rows, _perturbed([r[4] for r in rows], rng, dim), strict=True)
            ],
        )
    db.execute(
        "INSERT INTO decisions(passage, kind, char_start, char_end, text) "
        "SELECT passage + ?, kind, char_start, char_end, text FROM decisions "
        "WHERE passage <= ?",
        (p_off, max_id),
    )
    db.execute("COMMIT")


def _new_councils(seed: int, count: int, used: set[str]) -> list[str]:
    """``count`` council names, in the synthetic corpus's style, not in ``used`` (which gains
    them); numbered once the vocabulary's combinations run out."""
    names = [
        f"{stem}{end} {kind}"
        for stem, end, kind in itertools.product(V.PLACE_STEMS, V.PLACE_ENDS, V.COUNCIL_KINDS)
    ]
    random.Random(seed).shuffle(names)
    fresh = [n for n in dict.fromkeys(names) if n not in used][:count]
    fresh += [f"{names[i % len(names)]} {seed}-{i}" for i in range(count - len(fresh))]
    used.update(fresh)
    return fresh


def _copy_rows(
    db: sqlite3.Connection,
    select: str,
    args: tuple[object, ...],
    insert: str,
    transform: Callable[[list[Any]], list[tuple[Any, ...]]],
) -> None:
    """Copy rows in chunks through ``transform`` (rows -> rows to insert)."""
    cursor = db.cursor()
    cursor.execute(select, args)
    while rows := cursor.fetchmany(_CHUNK):
        db.executemany(insert, transform(rows))


def _rebuild_dense(directory: Path, log: bool = True, exact_max: int = EXACT_MAX) -> None:
    """Build the dense index from the stored vectors, and commit it as the next generation."""
    started = time.perf_counter()
    store = Store.open(directory)
    try:
        count = store.stats().passages
        dim = int(store.get_meta("dim") or 0)
        db = store.conn
        if count <= exact_max:
            dense = DenseIndex.empty(dim, store)
        else:  # trained on an even sample, then filled in chunks: 1M vectors are 1.5 GB
            nlist = nlist_for(count)
            step = max(1, count // (nlist * 64))
            blobs = db.execute("SELECT embedding FROM passages WHERE id % ? = 0", (step,))
            sample = np.frombuffer(b"".join(r[0] for r in blobs), dtype=np.float32)
            dense = DenseIndex(_trained_ivf(sample.reshape(-1, dim), nlist), store)
        cursor = db.execute("SELECT id, embedding FROM passages ORDER BY id")
        while rows := cursor.fetchmany(_CHUNK):
            ids = np.array([r[0] for r in rows], dtype=np.int64)
            vectors = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32)
            dense.add_vectors(ids, vectors.reshape(len(rows), dim))
        generation = store.generation() + 1
        name = dense_file_name(generation)
        dense.write_file(directory / name)
        old = store.get_meta("dense_file")
        with store.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('generation', ?), "
                "('dense_file', ?)",
                (str(generation), name),
            )
        if old and old != name:
            (directory / old).unlink(missing_ok=True)
    finally:
        store.close()
    if log:
        print(
            f"dense {dense.kind} over {count} vectors in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )


def main(argv: list[str] | None = None) -> int:
    """Build (or reuse) the indexes of the sizes asked for; prints their folders."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--rebuild", action="store_true", help="rebuild even if kept")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    for size in (int(s) for s in args.sizes.split(",") if s.strip()):
        print(build(size, args.out, args.rebuild))
    return 0


if __name__ == "__main__":
    sys.exit(main())
