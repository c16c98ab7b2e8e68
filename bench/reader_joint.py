"""The question and a sentence encoded *together*, for bench/fit_reader.py ``--joint``.

The bundled MiniLM is a bi-encoder: its sentence vectors never see the question.  Fed the
pair as one input (``[CLS] question [SEP] sentence [SEP]``), its attention does cross the
two, the nearest thing to a cross-encoder the installed packages hold (the model was not
trained on pairs, so whether it says anything is what is measured).  Per pair:

- ``joint_aligned_mean`` / ``joint_aligned_min2``: the IDF-weighted alignment of the
  question's content words to the sentence, as ``fit_reader.pair_features`` reads it, on
  the joint encoding's pieces;
- ``joint_pooled``: the cosine of the two parts' mean pieces;
- ``shift_sentence`` / ``shift_loose``: how far the sentence's pieces move (1 - cosine to
  their reading alone), all of them and those about nothing asked (where a value sits);
- ``shift_content`` / ``shift_other``: the same for the question's content pieces and its
  other pieces ("how much", "who"), read beside the sentence.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench.fit_reader import ALIGNED, Row, TokenCache, _word_pieces

JOINT_FEATURES = (
    "joint_aligned_mean",
    "joint_aligned_min2",
    "joint_pooled",
    "shift_sentence",
    "shift_loose",
    "shift_content",
    "shift_other",
)


class JointCache:
    """Per (question, sentence): the joint encoding's normalised question pieces, their
    offsets in the question, and the sentence's pieces ([CLS] and [SEP] dropped)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = (
            pickle.loads(path.read_bytes()) if path.exists() else {}
        )

    @staticmethod
    def key(question: str, sentence: str) -> str:
        return hashlib.sha1(f"{question}\x00{sentence}".encode()).hexdigest()

    def fill(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Encode the pairs not cached yet (the real model, one thread, on the CPU)."""
        todo = sorted(
            {p for p in pairs if self.key(*p) not in self.data}, key=lambda p: len(p[0] + p[1])
        )
        if not todo:
            return
        import torch
        from sentence_transformers import SentenceTransformer

        from index.embedder import bundled_model_path

        torch.set_num_threads(1)  # the machine is shared
        model = SentenceTransformer(str(bundled_model_path()), device="cpu")
        tok = model.tokenizer
        net: Any = model[0].auto_model
        for start in range(0, len(todo), 32):
            batch = todo[start : start + 32]
            enc = tok(
                [q for q, _ in batch],
                [s for _, s in batch],
                truncation="only_second",
                max_length=256,
                padding=True,
                return_offsets_mapping=True,
                return_tensors="pt",
            )
            offsets = enc.pop("offset_mapping").numpy()
            with torch.no_grad():
                hidden = net(**enc).last_hidden_state.numpy()
            for i, pair in enumerate(batch):
                types, mask = enc["token_type_ids"][i].numpy(), enc["attention_mask"][i].numpy()
                real = (offsets[i][:, 1] > offsets[i][:, 0]) & (mask == 1)
                v = hidden[i] / (np.linalg.norm(hidden[i], axis=1, keepdims=True) + 1e-9)
                qi, si = real & (types == 0), real & (types == 1)
                self.data[self.key(*pair)] = (
                    v[qi].astype(np.float16),
                    offsets[i][qi].astype(np.int32),
                    v[si].astype(np.float16),
                )
            print(f"joint {min(start + 32, len(todo))}/{len(todo)}", file=sys.stderr)
        self.path.write_bytes(pickle.dumps(self.data))


def _cosine_shift(a: np.ndarray, b: np.ndarray) -> float:
    """Mean of 1 - cosine between matching rows (normalised) of two piece lists."""
    n = min(len(a), len(b))
    return float(np.mean(1 - np.sum(a[:n] * b[:n], axis=1))) if n else 0.0


def joint_features(row: Row, sentence: str, alone: TokenCache, joint: JointCache) -> np.ndarray:
    """The pair's ``JOINT_FEATURES``."""
    jq, jqoff, js = (x.astype(np.float32) for x in joint.data[joint.key(row.question, sentence)])
    aq, aqoff = alone.get(row.question)
    a_s, _ = alone.get(sentence)
    if not len(jq) or not len(js):
        return np.zeros(len(JOINT_FEATURES))
    pieces = _word_pieces(row.question, jqoff, list(row.idf))
    terms = [t for t in row.idf if pieces.get(t)]
    best_q = (jq @ js.T).max(axis=1)
    align = {t: float(best_q[pieces[t]].mean()) for t in terms}
    total = sum(row.idf[t] for t in terms) or 1.0
    rare = sorted(terms, key=lambda t: -row.idf[t])
    content = sorted({i for t in terms for i in pieces[t]})
    other = [i for i in range(len(jq)) if i not in set(content)]
    # the sentence's pieces about nothing asked, read alone (as fit_reader reads them)
    alone_content = sorted(
        {i for t in terms for i in _word_pieces(row.question, aqoff, [t]).get(t, [])}
    )
    if alone_content and len(a_s):
        loose = [int(i) for i in np.nonzero((aq[alone_content] @ a_s.T).max(axis=0) < ALIGNED)[0]]
    else:
        loose = []
    n = min(len(js), len(a_s))
    loose = [i for i in loose if i < n]
    n_q = min(len(jq), len(aq))
    return np.asarray(
        [
            sum(row.idf[t] * align[t] for t in terms) / total if terms else 0.0,
            min(align[t] for t in rare[:2]) if rare else 0.0,
            float(
                jq.mean(0) @ js.mean(0) / (np.linalg.norm(jq.mean(0)) * np.linalg.norm(js.mean(0)))
            ),
            _cosine_shift(js, a_s),
            _cosine_shift(js[loose], a_s[loose]) if loose else 0.0,
            _cosine_shift(jq[[i for i in content if i < n_q]], aq[[i for i in content if i < n_q]]),
            _cosine_shift(jq[[i for i in other if i < n_q]], aq[[i for i in other if i < n_q]]),
        ]
    )
