"""The abstention cut point: fewest expected mistakes within the false-abstention allowance,
steady when one question moves across a flat mistake curve."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bench.calibrate_abstention import MAX_FALSE, spread, threshold


def _near_tie(moved: bool) -> list[tuple[bool, float]]:
    """A flat mistake curve: a narrow dip at 0.15 (eight unanswerable questions below it, two
    answerable just above) and a broad basin around 0.2-0.3 where the unanswerable and
    answerable questions alternate; the basin makes one mistake fewer until one of its
    unanswerable questions (0.22) moves up among the answerable ones."""
    conf = [(False, round(0.05 + 0.01 * i, 2)) for i in range(8)]
    conf += [(True, 0.18), (True, 0.19)]
    conf += [(False, 0.20), (False, 0.21), (False, 0.95 if moved else 0.22)]
    conf += [(True, 0.23), (False, 0.24), (True, 0.25), (False, 0.26), (True, 0.27), (False, 0.28)]
    conf += [(True, round(0.31 + 0.007 * i, 3)) for i in range(95)]
    return conf


def test_one_question_moves_the_cut_a_little() -> None:
    before, after = threshold(_near_tie(False)), threshold(_near_tie(True))
    assert before > 0.19 and after > 0.19  # both in the basin, above the two answerable
    assert abs(before - after) < 0.05


def test_counted_mistakes_jump_between_the_near_ties() -> None:
    # the rule before (mistakes counted) leaves the basin for the dip: what the kernel fixes
    before = threshold(_near_tie(False), smooth=0.0)
    after = threshold(_near_tie(True), smooth=0.0)
    assert before > 0.19 > 0.17 > after


@pytest.mark.parametrize("smooth", [0.0, 0.5, 1.0, 2.0])
@pytest.mark.parametrize("seed", range(5))
def test_false_abstentions_stay_within_the_allowance(smooth: float, seed: int) -> None:
    rng = random.Random(seed)
    conf = [(True, rng.gauss(0.7, 0.2)) for _ in range(80)]
    conf += [(False, rng.gauss(0.3, 0.2)) for _ in range(30)]
    for max_false in (MAX_FALSE, 0.01):
        cut = threshold(conf, max_false, smooth)
        refused = sum(1 for answerable, c in conf if answerable and c < cut)
        assert refused <= int(max_false * 80)


def test_counted_rule_cuts_in_the_widest_gap_between_separated_classes() -> None:
    conf = [(False, 0.1), (False, 0.2), (True, 0.4), (True, 0.8), (True, 0.9)]
    assert threshold(conf, smooth=0.0) == pytest.approx(0.3)


def test_no_unanswerable_question_cuts_below_everything() -> None:
    conf = [(True, 0.5), (True, 0.6), (True, 0.7)]
    assert threshold(conf) < 0.5


def test_spread_is_silvermans_width() -> None:
    values = [0.0, 1.0, 2.0, 3.0, 4.0]
    # sd 1.581, interquartile range 2 / 1.34 = 1.493: the smaller, times 0.9 * 5 ** -0.2
    assert spread(values) == pytest.approx(0.9 * (2.0 / 1.34) * 5**-0.2)
    assert spread([0.3]) == 0.0
    assert spread([0.3, 0.3]) == 0.0


def test_the_written_threshold_is_the_settings_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--write`` stores the chosen cut as a module the settings' default reads."""
    import bench.calibrate_abstention as calibrate
    from qa_service.abstention_threshold import THRESHOLD
    from qa_service.config import Settings

    target = tmp_path / "abstention_threshold.py"
    monkeypatch.setattr(calibrate, "TARGET", target)
    calibrate.write(1.0, 0.83749)
    stored: dict[str, object] = {}
    exec(target.read_text(encoding="utf-8"), stored)
    assert stored["THRESHOLD"] == 0.837 and stored["COVERAGE_WEIGHT"] == 1.0
    assert Settings().answer_threshold == THRESHOLD
