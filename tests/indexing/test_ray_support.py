"""The scale-out extra is optional: asking for it without it installed says what to install."""

from __future__ import annotations

from pathlib import Path

import pytest

from cqa_core.errors import CQAError, ScaleNotInstalledError
from indexing.ray_support import INSTALL_HINT, require


def test_a_missing_extra_names_the_install_command() -> None:
    with pytest.raises(ScaleNotInstalledError) as caught:
        require("ray_is_not_this_module.data")
    assert isinstance(caught.value, CQAError)  # the CLI turns it into one line
    message = str(caught.value)
    assert INSTALL_HINT in message and "ray_is_not_this_module is not installed" in message


def test_an_installed_module_is_returned() -> None:
    assert require("json").dumps([1]) == "[1]"


def test_cqa_ingest_with_ray_missing_is_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, small_corpus: Path
) -> None:
    from click.testing import CliRunner

    from qa_service.cli import main

    monkeypatch.setitem(__import__("sys").modules, "ray", None)  # as if not installed
    monkeypatch.setenv("CQA_EMBEDDER", "hashing")
    result = CliRunner().invoke(
        main, ["ingest", "--engine", "ray", "--index", str(tmp_path / "idx"), str(small_corpus)]
    )
    assert result.exit_code == 1
    assert 'pip install -e ".[scale]"' in result.output and "Traceback" not in result.output
