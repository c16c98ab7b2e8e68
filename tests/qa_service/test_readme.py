"""The README against the code a newcomer runs: every setting in its table, the commands and
options it names, and the answer states the API sends."""

from __future__ import annotations

import re

import click
import pytest

from qa_service.cli import main
from qa_service.config import PROJECT_ROOT, Settings

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def test_the_settings_table_names_every_setting() -> None:
    table = _section("Settings")
    named = set(re.findall(r"`(CQA_[A-Z0-9_]+)`", table))
    fields = {f"CQA_{name.upper()}" for name in Settings.model_fields}
    assert fields - named == set(), "settings missing from the README's table"
    assert named - fields == set(), "the README's table names settings that do not exist"


def test_the_readme_states_the_threshold_in_force() -> None:
    default = Settings.model_fields["answer_threshold"].default
    assert f"`CQA_ANSWER_THRESHOLD`, {default:.3f}" in README


def _commands() -> dict[str, click.Command]:
    assert isinstance(main, click.Group)
    return dict(main.commands)


# the command table's rows: "| `cqa NAME ...` | does ... |" (a cell may hold an escaped \\|)
ROWS = re.findall(r"^\| `cqa ([a-z]+)((?:[^|]|\\\|)*)\| (.*)\|$", README, re.M)


def _named(name: str, usage: str) -> list[str]:
    """The commands a row is about ("`cqa list` / `cqa stats`" is about two)."""
    return re.findall(r"cqa ([a-z]+)", f"cqa {name}{usage}")


def test_the_command_table_lists_every_command() -> None:
    assert {n for name, usage, _ in ROWS for n in _named(name, usage)} == set(_commands())


@pytest.mark.parametrize("row", ROWS, ids=[f"{n}{c[:20]}" for n, c, _ in ROWS])
def test_each_command_the_table_lists_exists_with_its_options(row: tuple[str, str, str]) -> None:
    name, usage, does = row
    for named in _named(name, usage):
        command = _commands()[named]
        options = {o for p in command.params for o in getattr(p, "opts", [])}
        options |= {o for p in command.params for o in getattr(p, "secondary_opts", [])}
        for option in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", usage + does):
            assert option in options, f"cqa {named} {option}"
