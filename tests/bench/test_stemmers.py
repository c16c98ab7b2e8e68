"""bench/stemmers.py on made-up words (no index)."""

from __future__ import annotations

from collections import Counter

from bench.stemmers import compare


def test_the_three_stemmers_are_compared_pair_by_pair() -> None:
    # "added": add / added / add; "dumping": dump each; "Reports": report / Reports / repor
    got = compare(Counter({"added": 3, "dumping": 2, "Reports": 1}))
    assert got["words"] == 3 and got["lower_case_words"] == 2
    one = got["asked_plan._stem_of / glossary._stem"]
    assert (one["differ"], one["differ_lower_case"]) == (2, 1)
    assert one["examples"] == [("added", "add", "added")]
    two = got["asked_plan._stem_of / trend_words.stem"]
    assert (two["differ"], two["differ_lower_case"]) == (1, 0)
    three = got["glossary._stem / trend_words.stem"]
    assert (three["differ"], three["differ_lower_case"]) == (2, 1)
