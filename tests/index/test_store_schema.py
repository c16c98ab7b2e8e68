"""The store's layout: the sentences' 8-byte hash keys, and the schema version."""

from __future__ import annotations

import pytest

from index.sentences import sentence_key


@pytest.mark.parametrize(
    ("digest", "key"),
    [
        ("0" * 32, 0),
        ("0000000000000001" + "f" * 16, 1),
        ("7fffffffffffffff" + "0" * 16, 2**63 - 1),
        ("8000000000000000" + "0" * 16, -(2**63)),
        ("f" * 32, -1),
    ],
)
def test_sentence_key_is_the_first_64_bits_as_a_signed_integer(digest: str, key: int) -> None:
    assert sentence_key(digest) == key


def test_sentence_keys_differ_where_the_first_16_hex_digits_do() -> None:
    assert sentence_key("a" * 16 + "0" * 16) == sentence_key("a" * 16 + "1" * 16)
    assert sentence_key("a" * 15 + "b" + "0" * 16) != sentence_key("a" * 16 + "0" * 16)
