"""The abstention classifier as applied at serve time, and its stored fit."""

from __future__ import annotations

import pytest

from qa_service.abstention import (
    ANSWERED,
    FEATURES,
    NOT_IN_PAPERS,
    WEAK,
    Evidence,
    Model,
    lacking_share,
)
from qa_service.abstention_fit import FITTED


def evidence(cosine: float, lacking: float = 0.0) -> Evidence:
    return Evidence(cosine, 0.5, lacking, 1.0, 0.0, 0.0, 1.0)


MODEL = Model(
    mean=(0.0,) * len(FEATURES),
    scale=(1.0,) * len(FEATURES),
    coef=(10.0, 0.0, -10.0, 0.0, 0.0, 0.0, 0.0),
    intercept=-5.0,
    answer_at=0.7,
    weak_at=0.3,
)


def test_three_states_from_the_probability() -> None:
    assert MODEL.state(evidence(0.9)) == ANSWERED  # logit 4
    assert MODEL.state(evidence(0.5)) == WEAK  # logit 0: p = 0.5
    assert MODEL.state(evidence(0.2)) == NOT_IN_PAPERS
    # words the index lacks count against the match
    assert MODEL.state(evidence(0.9, lacking=0.5)) == NOT_IN_PAPERS


def test_the_stored_fit_loads_and_orders_its_cut_points() -> None:
    model = Model.from_data(FITTED)
    assert len(model.coef) == len(FEATURES)
    assert 0.0 <= model.weak_at <= model.answer_at <= 1.0
    assert 0.0 <= model.probability(evidence(0.6)) <= 1.0


def test_a_fit_on_other_features_is_refused() -> None:
    with pytest.raises(ValueError, match="other features"):
        Model.from_data({**FITTED, "features": ["cosine"]})


def test_lacking_share_weighs_each_missing_word_as_the_rarest() -> None:
    assert lacking_share({("fees",): 1.0}, [], 100) == 0.0
    share = lacking_share({("fees",): 1.0}, ["dog", "fouling"], 100)
    assert share == pytest.approx(2 * 4.6151 / (1.0 + 2 * 4.6151), rel=1e-3)
    assert lacking_share({}, [], 100) == 0.0
