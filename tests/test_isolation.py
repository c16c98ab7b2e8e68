"""Each test's settings and caches live in temporary folders (tests/conftest.py), never in the
checkout, and no ``CQA_*`` variable of the caller's shell reaches a test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qa_service.config import Settings
from tests.conftest import REPO

_seen: list[Path] = []


def _outside_checkout(path: Path) -> bool:
    return not path.resolve().is_relative_to(REPO)


@pytest.mark.parametrize("run", [1, 2])
def test_the_default_index_is_a_temporary_folder_of_each_tests_own(run: int) -> None:
    index = Settings().index
    assert _outside_checkout(index), index
    assert index not in _seen, "two tests share a default index"
    _seen.append(index)


def test_the_model_cache_is_outside_the_checkout() -> None:
    assert _outside_checkout(Settings().model_cache)
    assert os.environ["CQA_MODEL_CACHE"] == str(Settings().model_cache)


def test_no_other_setting_comes_from_the_environment() -> None:
    set_here = {"CQA_INDEX", "CQA_MODEL_CACHE"}
    names = {f"CQA_{name.upper()}" for name in Settings.model_fields}
    assert not (names - set_here) & set(os.environ)


def test_without_the_variables_the_defaults_are_the_checkouts_as_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CQA_INDEX")
    monkeypatch.delenv("CQA_MODEL_CACHE")
    settings = Settings()
    assert settings.index == REPO / ".cqa-index"
    assert settings.model_cache == REPO / ".cqa-models"
