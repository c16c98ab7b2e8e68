"""Module-level switches turned off for a block, as the trend tests check each reading with
its rule off (tests/qa_service/test_trend_stop26.py, _stop27, _stop28)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def off(module: str, name: str) -> Iterator[None]:
    """Switch ``qa_service.<module>.<name>`` off for the block, and back as it was after."""
    mod = importlib.import_module(f"qa_service.{module}")
    saved = getattr(mod, name)
    setattr(mod, name, False)
    try:
        yield
    finally:
        setattr(mod, name, saved)
