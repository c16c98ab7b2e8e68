"""The one settings class: paths, model, limits; read from ``CQA_*`` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from cqa_core.limits import DEFAULT_NPROBE, IngestLimits, SentenceCodec
from qa_service.abstention_threshold import THRESHOLD as FITTED_THRESHOLD

PROJECT_ROOT = Path(__file__).resolve().parent.parent
_INGEST = IngestLimits()  # the ingest limits' defaults, written once in cqa_core/limits.py


def _default_index() -> Path:
    # Inside the project (git-ignored) when run from a checkout, else the working folder.
    base = PROJECT_ROOT if (PROJECT_ROOT / "pyproject.toml").exists() else Path.cwd()
    return base / ".cqa-index"


def _default_model_cache() -> Path:
    if (PROJECT_ROOT / "pyproject.toml").exists():
        return PROJECT_ROOT / ".cqa-models"
    return Path.home() / ".cache" / "committee-papers-qa"


def _limit(default: int, description: str, least: int = 1) -> Any:
    """A limit's field: ``default``, never set below ``least``."""
    return Field(default=default, ge=least, description=description)


class Settings(BaseSettings):
    """Service settings; each field ``x`` can be set with the variable ``CQA_X``."""

    model_config = SettingsConfigDict(env_prefix="CQA_", env_file=None, extra="ignore")

    index: Path = Field(
        default_factory=_default_index, validate_default=True, description="index folder"
    )
    corpus: Path = Field(default=PROJECT_ROOT / "corpus", description="bundled corpus")
    model_path: Path | None = Field(
        default=None, description="a local sentence-transformers folder (default: bundled)"
    )
    query_encoder: Literal["onnx-int8", "onnx-fp32", "model"] = Field(
        default="onnx-int8",
        description="how questions are encoded: the model's ONNX export with int8 weights "
        "(fastest; cosine >= 0.98 to the model) or fp32 weights (identical vectors), run by "
        "onnxruntime, or the model itself (docs/performance.md)",
    )
    model_cache: Path = Field(
        default_factory=_default_model_cache, description="where the ONNX export is kept"
    )
    admin_token: SecretStr | None = Field(default=None, description="bearer token for writes")
    embedder: Literal["model", "hashing"] = Field(
        default="model",
        description="'model' is the real one; 'hashing' is a deterministic fake that only "
        "matches shared words, for tests and benchmarks only (its index refuses the model)",
    )

    # Retrieval
    candidates: int = Field(default=60, ge=5, description="candidates taken from each side")
    rrf_k: int = Field(default=60, ge=1)
    faiss_threads: int = Field(
        default=1,
        ge=1,
        description="OpenMP threads for one FAISS search: on 2 cores more threads only "
        "contend with the question encoder's (docs/performance.md)",
    )
    dense_concurrent: bool = Field(
        default=False,
        description="run the dense search on the encoding thread, beside the keyword "
        "search, as soon as the question's vector is ready (the same answers; gains where a "
        "second core is idle: docs/performance.md, stop 32)",
    )
    dense_nprobe: int = Field(
        default=DEFAULT_NPROBE,
        ge=1,
        description="inverted lists searched when the dense index is an IVF (large corpora)",
    )
    dense_ondisk_min: int = Field(
        default=_INGEST.dense_ondisk_min,
        ge=1,
        description="passages above which the dense index is IVF-PQ with its lists and "
        "vectors on disk (index/dense_ondisk.py), so no rebuild holds every vector in memory",
    )
    sentence_vectors: SentenceCodec = Field(
        default=_INGEST.sentence_codec,
        description="how new sentence vectors are stored: float16 halves them, int8 (one "
        "scale a vector) quarters them, pq96 / pq48 (product codes, 96 or 48 bytes) cut "
        "them to 1/16 or 1/32 at some cost to the highlight; readers take any mix "
        "(docs/performance.md)",
    )
    dense_weight: float = Field(default=1.0, ge=0)
    lexical_weight: float = Field(default=1.0, ge=0)
    # The second stage (qa_service/rerank.py): the fused candidates re-scored by a
    # weighted sum of signals; the defaults are those measured best (docs/quality.md).
    # They are written here only: rerank.Weights takes its defaults from these fields.
    rerank_depth: int = Field(default=30, ge=1, description="fused candidates re-scored")
    fusion_weight: float = 1.0
    passage_weight: float = 1.0
    sentence_weight: float = 1.0  # fitted with topic_share (above)
    coverage_weight: float = 1.0
    committee_weight: float = 0.2
    title_block_weight: float = -0.5  # fitted across councils: bench/fit_rerank.py
    decision_weight: float = 0.3
    year_weight: float = 0.8  # fitted across councils: bench/fit_rerank.py --weight year
    # fitted across councils: bench/fit_rerank.py --weight latest --ties middle (a wide grid)
    latest_weight: float = 3.0
    # the closest sentence holding the kind of answer asked for; bench/fit_rerank.py --weight answer
    answer_weight: float = 0.2
    # a key term named only in the papers' term for the question's everyday phrase;
    # bench/fit_rerank.py --weight everyday
    everyday_weight: float = 1.5
    # for "how many X", a number written right before X ("318 contacts");
    # bench/fit_rerank.py --weight count --ties middle
    count_weight: float = 0.5
    # a paper's first passage when a later one of it is also a candidate (and it is not front
    # matter already); refitted leaving one council out: bench/rank1_fit.py (stop 27)
    opening_weight: float = -0.5
    # the passage under the heading of the procedural item a question asks about (apologies,
    # the minutes of the last meeting, ...); fitted leaving one council out:
    # bench/procedural_fit.py (stop 31)
    procedural_weight: float = 0.75
    # Keyword search (index/lexical_tantivy.py); the impact index is off unless built and asked for.
    impact_index: bool = Field(
        default=False,
        description="take keyword searches from the index folder's impact index when it "
        "matches the store (index.impact; docs/performance.md, stop 25)",
    )
    # Above this many passages the impact index's first pass searches a tier of each list's
    # highest impacts and keeps its top k (an approximation, index.impact_pruned): at 1M,
    # with the three sets planted in a synthetic haystack, R@1 and answer@1 within 0.01 of
    # the exact pass (docs/performance.md, "Planted questions at 1M, stop 32"); the default
    # is above every size the tests and the shipped sets reach, where answers are exact.
    impact_tier_above: int = Field(
        default=2_000_000,
        ge=0,
        description="passages above which the impact index's first pass is approximated by "
        "a tier of each list's highest impacts (needs CQA_IMPACT_INDEX; 0: the index folder's "
        "tier_N, if any, searched exact)",
    )
    impact_tier_share: float = Field(
        default=0.0065536,
        gt=0,
        le=1,
        description="that tier's postings a list, as a share of the passages (65,536 at 10M)",
    )
    # Query understanding (qa_service/query.py); each can be turned off for an ablation.
    expand_abbreviations: bool = Field(default=True, description="spell out LAC, MASH, ...")
    correct_typos: bool = Field(default=True, description="correct words the index lacks")
    fold_duplicates: bool = Field(default=True, description="one slot per repeated paper")
    # The question's vector mixes the question as asked with the question without the
    # councils it names (a filter already), this share to the latter
    # (qa_service/retriever.py ``query_vector``); fitted across councils with the sentence
    # weight: bench/fit_rerank.py --weight sentence --setting topic_share.
    topic_share: float = Field(default=0.75, ge=0, le=1)
    # The highlighted answer sentence (qa_service/highlight.py ``SpanRule``, which takes its
    # defaults from here); fitted across councils by bench/fit_highlight.py (docs/quality.md,
    # "The answer sentence").  All five at 0 give the closest sentence, as before.  The
    # rule the fit picks on all the questions since stop 18 (after 0.2, follow 0.05; the
    # seed question the fourth pass lost to it is kept by the follow bonus's referring-back
    # reading): docs/quality.md, "The answering sentence and rank 1 on real papers, stop 22".
    # The restatement penalty 0.5 (was 1.0) and the tie margin 0.2 (was 0.1): every fold's
    # choice leaving one council out of the sets and the consumed blind batches
    # (bench/highlight_pool.py; docs/quality.md, "The highlight on new questions, stop 29").
    highlight_kind_bonus: float = 0.3  # holds the kind of answer asked for
    highlight_restate_penalty: float = 0.5  # a heading, or repeats the question
    highlight_after_bonus: float = 0.2  # follows the closest sentence when that one restates
    highlight_follow_bonus: float = 0.05  # follows the closest sentence, whatever it holds
    highlight_tie_margin: float = 0.2  # sentences as close told apart by the question's words
    # how close a neighbour must score to be shown with a one-sentence answer; fitted leaving
    # one council out over the sets and the consumed blind batches (bench/highlight_pool.py
    # margin: 25 of 32 folds 0.3, 7 0.2).  The abstention's evidence and the trend reader read
    # the core answer, whose neighbour margin stays 0.03 (``highlight.CORE_MARGIN``), so this
    # moves what is shown only (docs/quality.md, "The core answer and the shown span, stop 30")
    highlight_neighbour_margin: float = 0.3
    # Stop 25 readings of the highlight, each a switch (docs/quality.md, "Rank 1 and the
    # answering sentence, stop 25"): a figure or date the question itself gives is no answer
    highlight_own_values: bool = True
    # asked how far something moved, a sentence stating a change holds the figure asked
    highlight_change_held: bool = True
    # a name the question gives tells sentences holding the kind asked apart by itself
    highlight_names_apart: bool = True
    # a bare list item is shown with the line that leads in to its list
    highlight_item_under_lead: bool = True
    # a sentence repeating the question gives way to the next when that holds the kind too
    highlight_restated_beside: bool = True
    # Below this confidence (see README, "When the service says it cannot answer")
    # the response says answered=false under CQA_ABSTENTION=threshold;
    # bench/calibrate_abstention.py --write chooses it (qa_service/abstention_threshold.py).
    answer_threshold: float = Field(default=FITTED_THRESHOLD)
    abstention: Literal["classifier", "threshold"] = Field(
        default="classifier",
        description="how the service decides it cannot answer: the abstention classifier "
        "(qa_service/abstention.py, with a weak-match state) or the confidence threshold",
    )
    confidence_coverage_weight: float = Field(default=1.0, ge=0)

    commit_every: int = Field(
        default=16, ge=1, description="files per ingest commit (each is atomic and visible)"
    )

    # Limits (each keeps one hostile file or request from exhausting memory or time)
    max_question_chars: int = _limit(
        1999,
        "longest question, in characters, taken by the API, the pages and the CLI "
        "(the API's contract: one of 2,000+ characters is refused)",
    )
    max_top_k: int = _limit(50, "most passages (or decisions) one request may ask for")
    max_per_council: int = _limit(20, "most passages a comparison may show for each council")
    max_filter_chars: int = _limit(
        200,
        "longest filter value (a council, committee or document type), and "
        "longest such field, or supersedes, of an uploaded file's metadata",
    )
    max_filter_values: int = _limit(50, "most values one filter lists, or councils compared")
    max_title_chars: int = _limit(500, "longest title given with an uploaded file")
    max_url_chars: int = _limit(2000, "longest source URL given with an uploaded file")
    max_upload_bytes: int = _limit(_INGEST.max_file_bytes, "largest file ingested or uploaded")
    max_pdf_pages: int = _limit(_INGEST.max_pdf_pages, "most pages read from one PDF")
    max_decompressed_bytes: int = _limit(
        _INGEST.max_decompressed_bytes,
        "most bytes one compressed PDF stream, or all parts of a Word file together, may "
        "inflate to",
        least=1024,
    )
    max_html_bytes: int = _limit(_INGEST.max_html_bytes, "largest HTML page parsed")
    max_html_nodes: int = _limit(_INGEST.max_html_nodes, "most elements of one HTML page parsed")
    max_docx_paragraphs: int = _limit(
        _INGEST.max_docx_paragraphs, "most paragraphs of one Word file parsed"
    )
    max_pdf_page_content_bytes: int = _limit(
        _INGEST.max_pdf_page_content_bytes,
        "most bytes of content (streams and forms, inflated) one PDF page may draw",
        least=1024,
    )
    max_text_chars: int = _limit(
        _INGEST.max_text_chars, "most characters of text kept from one document"
    )
    max_request_bytes: int = _limit(
        64 * 1024 * 1024, "largest HTTP request body (uploads included)", least=1024
    )
    max_json_bytes: int = _limit(64 * 1024, "largest JSON request body (ask, compare)", least=1024)

    # Slow and many clients (cqa serve; qa_service/api/server.py)
    header_timeout: float = Field(
        default=10.0, gt=0, description="seconds a client has to send a request's headers"
    )
    keep_alive_timeout: float = Field(
        default=5.0, gt=0, description="seconds an idle kept-alive connection stays open"
    )
    limit_concurrency: int = Field(
        default=4096,
        ge=1,
        description="open connections and tasks; beyond it new requests get 503 at once",
    )

    @field_validator("index")
    @classmethod
    def _index_is_a_folder(cls, value: Path) -> Path:
        # CQA_INDEX naming a file (meta.sqlite itself, say) would fail deep in a writer's
        # mkdir as a traceback; --index is checked by click, the variable here
        if value.exists() and not value.is_dir():
            raise ValueError(f"{value} is a file, not an index folder")
        return value


def default_of(name: str) -> Any:
    """The default of setting ``name``: where a module's own record takes its defaults from."""
    return Settings.model_fields[name].default


def writes_enabled(settings: Settings) -> bool:
    """Whether an admin token is configured (an empty one does not count)."""
    return bool(settings.admin_token and settings.admin_token.get_secret_value().strip())
