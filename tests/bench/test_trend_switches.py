"""The stop-25 switches of the trend reader: each exists, defaults on, and is restored."""

from __future__ import annotations

import importlib

from bench.trend_switches import SWITCHES, switched


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
