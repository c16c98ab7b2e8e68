"""The trend bench's stages of recall (``bench.trend_losses.recall_stage``)."""

from __future__ import annotations

import pytest

from bench.trend_losses import RECALL_STAGES, recall_stage


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        ("below threshold", "passage not read"),
        ("deeper (below threshold)", "passage not read"),
        ("meeting deeper", "passage not read"),
        ("meeting unread", "passage not read"),
        ("other sentence", "another sentence chosen"),
        ("other passage", "another sentence chosen"),
        ("not about: half weight", "its sentence not about"),
        ("not about: other modifier", "its sentence not about"),
        ("unreadable", "figure not read"),
        ("filter: unit", "figure not read"),
        ("filter: other thing", "figure not read"),
        ("other figure", "another figure read"),
        ("filter: current", "another figure read"),
        ("filter: wholes/totals", "another figure read"),
        ("flagged", "dropped by the unit"),
    ],
)
def test_each_bench_stage_has_its_stage_of_recall(stage: str, expected: str) -> None:
    assert recall_stage(stage) == expected
    assert expected in RECALL_STAGES


def test_an_unknown_stage_is_an_error_not_a_silent_bucket() -> None:
    with pytest.raises(ValueError, match="unknown stage"):
        recall_stage("read")
