"""Run one file through load -> structure -> chunk and return a ``Document`` with passages.

CONTRACT (used by index/ and qa_service/; implemented by the ingest work):

    SUPPORTED_SUFFIXES: frozenset[str]   # {".txt", ".md", ".html", ".htm", ".pdf", ".docx"}

    @dataclass(frozen=True)
    class IngestLimits:
        max_file_bytes: int = 50 * 1024 * 1024
        max_pdf_pages: int = 2000
        min_words: int = 60      # passages below this merge with neighbours in the same section
        max_words: int = 170     # hard cap (the model reads ~256 word-pieces)

    def document_id_for(path: Path) -> str
        # stable id from the resolved path (16 hex chars)

    def discover(paths: Sequence[Path]) -> tuple[list[tuple[Path, DocMeta]], list[str]]
        # files (recursively, sorted, supported suffixes only, hidden files and manifest.csv
        # skipped) with their manifest metadata, plus warnings (one line each) about
        # unsupported files, manifest problems, manifest rows naming missing files.
        # A path that does not exist raises IngestError.

    def process_file(path: Path, meta: DocMeta, limits: IngestLimits = IngestLimits()) -> Document
        # raises IngestError (never anything else) for unreadable/empty/unsupported files.
        # Fills meta.title from the document when the manifest has none; never guesses a council.
"""
