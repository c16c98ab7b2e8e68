"""The numbers every layer bounds its work by, written once.

``IngestLimits`` is what one file may cost to read and how passages are cut; ``ingest/``
takes it as an argument, and ``qa_service.config.Settings`` takes its defaults from it, so
that each ``CQA_MAX_*`` variable overrides the number written here and nowhere else.
``DEFAULT_NPROBE`` bounds the inverted lists one dense search reads (``CQA_DENSE_NPROBE``);
past ``DENSE_ONDISK_MIN`` passages the dense index goes on disk (``index.dense_ondisk``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# Measured on this machine by bench/query_bench.py (docs/performance.md).
DEFAULT_NPROBE = 32
# Above this many passages the dense index is IVF-PQ on disk (docs/performance.md, "Past memory").
DENSE_ONDISK_MIN = 2_000_000
# How sentence vectors are stored (index.sentence_codec).
SentenceCodec = Literal["float32", "float16", "int8", "pq96", "pq48"]


@dataclass(frozen=True)
class IngestLimits:
    """Size limits and passage sizes for ingestion."""

    max_file_bytes: int = 50 * 1024 * 1024
    max_pdf_pages: int = 2000
    max_decompressed_bytes: int = 64 * 1024 * 1024  # one PDF stream; stops zip bombs
    max_html_bytes: int = 5 * 1024 * 1024  # parsing costs ~45x the size in memory, ~3 s/MB
    max_text_chars: int = 5_000_000
    max_html_nodes: int = 50_000  # elements of one HTML page (BeautifulSoup: ~1.5 KB each)
    max_docx_paragraphs: int = 30_000  # paragraphs of one Word file
    max_pdf_page_content_bytes: int = 2 * 1024 * 1024  # pypdf holds ~47x it while extracting
    min_words: int = 60  # passages below this merge with neighbours in the same section
    max_words: int = 275  # cap; whole sections answer broad questions (docs/quality.md)
    # Above this many passages the dense index goes on disk (index.dense_ondisk).
    dense_ondisk_min: int = DENSE_ONDISK_MIN
    # How new sentence vectors are stored (index.sentence_codec: float32, float16 or int8).
    sentence_codec: SentenceCodec = "float32"
