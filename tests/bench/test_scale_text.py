"""bench.scale_text and bench.scale_lexical at small sizes: a copied-up index with sentences
and an on-disk dense base is one the engine opens; the lexical comparison reports both ways."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from bench import scale, scale_lexical, scale_text
from cqa_core.limits import IngestLimits
from index.dense_ondisk import OnDiskDenseIndex
from index.embedder import HashingEmbedder
from index.store import DB_NAME, Filters
from qa_service.retriever import Engine

pytestmark = pytest.mark.usefixtures("one_faiss_thread")


@pytest.fixture
def direct(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A direct index of ~60 passages with int8 sentence vectors."""
    monkeypatch.setattr(scale, "DIRECT_MAX", 60)
    monkeypatch.setattr(scale, "BASE_SAMPLE", 20)
    limits = IngestLimits(sentence_codec="int8")
    return scale.build(60, tmp_path, base_embedder=HashingEmbedder(), log=False, limits=limits)


def _rows(index: Path, sql: str) -> int:
    db = sqlite3.connect(index / DB_NAME)
    try:
        return int(db.execute(sql).fetchone()[0])
    finally:
        db.close()


def test_copies_reach_exactly_the_size_asked_and_resume(direct: Path, tmp_path: Path) -> None:
    import shutil

    count = _rows(direct, "SELECT count(*) FROM passages")
    target = tmp_path / "big"
    shutil.copytree(direct, target, ignore=shutil.ignore_patterns("READY", "write.lock"))
    scale_text.copy_to(target, direct, 2 * count, time.perf_counter())  # stopped after 2
    assert _rows(target, "SELECT max(id) FROM passages") == 2 * count
    wanted = 3 * count + count // 2
    scale_text.copy_to(target, direct, wanted, time.perf_counter())  # resumed, last trimmed
    assert _rows(target, "SELECT count(*) FROM passages") == wanted
    assert _rows(target, "SELECT max(id) FROM passages") == wanted
    assert _rows(target, f"SELECT count(*) FROM sentences WHERE passage > {wanted}") == 0
    sizes = _rows(target, "SELECT count(DISTINCT length(embedding)) FROM sentences")
    assert sizes == 1  # copied as stored: int8, like the direct index's
    assert _rows(target, "SELECT count(*) FROM sqlite_master WHERE name LIKE '%embed_hash%'") == 2

    scale_text.commit_dense(target, None, time.perf_counter())
    embedder = HashingEmbedder()
    engine = Engine(target, embedder)
    try:
        assert isinstance(engine.dense, OnDiskDenseIndex) and engine.dense.count() == wanted
        assert engine.lexical.count() == wanted  # rebuilt from the store on first open
        assert engine.ask("the committee noted the report", top_k=5).hits
        council = engine.store.facet_values("council")[-1]
        answer = engine.ask(
            "budget", top_k=3, infer_filters=False, filters=Filters(council=(council,))
        )
        assert all(h.passage.document.meta.council == council for h in answer.hits)
    finally:
        engine.close()


def test_the_lexical_comparison_builds_and_searches_both_ways(direct: Path, tmp_path: Path) -> None:
    report = scale_lexical.run(direct, 400, 2, 2, tmp_path / "lex", loops=1)
    assert set(report["build_s"]) == {"one_1thread", "one_2threads", "2shards_parallel"}
    assert set(report["search_ms"]) == {"one", "2shards_sequential", "2shards_parallel"}
    assert all(v["n"] > 0 for v in report["search_ms"].values())
    assert 0.0 <= report["shards_top10_kept"] <= 1.0
    assert len(report["segments"]["shards"]) == 2


def test_copies_without_vectors_take_a_dense_base_of_the_same_ids(
    direct: Path, tmp_path: Path
) -> None:
    """With a dense base (``--dense-base``) the copies are made in SQL with no passage vector:
    every row as the source holds it, and the base's commit leaves no float32 vector."""
    import shutil

    import numpy as np

    from index.ondisk_build import build_base

    count = _rows(direct, "SELECT count(*) FROM passages")
    target = tmp_path / "big"
    shutil.copytree(direct, target, ignore=shutil.ignore_patterns("READY", "write.lock"))
    hashed = "SELECT count(*) FROM sqlite_master WHERE name LIKE '%embed_hash%'"
    scale_text.copy_to(target, direct, 2 * count, time.perf_counter(), False, False)
    assert _rows(target, hashed) == 1  # the sentences' left out, the passages' made again
    assert _rows(target, hashed.replace("%embed_hash%", "passages_embed_hash")) == 1
    wanted = 3 * count + count // 2
    scale_text.copy_to(target, direct, wanted, time.perf_counter(), vectors=False)  # resumed
    assert _rows(target, hashed) == 2  # made again
    assert _rows(target, "SELECT count(*) FROM passages") == wanted
    assert _rows(target, "SELECT max(id) FROM passages") == wanted
    assert _rows(target, "SELECT count(*) FROM passage_vectors") == count  # the direct's own
    db = sqlite3.connect(target / DB_NAME)
    try:
        columns = "text, heading, ordinal, char_start, char_end, page, embed_hash, is_table"
        source = db.execute(f"SELECT {columns} FROM passages WHERE id <= ? ORDER BY id", (count,))
        rows = source.fetchall()
        for copy in (1, 2):
            copied = db.execute(
                f"SELECT {columns} FROM passages WHERE id > ? AND id <= ? ORDER BY id",
                (copy * count, (copy + 1) * count),
            ).fetchall()
            assert copied == rows  # the text read through the view: the copied document's slice
        for table in ("sentences", "decisions", "commitments"):
            per_copy = db.execute(
                f"SELECT count(*) FROM {table} WHERE passage <= ?", (count,)
            ).fetchone()[0]
            copied = db.execute(
                f"SELECT count(*) FROM {table} WHERE passage > ? AND passage <= ?",
                (count, 2 * count),
            ).fetchone()[0]
            assert copied == per_copy
            beyond = f"SELECT count(*) FROM {table} WHERE passage > ?"
            assert db.execute(beyond, (wanted,)).fetchone()[0] == 0
        councils = db.execute("SELECT count(DISTINCT council) FROM documents").fetchone()[0]
        assert councils > _rows(direct, "SELECT count(DISTINCT council) FROM documents")
    finally:
        db.close()

    # a dense base over the same ids 1..wanted, as bench.scale_ondisk builds it
    base_dir = tmp_path / "ondisk"
    base_dir.mkdir()
    rng = np.random.default_rng(0)
    dim = _rows(target, "SELECT value FROM meta WHERE key = 'dim'")
    vectors = rng.standard_normal((wanted, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = np.arange(1, wanted + 1, dtype=np.int64)
    folder = build_base(base_dir, vectors, [(ids, vectors)], nlist=4, count_hint=wanted)
    (base_dir / "base").write_text(folder.name, encoding="utf-8")
    scale_text.commit_dense(target, base_dir, time.perf_counter())
    assert _rows(target, "SELECT count(*) FROM passage_vectors") == 0
    engine = Engine(target, HashingEmbedder())
    try:
        assert isinstance(engine.dense, OnDiskDenseIndex) and engine.dense.count() == wanted
        assert engine.lexical.count() == wanted
        assert engine.ask("the committee noted the report", top_k=5).hits
    finally:
        engine.close()


def test_the_impact_ab_serves_one_side_with_the_impact_index_of_the_store(direct: Path) -> None:
    """``http-ab --impact-ab``: this code on both sides, the impact index on one; refused
    when the index holds none of its store's generation (the server would use tantivy)."""
    pytest.importorskip("numba")
    from index.impact import FOLDER, build_ranges
    from index.lexical_folder import analyzer
    from index.lexical_tantivy import store_texts
    from index.store import Store

    with pytest.raises(ValueError, match="no impact index"):
        scale_text.ab_envs(direct, None, impact=True)
    store = Store.open(direct)
    try:
        generation = store.generation()
        build_ranges(store_texts(store), analyzer(), direct / FOLDER, generation=generation - 1)
        with pytest.raises(ValueError, match="no impact index"):  # stale
            scale_text.ab_envs(direct, None, impact=True)
        build_ranges(store_texts(store), analyzer(), direct / FOLDER, generation=generation)
    finally:
        store.close()
    envs = scale_text.ab_envs(direct, None, impact=True)
    assert envs["this"]["CQA_IMPACT_INDEX"] == "1"
    assert "CQA_IMPACT_INDEX" not in envs["base"]
    assert envs["this"]["PYTHONPATH"] == envs["base"]["PYTHONPATH"]  # the same code
    assert "CQA_IMPACT_INDEX" not in scale_text.ab_envs(direct, Path("/tmp/x"))["this"]


def test_copies_with_a_tail_are_distinct_texts_of_the_same_lengths(
    direct: Path, tmp_path: Path
) -> None:
    """``--tail``: every copy (the direct index's rows too) rewritten with the vocabulary's
    tail (``bench.synth_tail``): each passage keeps its length and its sentences', decisions'
    and commitments' offsets, no two copies are the same text, the vocabulary grows; a
    resumed build goes on with the same tail and refuses another."""
    import re
    import shutil

    count = _rows(direct, "SELECT count(*) FROM passages")
    target = tmp_path / "tail"
    shutil.copytree(direct, target, ignore=shutil.ignore_patterns("READY", "write.lock"))
    spec = "word=0.5,name=0.5,number=0.5;slope=1.5;head=20"
    scale_text.copy_to(target, direct, 2 * count, time.perf_counter(), False, False, spec)
    wanted = 3 * count + count // 2
    with pytest.raises(ValueError, match="rewritten with tail"):
        scale_text.copy_to(target, direct, wanted, time.perf_counter(), False, False, "word=1")
    scale_text.copy_to(target, direct, wanted, time.perf_counter(), False, False, spec)
    src, db = sqlite3.connect(direct / DB_NAME), sqlite3.connect(target / DB_NAME)
    try:
        rows = src.execute("SELECT id, text FROM passages ORDER BY id").fetchall()
        words = re.compile(r"[^\W_]+")
        before = {w.lower() for _, t in rows for w in words.findall(t)}
        after: set[str] = set()
        texts = [t for _, t in rows]
        for copy in range(4):
            got = db.execute(
                "SELECT id, text FROM passages WHERE id > ? AND id <= ? ORDER BY id",
                (copy * count, (copy + 1) * count),
            ).fetchall()
            assert [len(t) for _, t in got] == [len(t) for t in texts[: len(got)]]
            assert [t for _, t in got] != texts[: len(got)]  # copy 0 too: rewritten in place
            after |= {w.lower() for _, t in got for w in words.findall(t)}
        assert len(after) > 2 * len(before)
        seen = {t for (t,) in db.execute("SELECT text FROM passages")}
        assert len(seen) > 0.9 * wanted  # no copies
        # every document keeps its length, so every offset the store holds beside the
        # passages (sentences, decisions, commitments) points at the same characters
        lengths = src.execute(
            "SELECT doc_rowid, length(text) FROM documents ORDER BY doc_rowid"
        ).fetchall()
        max_doc = max(d for d, _ in lengths)
        for copy in range(4):
            got = db.execute(
                "SELECT doc_rowid - ?, length(text) FROM documents WHERE doc_rowid > ? "
                "AND doc_rowid <= ? ORDER BY doc_rowid",
                (copy * max_doc, copy * max_doc, (copy + 1) * max_doc),
            ).fetchall()
            assert got == lengths[: len(got)] and got
    finally:
        src.close()
        db.close()
    plain = tmp_path / "plain"
    shutil.copytree(direct, plain, ignore=shutil.ignore_patterns("READY", "write.lock"))
    scale_text.copy_to(plain, direct, 2 * count, time.perf_counter(), False, False)
    db = sqlite3.connect(plain / DB_NAME)
    try:  # the default is unchanged: copies
        got = [t for (t,) in db.execute("SELECT text FROM passages ORDER BY id")]
        assert got[:count] == texts and got[count:] == texts
    finally:
        db.close()


def test_the_tier_ab_serves_the_impact_index_on_both_sides_the_tier_on_one(
    direct: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``http-ab --tier-ab``: both servers take the impact index; the engine of ``this``'s
    environment serves the tier (mapped from the saved one, at ``--tier-above``), the
    engine of ``base``'s the exact first pass; ``served_tier_of`` says so beforehand."""
    pytest.importorskip("numba")
    from index.impact import FOLDER, build_ranges, open_served, tier_size
    from index.impact_pruned import TIER_FILE
    from index.lexical_folder import analyzer
    from index.lexical_tantivy import store_texts
    from index.store import Store
    from qa_service.config import Settings

    store = Store.open(direct)
    try:
        generation = store.generation()
        build_ranges(store_texts(store), analyzer(), direct / FOLDER, generation=generation)
        passages = int(store.conn.execute("SELECT count(*) FROM passage_rows").fetchone()[0])
    finally:
        store.close()
    share = Settings.model_fields["impact_tier_share"].default
    n = tier_size(passages, share)
    envs = scale_text.ab_envs(direct, None, tier=True, tier_above=passages - 1)
    assert envs["this"]["CQA_IMPACT_INDEX"] == envs["base"]["CQA_IMPACT_INDEX"] == "1"
    assert scale_text.served_tier_of(direct, passages - 1) == {
        "passages": passages, "above": passages - 1, "n": n, "served": True, "saved": False,
    }  # fmt: skip
    assert not scale_text.served_tier_of(direct)["served"]  # the default: above the trial
    from index.impact import ImpactIndex

    tier = ImpactIndex.load(direct / FOLDER).with_tier(n).tier
    assert tier is not None
    tier.save(direct / FOLDER / TIER_FILE.format(n=n))
    assert scale_text.served_tier_of(direct, passages - 1)["saved"]
    served = {}
    for name, env in envs.items():
        for key in [k for k in env if k.startswith("CQA_IMPACT")]:
            monkeypatch.setenv(key, env[key])
        if "CQA_IMPACT_TIER_ABOVE" not in env:
            monkeypatch.delenv("CQA_IMPACT_TIER_ABOVE", raising=False)
        settings = Settings(index=direct)
        assert settings.impact_index
        served[name] = open_served(
            direct, generation, settings.impact_tier_above, settings.impact_tier_share
        )
    assert served["this"] is not None and served["this"].tier is not None
    assert served["this"].tier.n == n and served["this"].approximate
    assert served["base"] is not None and served["base"].tier is None
