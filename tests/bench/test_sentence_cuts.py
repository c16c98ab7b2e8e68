"""bench.sentence_cuts: the runs of sentences two dumps cut apart."""

from __future__ import annotations

from bench.sentence_cuts import changes


def test_changes_lists_each_run_cut_otherwise() -> None:
    before = {
        "real-dev-set/a.txt": [["RESOLVED to:", "a.", "Approve it."], ["Same."]],
        "dev-set/b.txt": [["Unchanged."]],
    }
    after = {
        "real-dev-set/a.txt": [["RESOLVED to:", "Approve it."], ["Same."]],
        "dev-set/b.txt": [["Unchanged."]],
    }
    assert changes(before, after) == [("real-dev-set/a.txt", 0, ["a."], [])]


def test_no_change_lists_nothing() -> None:
    same = {"seeds/c.txt": [["One.", "Two."]]}
    assert changes(same, same) == []
