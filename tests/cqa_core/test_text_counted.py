"""``counted``: a number and its noun, as the CLI and progress lines print counts."""

from __future__ import annotations

import pytest

from cqa_core.text import counted


@pytest.mark.parametrize(
    ("n", "noun", "expected"),
    [
        (0, "document", "0 documents"),
        (1, "document", "1 document"),
        (2, "passage", "2 passages"),
        (1, "byte", "1 byte"),
    ],
)
def test_counted_takes_the_singular_for_one_only(n: int, noun: str, expected: str) -> None:
    assert counted(n, noun) == expected
