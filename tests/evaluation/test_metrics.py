"""Tests for evaluation.metrics: the hit rule and each per-question and aggregate metric."""

from __future__ import annotations

import math

import pytest

from cqa_core.errors import InvalidQueryError
from evaluation.metrics import (
    Retrieved,
    answer_at_1,
    compare_coverage,
    first_hit_page_ok,
    first_hit_rank,
    highlight_answers,
    is_hit,
    ndcg_at_k,
    page_ok,
)
from evaluation.questions import GoldEntry
from tests.evaluation.samples import (
    COUNCILS,
    G1,
    G2,
    G3,
    hit_of,
    noise,
    question,
    with_highlight,
)

# --- the hit rule ----------------------------------------------------------------------


def test_is_hit_same_file_with_evidence() -> None:
    assert is_hit(G1, hit_of(G1))


def test_is_hit_collapses_whitespace_on_both_sides() -> None:
    gold = GoldEntry("a.txt", "seventy  one\nactions were complete")
    passage = Retrieved("a.txt", "x\n seventy\n\n one   actions were\tcomplete y", None, None)
    assert is_hit(gold, passage)


def test_wrong_file_with_right_text_is_not_a_hit() -> None:
    passage = Retrieved("other.txt", hit_of(G1).text, None, None)
    assert is_hit(G1, hit_of(G1))
    assert not is_hit(G1, passage)


@pytest.mark.parametrize(
    "text",
    [
        "seventy one actions were",  # only part of the evidence
        "seventy-one actions were complete",
    ],
)
def test_is_hit_needs_the_whole_exact_evidence(text: str) -> None:
    assert not is_hit(G1, Retrieved("a.txt", text, None, None))


def test_is_hit_compares_base_names() -> None:
    assert is_hit(G1, Retrieved("/corpus/sub/a.txt", G1.evidence, None, None))
    assert not is_hit(G1, Retrieved("/corpus/a.txt.bak", G1.evidence, None, None))


@pytest.mark.parametrize(
    ("page", "expected"),
    [(3, True), (2, True), (4, False), (1, False), (None, False)],
)
def test_page_ok_allows_gold_page_or_the_one_before(page: int | None, expected: bool) -> None:
    assert page_ok(G3, hit_of(G3, page=page)) is expected


def test_page_ok_is_false_for_non_pdf_gold() -> None:
    assert not page_ok(G1, Retrieved("a.txt", G1.evidence, 1, None))


# --- per-question metrics ------------------------------------------------------------


def test_first_hit_rank() -> None:
    q = question([G1])
    assert first_hit_rank(q, [noise(n=1), noise(n=2), hit_of(G1)]) == 3
    assert first_hit_rank(q, [hit_of(G1), noise()]) == 1
    assert first_hit_rank(q, [noise(n=1), noise(n=2)]) is None
    assert first_hit_rank(q, []) is None


def test_first_hit_rank_takes_any_gold_entry() -> None:
    q = question([G1, G2])
    assert first_hit_rank(q, [noise(), hit_of(G2), hit_of(G1)]) == 2


def test_first_hit_rank_of_unanswerable_is_none() -> None:
    assert first_hit_rank(question([], "unanswerable"), [hit_of(G1)]) is None


def _dcg(*ranks: int) -> float:
    return sum(1 / math.log2(r + 1) for r in ranks)


@pytest.mark.parametrize(
    ("gold", "ranked", "k", "expected"),
    [
        ([G1], [hit_of(G1)], 10, 1.0),
        ([G1], [noise(), hit_of(G1)], 10, 1 / math.log2(3)),
        ([G1, G2], [hit_of(G2), hit_of(G1)], 10, 1.0),
        ([G1, G2], [hit_of(G1), noise(), hit_of(G2)], 10, _dcg(1, 3) / _dcg(1, 2)),
        # the same evidence twice (a tie) earns once: the second copy is not relevant
        ([G1, G2], [hit_of(G1), hit_of(G1)], 10, _dcg(1) / _dcg(1, 2)),
        # ideal DCG from min(#gold, k)
        ([G1, G2, G3], [hit_of(G1), hit_of(G2)], 2, 1.0),
        ([G1, G2, G3], [hit_of(G1), hit_of(G2)], 10, _dcg(1, 2) / _dcg(1, 2, 3)),
        # a hit beyond k counts for nothing
        ([G1], [noise(n=1), noise(n=2), hit_of(G1)], 2, 0.0),
        ([G1], [], 10, 0.0),
        ([], [hit_of(G1)], 10, 0.0),
    ],
)
def test_ndcg_at_k(gold: list[GoldEntry], ranked: list[Retrieved], k: int, expected: float) -> None:
    assert ndcg_at_k(question(gold), ranked, k) == pytest.approx(expected)


def test_ndcg_one_passage_hitting_two_gold_entries_is_credited_once() -> None:
    g1 = GoldEntry("a.txt", "first fact")
    g2 = GoldEntry("a.txt", "second fact")
    both = Retrieved("a.txt", "first fact and second fact", None, None)
    only_second = Retrieved("a.txt", "second fact", None, None)
    q = question([g1, g2])
    assert ndcg_at_k(q, [both], 10) == pytest.approx(_dcg(1) / _dcg(1, 2))
    assert ndcg_at_k(q, [both, only_second], 10) == pytest.approx(1.0)


def test_compare_coverage_uses_each_councils_list() -> None:
    q = question([G1, G2, G3], "compare")
    compare = {
        "Alpha": [noise(), hit_of(G1)],
        "Beta": [noise()],
        "Gamma": [hit_of(G3)],
    }
    assert compare_coverage(q, [], compare, COUNCILS) == pytest.approx(2 / 3)


def test_compare_coverage_counts_a_hit_only_in_its_own_councils_list() -> None:
    q = question([G1, G2], "compare")
    # the gold passage of Beta turns up in Alpha's list and none in Beta's
    compare = {"Alpha": [hit_of(G1), hit_of(G2)], "Beta": []}
    assert compare_coverage(q, [], compare, COUNCILS) == pytest.approx(0.5)
    assert compare_coverage(q, [], {}, COUNCILS) == 0.0


def test_compare_coverage_groups_gold_entries_by_council() -> None:
    g_alpha_2 = GoldEntry("a2.txt", "another Alpha passage")
    q = question([G1, g_alpha_2, G2], "compare")
    # Alpha is covered by either of its two gold entries: councils, not entries, count
    assert compare_coverage(q, [hit_of(g_alpha_2)], None, COUNCILS) == pytest.approx(0.5)
    assert compare_coverage(q, [hit_of(G1), hit_of(G2)], None, COUNCILS) == pytest.approx(1.0)


def test_compare_coverage_falls_back_to_ranked() -> None:
    q = question([G1, G2], "compare")
    assert compare_coverage(q, [noise(), hit_of(G2)], None, COUNCILS) == pytest.approx(0.5)
    assert compare_coverage(q, [noise()], None, COUNCILS) == 0.0


def test_compare_coverage_needs_the_council_of_every_gold_file() -> None:
    q = question([G1, GoldEntry("unknown.txt", "x y z")], "compare")
    with pytest.raises(InvalidQueryError, match=r"unknown\.txt"):
        compare_coverage(q, [], None, COUNCILS)


@pytest.mark.parametrize(
    ("ranked", "expected"),
    [
        ([hit_of(G3, page=3)], True),
        ([noise(), hit_of(G3, page=2)], True),
        ([hit_of(G3, page=4)], False),
        ([hit_of(G3, page=None)], False),
        ([noise()], None),  # no hit: nothing to judge
    ],
)
def test_first_hit_page_ok(ranked: list[Retrieved], expected: bool | None) -> None:
    assert first_hit_page_ok(question([G3]), ranked) is expected


def test_first_hit_page_ok_judges_only_the_first_hit_on_pdf_gold() -> None:
    q = question([G1, G3])
    # first hit is on .txt gold: no page to judge, even though a later PDF hit is right
    assert first_hit_page_ok(q, [hit_of(G1), hit_of(G3, page=3)]) is None
    assert first_hit_page_ok(q, [hit_of(G3, page=9), hit_of(G3, page=3)]) is False


def test_hit_rule_ignores_case_and_spacing() -> None:
    r = Retrieved(G1.file, "Before.  SEVENTY one\nactions were complete. After.")
    assert is_hit(G1, r)


@pytest.mark.parametrize(
    ("highlight", "expected"),
    [
        ("Seventy one actions were complete.", True),  # all of it, case ignored
        ("By March seventy one of the actions were then complete", True),  # 5 of 5 in order
        ("seventy one actions", True),  # 3 of 5 words, in order
        ("seventy one", False),  # 2 of 5
        ("complete were actions one seventy", False),  # the words, out of order (1 of 5)
        ("", False),
    ],
)
def test_highlight_answers_needs_half_the_evidence_words_in_order(
    highlight: str, expected: bool
) -> None:
    assert highlight_answers(G1, highlight) is expected


def test_answer_at_1_needs_the_top_passage_to_hit_and_show_the_evidence() -> None:
    q = question([G1])
    shown = with_highlight(hit_of(G1), G1.evidence)
    assert answer_at_1(q, [shown]) is True
    assert answer_at_1(q, [with_highlight(hit_of(G1), "Before it.")]) is False
    # the right words highlighted in a passage of another file
    elsewhere = Retrieved("other.txt", G1.evidence, None, None, G1.evidence)
    assert answer_at_1(q, [elsewhere, shown]) is False
    assert answer_at_1(q, [hit_of(G1)]) is None  # no highlight offered
    assert answer_at_1(question([], "unanswerable"), [shown]) is None
