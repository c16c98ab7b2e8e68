"""The one settings class: paths, model, limits; read from ``CQA_*`` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from qa_service.rerank import Weights

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_index() -> Path:
    # Inside the project (git-ignored) when run from a checkout, else the working folder.
    base = PROJECT_ROOT if (PROJECT_ROOT / "pyproject.toml").exists() else Path.cwd()
    return base / ".cqa-index"


class Settings(BaseSettings):
    """Service settings; each field ``x`` can be set with the variable ``CQA_X``."""

    model_config = SettingsConfigDict(env_prefix="CQA_", env_file=None, extra="ignore")

    index: Path = Field(default_factory=_default_index, description="index folder")
    corpus: Path = Field(default=PROJECT_ROOT / "corpus", description="bundled corpus")
    model_path: Path | None = Field(
        default=None, description="a local sentence-transformers folder (default: bundled)"
    )
    admin_token: SecretStr | None = Field(default=None, description="bearer token for writes")

    # Retrieval
    candidates: int = Field(default=60, ge=5, description="candidates taken from each side")
    rrf_k: int = Field(default=60, ge=1)
    dense_weight: float = Field(default=1.0, ge=0)
    lexical_weight: float = Field(default=1.0, ge=0)
    # The second stage (qa_service/rerank.py): the fused candidates re-scored by a
    # weighted sum of signals; the defaults are those measured best (docs/quality.md).
    rerank_depth: int = Field(default=60, ge=1, description="fused candidates re-scored")
    fusion_weight: float = 1.0
    passage_weight: float = 1.0
    sentence_weight: float = 0.5
    coverage_weight: float = 1.0
    committee_weight: float = 0.2
    title_block_weight: float = -0.3
    # Query understanding (qa_service/query.py); each can be turned off for an ablation.
    expand_abbreviations: bool = Field(default=True, description="spell out LAC, MASH, ...")
    correct_typos: bool = Field(default=True, description="correct words the index lacks")
    fold_duplicates: bool = Field(default=True, description="one slot per repeated paper")
    # Below this confidence (see README, "When the service says it cannot answer")
    # the response says answered=false; bench/calibrate_abstention.py chooses both.
    answer_threshold: float = Field(default=0.833)
    confidence_coverage_weight: float = Field(default=1.0, ge=0)

    # Limits
    max_question_chars: int = 2000
    max_top_k: int = 50
    max_upload_bytes: int = 50 * 1024 * 1024
    max_pdf_pages: int = 2000

    def rerank_weights(self) -> Weights:
        """The second stage's weights."""
        return Weights(
            fused=self.fusion_weight,
            passage=self.passage_weight,
            sentence=self.sentence_weight,
            coverage=self.coverage_weight,
            committee=self.committee_weight,
            title_block=self.title_block_weight,
        )
