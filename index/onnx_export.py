"""The question encoder's int8 ONNX file: exported once from the installed model, then cached.

A question is one short text, and at that size torch's per-call overhead is most of the cost
(about 11 ms here); the same network as an int8 ONNX graph run by onnxruntime takes about a
quarter of that (docs/performance.md).  The export reads only the local model folder, so it
works offline: it runs on first use (or ``cqa prepare``), and the file is reused while the
model folder is unchanged.  ``CQA_QUERY_ENCODER`` chooses int8, fp32 or the model itself.

Mean pooling and L2 normalisation are part of the graph, so its output is the sentence
embedding itself.  Weights are quantised per channel: per-tensor int8 moved question vectors
too far from the model's (cosine 0.95), per channel keeps them at 0.99 or more.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import warnings
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from cqa_core.errors import ModelUnavailableError

# Part of the cache key: a change to how the graph is built must not reuse an old file.
EXPORT_VERSION = "1"
OPSET = 17


def cache_key(model_dir: Path) -> str:
    """A name for the export of this model folder, changing whenever its weights change."""
    parts = [EXPORT_VERSION, str(model_dir.resolve())]
    for name in ("config.json", "model.safetensors", "pytorch_model.bin", "tokenizer.json"):
        path = model_dir / name
        if path.exists():
            stat = path.stat()
            parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    for package in ("onnxruntime", "onnx"):
        try:
            parts.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{package}=none")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def onnx_model_for(model_dir: Path, cache_dir: Path, precision: str = "int8") -> Path:
    """The ONNX file for ``model_dir`` (``precision`` int8 or fp32), exporting it if missing."""
    if precision not in {"int8", "fp32"}:
        raise ValueError(f"precision must be int8 or fp32, not {precision!r}")
    stem = f"{model_dir.name}-{cache_key(model_dir)}"
    plain = cache_dir / f"{stem}-fp32.onnx"
    quantised = cache_dir / f"{stem}-int8.onnx"
    target = quantised if precision == "int8" else plain
    if target.exists():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    level = root.level
    # The exporter and quantiser warn about things that do not apply to this graph.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        root.setLevel(logging.ERROR)
        try:
            if not plain.exists():
                _atomic(plain, lambda tmp: export_fp32(model_dir, tmp))
            if precision == "int8":
                _atomic(quantised, lambda tmp: quantise(plain, tmp))
        finally:
            root.setLevel(level)
    return target


def _atomic(target: Path, write: Callable[[Path], None]) -> None:
    """Write ``target`` through a temporary file in its folder, fsync, then rename.

    Two processes exporting at once each write their own temporary file and the last
    rename wins; both files hold the same model.
    """
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        path = Path(tmp) / target.name
        write(path)
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(path, target)


def quantise(source: Path, target: Path) -> None:
    """Quantise an exported graph's weights to int8, per output channel."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, per_channel=True)


def export_fp32(model_dir: Path, target: Path) -> None:
    """Export the transformer with mean pooling and normalisation to an ONNX file.

    Needs torch and transformers (installed with the project); takes about 10 s.
    """
    try:
        import torch
        from transformers import AutoModel
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ModelUnavailableError(f"cannot export the question encoder: {exc}") from exc

    class Pooled(torch.nn.Module):
        """The transformer, mean-pooled over real tokens, normalised."""

        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(
            self,
            input_ids: torch.Tensor,
            attention_mask: torch.Tensor,
            token_type_ids: torch.Tensor,
        ) -> torch.Tensor:
            hidden = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    try:
        model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()
    except Exception as exc:
        raise ModelUnavailableError(f"could not load the model at {model_dir}: {exc}") from exc
    example = {
        "input_ids": torch.tensor([[101, 7592, 102]]),
        "attention_mask": torch.tensor([[1, 1, 1]]),
        "token_type_ids": torch.tensor([[0, 0, 0]]),
    }
    names = list(example)
    axes = {**{n: {0: "batch", 1: "tokens"} for n in names}, "embedding": {0: "batch"}}
    with torch.no_grad():
        torch.onnx.export(
            Pooled(model),
            tuple(example.values()),
            str(target),
            input_names=names,
            output_names=["embedding"],
            dynamic_axes=axes,
            opset_version=OPSET,
            dynamo=False,
        )
