"""bench/fit_reader.py's pair features, on hand-made token vectors (no model)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from bench.fit_reader import FEATURES, Extended, Row, TokenCache, answer_line, pair_features

_PIECE = re.compile(r"[\w£,]+|[^\w\s]")


def _cache(tmp_path: Path, texts: list[str]) -> TokenCache:
    """Each piece's vector is one axis per distinct lower-cased piece, so the same word
    aligns at cosine 1 and different words at 0; [CLS] and [SEP] at offsets (0, 0)."""
    cache = TokenCache(tmp_path / "absent.pkl")
    axes: dict[str, int] = {}
    for text in texts:
        for m in _PIECE.finditer(text):
            axes.setdefault(m.group().lower(), len(axes))
    for text in texts:
        spans = [(m.start(), m.end()) for m in _PIECE.finditer(text)]
        vectors = np.zeros((len(spans) + 2, len(axes) + 1), dtype=np.float16)
        vectors[0, -1] = vectors[-1, -1] = 1.0
        for i, (a, b) in enumerate(spans, start=1):
            vectors[i, axes[text[a:b].lower()]] = 1.0
        offsets = np.asarray([(0, 0), *spans, (0, 0)], dtype=np.int32)
        cache.data[TokenCache.key(text)] = (vectors, offsets)
    return cache


QUESTION = "What did the trim trail cost?"
ANSWER = "The trim trail cost £5,000 in total."
OTHER = "The park opened in May."


@pytest.fixture
def row() -> Row:
    return Row("set", QUESTION, True, ("c",), None, 0.0, {"trim": 4.0, "trail": 3.0, "cost": 1.0})


def test_a_sentence_naming_every_asked_word_aligns_fully(tmp_path: Path, row: Row) -> None:
    cache = _cache(tmp_path, [QUESTION, ANSWER, OTHER])
    got = dict(zip(FEATURES, pair_features(row, ANSWER, cache), strict=True))
    assert got["aligned_mean"] == pytest.approx(1.0)
    assert got["aligned_min2"] == pytest.approx(1.0)
    assert got["share_08"] == pytest.approx(1.0)
    # the pieces left over ("£5,000", "in total") hold the figure asked for
    assert got["unaligned_kind"] == 1.0
    assert got["figure_loose"] == 1.0


def test_a_sentence_on_nothing_asked_aligns_nowhere(tmp_path: Path, row: Row) -> None:
    cache = _cache(tmp_path, [QUESTION, ANSWER, OTHER])
    got = dict(zip(FEATURES, pair_features(row, OTHER, cache), strict=True))
    assert got["aligned_mean"] == pytest.approx(0.0)
    assert got["share_06"] == pytest.approx(0.0)
    assert got["unaligned_kind"] == 0.0
    assert got["restated"] == pytest.approx(0.0)


def test_the_rarest_word_missing_lowers_the_rarest_alignment(tmp_path: Path, row: Row) -> None:
    partial = "The trail cost £5,000."
    cache = _cache(tmp_path, [QUESTION, partial])
    got = dict(zip(FEATURES, pair_features(row, partial, cache), strict=True))
    assert got["aligned_rarest"] == pytest.approx(0.0)  # "trim" is the rarest
    assert got["aligned_mean"] == pytest.approx((3.0 + 1.0) / 8.0)  # trail and cost of 8


def test_a_joint_reading_equal_to_the_lone_one_moves_nothing(tmp_path: Path, row: Row) -> None:
    from bench.reader_joint import JOINT_FEATURES, JointCache, joint_features

    alone = _cache(tmp_path, [QUESTION, ANSWER])
    joint = JointCache(tmp_path / "absent-joint.pkl")
    q, q_off = alone.get(QUESTION)
    s, _ = alone.get(ANSWER)
    joint.data[JointCache.key(QUESTION, ANSWER)] = (q, q_off, s)
    got = dict(zip(JOINT_FEATURES, joint_features(row, ANSWER, alone, joint), strict=True))
    assert got["joint_aligned_mean"] == pytest.approx(1.0)
    for shift in ("shift_sentence", "shift_loose", "shift_content", "shift_other"):
        assert got[shift] == pytest.approx(0.0)
    # the sentence read beside the question as if it were another sentence: it moves
    joint.data[JointCache.key(QUESTION, ANSWER)] = (q, q_off, np.roll(s, 1, axis=1))
    moved = dict(zip(JOINT_FEATURES, joint_features(row, ANSWER, alone, joint), strict=True))
    assert moved["shift_sentence"] == pytest.approx(1.0)


def test_the_answer_line_is_the_one_both_readers_print() -> None:
    """fit_reader and fit_cross_reader print answer@1 through this one line."""
    assert answer_line("dev-set", 3, 4, 8) == (
        "answer@1 dev-set: service highlight 3/8 = 0.38, reader's sentence (out of fold) 4/8 = 0.50"
    )


def test_extended_evidence_is_the_stored_vector_then_the_extra_values() -> None:
    class Stored:
        def vector(self) -> np.ndarray:
            return np.asarray([0.5, 1.0])

    got = Extended(Stored(), [np.float64(0.25), 2.0]).vector()  # type: ignore[arg-type]
    assert got.dtype == np.float64 and got.tolist() == [0.5, 1.0, 0.25, 2.0]
