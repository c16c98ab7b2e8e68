"""Building the running parts from settings: the embedders and the ingest limits.

Only the read side is imported here; the ingest run (``indexing``) is the CLI's and the
upload route's to start.
"""

from __future__ import annotations

from index.embedder import (
    Embedder,
    HashingEmbedder,
    OnnxEmbedder,
    SentenceTransformerEmbedder,
    bundled_model_path,
)
from index.onnx_export import onnx_model_for
from index.store import DB_NAME
from ingest.pipeline import IngestLimits
from qa_service.config import Settings


def make_embedder(settings: Settings, lazy: bool = False) -> Embedder:
    """The bundled model, or the local model folder named by ``CQA_MODEL_PATH``.

    ``CQA_EMBEDDER=hashing`` gives the deterministic fake instead, so that tests and
    benchmarks that start many processes pay no model load; never use it to serve users.
    ``lazy`` loads the weights on the first text to embed (for ``cqa ingest``).
    """
    if settings.embedder == "hashing":
        return HashingEmbedder()
    return SentenceTransformerEmbedder(settings.model_path, lazy=lazy)


def make_query_embedder(settings: Settings, model: Embedder | None = None) -> Embedder:
    """The question encoder ``CQA_QUERY_ENCODER`` names: the model's ONNX export by default.

    The export is made on first use (about 10 s) and kept in ``CQA_MODEL_CACHE``; ``model``,
    if already loaded, serves as the encoder when the setting asks for the model itself.
    """
    if settings.embedder == "hashing":
        return model or HashingEmbedder()
    if settings.query_encoder == "model":
        return model or SentenceTransformerEmbedder(settings.model_path)
    directory = settings.model_path or bundled_model_path()
    precision = settings.query_encoder.removeprefix("onnx-")
    return OnnxEmbedder(onnx_model_for(directory, settings.model_cache, precision), directory)


def limits(settings: Settings) -> IngestLimits:
    """Ingest limits from settings."""
    return IngestLimits(
        max_file_bytes=settings.max_upload_bytes,
        max_pdf_pages=settings.max_pdf_pages,
        max_decompressed_bytes=settings.max_decompressed_bytes,
        max_html_bytes=settings.max_html_bytes,
        max_text_chars=settings.max_text_chars,
        max_html_nodes=settings.max_html_nodes,
        max_docx_paragraphs=settings.max_docx_paragraphs,
        max_pdf_page_content_bytes=settings.max_pdf_page_content_bytes,
        dense_ondisk_min=settings.dense_ondisk_min,
        sentence_codec=settings.sentence_vectors,
    )


def index_exists(settings: Settings) -> bool:
    """Whether the index folder already holds an index."""
    return (settings.index / DB_NAME).exists()
