"""Tests for evaluation.scoring and evaluation.report: figures overall and per type, the
misses, and the reports."""

from __future__ import annotations

import json
import math

import pytest

from evaluation.report import format_report, report_to_dict
from evaluation.scoring import (
    abstention_accuracy,
    false_abstention_rate,
    mrr_at_k,
    percentile,
    recall_at_k,
    score,
)
from tests.evaluation.samples import (
    COUNCILS,
    G1,
    G2,
    G3,
    hit_of,
    mixed_results,
    noise,
    question,
    result,
    with_highlight,
)

# --- aggregates over ranks and results -------------------------------------------------


@pytest.mark.parametrize(
    ("ranks", "k", "expected"),
    [
        ([1, 3, None, 6], 1, 0.25),
        ([1, 3, None, 6], 5, 0.5),
        ([1, 3, None, 6], 6, 0.75),  # a hit exactly at k counts
        ([None, None], 5, 0.0),
        ([2, 2], 1, 0.0),
        ([2, 2], 2, 1.0),
    ],
)
def test_recall_at_k(ranks: list[int | None], k: int, expected: float) -> None:
    assert recall_at_k(ranks, k) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("ranks", "k", "expected"),
    [
        ([1, 2, None, 4], 10, (1 + 0.5 + 0 + 0.25) / 4),
        ([1, 2, None, 4], 3, (1 + 0.5) / 4),
        ([11], 10, 0.0),
        ([10], 10, 0.1),
        ([1, 1], 10, 1.0),
    ],
)
def test_mrr_at_k(ranks: list[int | None], k: int, expected: float) -> None:
    assert mrr_at_k(ranks, k) == pytest.approx(expected)


def test_rank_metrics_of_no_answerable_questions_are_none() -> None:
    assert recall_at_k([], 5) is None
    assert mrr_at_k([], 10) is None


@pytest.mark.parametrize(
    ("values", "pct", "expected"),
    [
        ([10.0, 20.0, 30.0, 40.0], 50, 25.0),
        ([10.0, 20.0, 30.0, 40.0], 95, 38.5),
        ([40.0, 10.0, 30.0, 20.0], 50, 25.0),  # order does not matter
        ([7.0], 95, 7.0),
        ([5.0, 5.0, 5.0, 100.0], 50, 5.0),  # ties
        ([1.0, 2.0], 0, 1.0),
        ([1.0, 2.0], 100, 2.0),
    ],
)
def test_percentile(values: list[float], pct: float, expected: float) -> None:
    assert percentile(values, pct) == pytest.approx(expected)


def test_percentile_of_nothing_is_none() -> None:
    assert percentile([], 50) is None


def test_abstention_and_false_abstention() -> None:
    unans = question([], "unanswerable")
    ans = question([G1])
    results = [
        result(unans, [], answered=False),
        result(unans, [noise()], answered=True),
        result(unans, [], answered=False),
        result(ans, [hit_of(G1)], answered=True),
        result(ans, [hit_of(G1)], answered=False),
        result(ans, [hit_of(G1)], answered=True),
        result(ans, [hit_of(G1)], answered=True),
    ]
    assert abstention_accuracy(results) == pytest.approx(2 / 3)
    assert false_abstention_rate(results) == pytest.approx(1 / 4)


def test_abstention_figures_are_none_without_such_questions() -> None:
    assert abstention_accuracy([result(question([G1]), [])]) is None


# --- score and the report ------------------------------------------------------------


def test_score_overall() -> None:
    report = score(mixed_results(), COUNCILS)
    o = report.overall
    assert (o.questions, o.answerable) == (5, 4)
    assert o.recall_at_1 == pytest.approx(2 / 4)  # f1, c1
    assert o.recall_at_5 == pytest.approx(3 / 4)  # p1's hit is at rank 11
    assert o.mrr_at_10 == pytest.approx((1 + 1 / 3 + 0 + 1) / 4)
    assert o.ndcg_at_10 == pytest.approx((1 + 1 / math.log2(4) + 0 + 1) / 4)
    assert o.abstention_accuracy == pytest.approx(1.0)
    assert o.false_abstention == pytest.approx(1 / 4)
    assert o.compare_coverage == pytest.approx(0.5)  # only Beta in its own list
    assert o.page_accuracy is None  # the only PDF hit is beyond the top 10
    assert o.pages_judged == 0
    assert o.latency_p50_ms == pytest.approx(30.0)
    assert o.latency_p95_ms == pytest.approx(48.0)


def test_score_per_type() -> None:
    by_type = score(mixed_results(), COUNCILS).by_type
    assert list(by_type) == ["factoid", "paraphrase", "compare", "unanswerable"]
    assert by_type["factoid"].recall_at_1 == pytest.approx(0.5)
    assert by_type["factoid"].mrr_at_10 == pytest.approx((1 + 1 / 3) / 2)
    assert by_type["paraphrase"].recall_at_5 == 0.0
    assert by_type["paraphrase"].false_abstention == 1.0
    assert by_type["compare"].compare_coverage == pytest.approx(0.5)
    assert by_type["factoid"].compare_coverage is None
    assert by_type["unanswerable"].recall_at_1 is None
    assert by_type["unanswerable"].abstention_accuracy == 1.0


def test_score_misses_list_answerable_questions_not_at_rank_1() -> None:
    misses = score(mixed_results(), COUNCILS).misses
    assert [(m.id, m.type, m.rank, m.top1_source) for m in misses] == [
        ("f2", "factoid", 3, "z.txt"),
        ("p1", "paraphrase", 11, "x.pdf"),
    ]
    assert misses[0].question == "second factoid"


def test_score_page_accuracy() -> None:
    q = question([G3], "factoid")
    results = [
        result(q, [hit_of(G3, page=3)]),
        result(q, [hit_of(G3, page=2)]),
        result(q, [hit_of(G3, page=1)]),
        result(question([G1]), [hit_of(G1)]),  # non-PDF gold: not counted
    ]
    overall = score(results, COUNCILS).overall
    assert overall.page_accuracy == pytest.approx(2 / 3)
    assert overall.pages_judged == 3


def test_score_compare_falls_back_to_top_10_of_ranked() -> None:
    q = question([G1, G2], "compare")
    ranked = [hit_of(G1)] + [noise(n=i) for i in range(9)] + [hit_of(G2)]
    assert score([result(q, ranked)], COUNCILS).overall.compare_coverage == pytest.approx(0.5)


def test_score_with_no_answerable_questions() -> None:
    u = question([], "unanswerable")
    report = score([result(u, [], answered=False), result(u, [noise()])], COUNCILS)
    o = report.overall
    assert (o.questions, o.answerable) == (2, 0)
    assert o.recall_at_1 is None and o.mrr_at_10 is None and o.ndcg_at_10 is None
    assert o.false_abstention is None and o.compare_coverage is None
    assert o.abstention_accuracy == pytest.approx(0.5)
    assert report.misses == []
    assert "overall" in format_report(report)


def test_score_of_no_results() -> None:
    report = score([], {})
    assert report.overall.questions == 0
    assert report.overall.latency_p50_ms is None
    assert report.by_type == {}


def test_format_report_shows_figures_types_and_misses() -> None:
    text = format_report(score(mixed_results(), COUNCILS))
    lines = text.splitlines()
    for column in ("R@1", "R@5", "MRR@10", "nDCG@10", "Abstain", "FalseAbst", "Compare"):
        assert column in lines[0]
    assert "PageAcc" in lines[0] and "p50 ms" in lines[0] and "p95 ms" in lines[0]
    overall = next(line for line in lines if line.startswith("overall"))
    assert overall.split()[1:5] == ["5", "0.50", "0.75", "0.583"]
    assert any(line.startswith("unanswerable") for line in lines)
    assert "Missed at rank 1: 2 of 4 answerable" in text
    f2 = next(line for line in lines if "f2" in line)
    assert "rank    3" in f2 and "z.txt" in f2


def test_format_report_shows_none_for_a_question_with_no_hit() -> None:
    q = question([G1], qid="lost")
    text = format_report(score([result(q, [noise()])], COUNCILS))
    assert "rank none" in next(line for line in text.splitlines() if "lost" in line)


def test_report_to_dict_is_json_ready() -> None:
    data = json.loads(json.dumps(report_to_dict(score(mixed_results(), COUNCILS))))
    assert data["overall"]["recall_at_1"] == pytest.approx(0.5)
    assert data["by_type"]["compare"]["compare_coverage"] == pytest.approx(0.5)
    assert [m["id"] for m in data["misses"]] == ["f2", "p1"]
    assert data["misses"][1]["rank"] == 11


def test_score_reports_answer_at_1_and_lists_the_highlight_of_each_miss() -> None:
    good = question([G1], qid="good")
    shown_wrong = question([G2], qid="heading", text="was the line used?")
    lost = question([G3], qid="lost")
    results = [
        result(good, [with_highlight(hit_of(G1), G1.evidence)]),
        result(shown_wrong, [with_highlight(hit_of(G2), "Before it.")]),
        result(lost, [with_highlight(noise(), "an unrelated passage")]),
    ]
    report = score(results, COUNCILS)
    assert report.overall.answer_at_1 == pytest.approx(1 / 3)
    assert [(m.id, m.rank, m.answer_ok) for m in report.misses] == [
        ("heading", 1, False),
        ("lost", None, False),
    ]
    assert report.misses[0].highlight == "Before it."
    text = format_report(report)
    assert "Right passage, highlight not the answer: 1" in text
    assert "highlight: an unrelated passage" in text
    assert "Ans@1" in text.splitlines()[0]


def test_answer_at_1_is_none_for_a_system_without_highlights() -> None:
    report = score(mixed_results(), COUNCILS)
    assert report.overall.answer_at_1 is None


def test_format_report_lines_up_the_misses_of_any_type() -> None:
    long_type = question([G1], "a-type-no-shared-set-uses", "long", "first")
    short_type = question([G2], "factoid", "a-much-longer-id", "second")
    report = score([result(long_type, [noise()]), result(short_type, [noise()])], COUNCILS)
    text = format_report(report)
    rows = [line.split()[0] for line in text.splitlines()[2:5]]
    assert rows == ["overall", "factoid", "a-type-no-shared-set-uses"]  # shared sets' types first
    misses = [line for line in text.splitlines() if "top-1" in line]
    assert len(misses) == 2
    assert len({line.index(" rank ") for line in misses}) == 1
