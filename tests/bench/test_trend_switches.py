"""The stop-25 switches of the trend reader: each exists, defaults on, and is restored."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from bench.trend_switches import SWITCHES, parse_args, switched


def test_every_switch_defaults_on_and_is_restored() -> None:
    modules = [(importlib.import_module(m), name) for m, name in SWITCHES]
    assert all(getattr(mod, name) is True for mod, name in modules)
    with switched({"AGE_BOUNDS"}):
        assert [getattr(mod, name) for mod, name in modules] == [
            name == "AGE_BOUNDS" for _, name in modules
        ]
    assert all(getattr(mod, name) is True for mod, name in modules)


def test_switched_off_reads_as_stop_24_did() -> None:
    from qa_service.trend_read import figures

    with switched(set()):
        assert [f.value for f in figures("83. CLIMATE EMERGENCY ACTION PLAN")] == [83.0]
    assert figures("83. CLIMATE EMERGENCY ACTION PLAN") == []


def test_stop_26_switches_default_on_and_leave_stop_25_s_alone() -> None:
    from bench.trend_switches import SWITCHES_26

    modules = [(importlib.import_module(m), name) for m, name in SWITCHES_26]
    assert all(getattr(mod, name) is True for mod, name in modules)
    older = [(importlib.import_module(m), name) for m, name in SWITCHES]
    with switched(set(), SWITCHES_26):
        assert not any(getattr(mod, name) for mod, name in modules)
        assert all(getattr(mod, name) for mod, name in older)
    assert all(getattr(mod, name) is True for mod, name in modules)


def test_stop_27_switches_default_on_and_leave_the_earlier_ones_alone() -> None:
    from bench.trend_switches import SWITCHES_26, SWITCHES_27

    modules = [(importlib.import_module(m), name) for m, name in SWITCHES_27]
    assert all(getattr(mod, name) is True for mod, name in modules)
    older = [(importlib.import_module(m), name) for m, name in (*SWITCHES, *SWITCHES_26)]
    with switched(set(), SWITCHES_27):
        assert not any(getattr(mod, name) for mod, name in modules)
        assert all(getattr(mod, name) for mod, name in older)
    assert all(getattr(mod, name) is True for mod, name in modules)


def test_the_command_line_reads_options_between_the_index_and_the_labels() -> None:
    args = parse_args(["IDX", "--cache", "c.pkl", "--stop27", "a.json", "--less-one", "b.json"])
    assert args.index == Path("IDX") and args.cache == Path("c.pkl")
    assert args.labels == [Path("a.json"), Path("b.json")]
    assert args.stop27 and not args.stop26 and args.less_one


def test_the_command_line_refuses_no_labels_and_both_stops() -> None:
    with pytest.raises(SystemExit):
        parse_args(["IDX", "--cache", "c.pkl"])
    with pytest.raises(SystemExit):
        parse_args(["IDX", "--cache", "c.pkl", "--stop26", "--stop27", "a.json"])


def test_stop_28_switches_default_on_and_leave_the_earlier_ones_alone() -> None:
    from bench.trend_switches import SWITCHES_26, SWITCHES_27, SWITCHES_28

    modules = [(importlib.import_module(m), name) for m, name in SWITCHES_28]
    assert all(getattr(mod, name) is True for mod, name in modules)
    older = [
        (importlib.import_module(m), name) for m, name in (*SWITCHES, *SWITCHES_26, *SWITCHES_27)
    ]
    with switched(set(), SWITCHES_28):
        assert not any(getattr(mod, name) for mod, name in modules)
        assert all(getattr(mod, name) for mod, name in older)
    assert all(getattr(mod, name) is True for mod, name in modules)
    assert parse_args(["IDX", "--cache", "c.pkl", "--stop28", "a.json"]).stop28
