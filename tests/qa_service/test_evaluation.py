"""Tests for qa_service.evaluation: the hit rule, each metric, the report and the loader."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import pytest

from cqa_core.errors import CQAError, InvalidQueryError
from qa_service.evaluation import (
    QUESTION_TYPES,
    GoldEntry,
    Question,
    QuestionResult,
    Retrieved,
    abstention_accuracy,
    answer_at_1,
    collapse,
    compare_coverage,
    false_abstention_rate,
    first_hit_page_ok,
    first_hit_rank,
    format_report,
    highlight_answers,
    is_hit,
    load_questions,
    mrr_at_k,
    ndcg_at_k,
    page_ok,
    percentile,
    recall_at_k,
    report_to_dict,
    score,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DEV_SET = SHARED / "dev-set"

G1 = GoldEntry("a.txt", "seventy one actions were complete")
G2 = GoldEntry("b.html", "the threshold consultation line is well used")
G3 = GoldEntry("c.pdf", "Twenty-three warning notices were issued", page=3)


def question(
    gold: list[GoldEntry], qtype: str = "factoid", qid: str = "q1", text: str = "what?"
) -> Question:
    return Question(qid, text, qtype, {}, gold, "" if gold else "not in the corpus")


def hit_of(g: GoldEntry, page: int | None = None, council: str | None = None) -> Retrieved:
    """A passage that hits ``g``: its evidence with text around it."""
    return Retrieved(g.file, f"Before it. {g.evidence}. After it.", page, council)


def noise(source: str = "z.txt", n: int = 0) -> Retrieved:
    return Retrieved(source, f"an unrelated passage number {n}", None, None)


def result(
    q: Question,
    ranked: list[Retrieved],
    answered: bool = True,
    latency_ms: float = 10.0,
    compare: dict[str, list[Retrieved]] | None = None,
) -> QuestionResult:
    return QuestionResult(q, ranked, answered, latency_ms, compare)


# --- collapse and the hit rule -------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a  b", "a b"),
        ("  a\n\tb \r\n c  ", "a b c"),
        ("a\u00a0b", "a b"),  # a no-break space is whitespace too
        ("", ""),
        ("   ", ""),
        ("one", "one"),
    ],
)
def test_collapse(raw: str, expected: str) -> None:
    assert collapse(raw) == expected


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


COUNCILS = {"a.txt": "Alpha", "b.html": "Beta", "c.pdf": "Gamma", "a2.txt": "Alpha"}


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
    assert false_abstention_rate([result(question([], "unanswerable"), [])]) is None


# --- score and the report ------------------------------------------------------------


def _results() -> list[QuestionResult]:
    f1 = question([G1], "factoid", "f1", "first factoid")
    f2 = question([G2], "factoid", "f2", "second factoid")
    p1 = question([G3], "paraphrase", "p1", "paraphrased")
    c1 = question([G1, G2], "compare", "c1", "compare councils")
    u1 = question([], "unanswerable", "u1", "not here")
    return [
        result(f1, [hit_of(G1)], latency_ms=10.0),
        result(f2, [noise("z.txt", 1), noise("y.txt", 2), hit_of(G2)], latency_ms=20.0),
        result(p1, [noise("x.pdf")] * 10 + [hit_of(G3, page=3)], answered=False, latency_ms=30.0),
        result(
            c1,
            [hit_of(G2), hit_of(G1)],
            latency_ms=40.0,
            compare={"Alpha": [noise()], "Beta": [hit_of(G2)]},
        ),
        result(u1, [noise()], answered=False, latency_ms=50.0),
    ]


def test_score_overall() -> None:
    report = score(_results(), COUNCILS)
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
    by_type = score(_results(), COUNCILS).by_type
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
    misses = score(_results(), COUNCILS).misses
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
    text = format_report(score(_results(), COUNCILS))
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
    data = json.loads(json.dumps(report_to_dict(score(_results(), COUNCILS))))
    assert data["overall"]["recall_at_1"] == pytest.approx(0.5)
    assert data["by_type"]["compare"]["compare_coverage"] == pytest.approx(0.5)
    assert [m["id"] for m in data["misses"]] == ["f2", "p1"]
    assert data["misses"][1]["rank"] == 11


# --- loading questions ---------------------------------------------------------------

needs_shared = pytest.mark.skipif(not DEV_SET.is_dir(), reason="shared/dev-set is not present")


@needs_shared
def test_load_dev_questions() -> None:
    questions = load_questions(DEV_SET / "questions.jsonl")
    assert len(questions) == 72
    assert Counter(q.type for q in questions) == {
        "factoid": 15,
        "topical": 6,
        "paraphrase": 11,
        "filtered": 14,
        "precedent": 9,
        "compare": 10,
        "unanswerable": 7,
    }
    assert len({q.id for q in questions}) == 72
    assert all(q.gold == [] for q in questions if q.type == "unanswerable")
    assert all(q.gold for q in questions if q.type != "unanswerable")
    first = questions[0]
    assert first.id == "dev-01" and first.filters == {}
    assert first.gold[0].file == "northmoor-improvement-board-2016-10-18-notes.html"
    assert first.gold[0].page is None
    assert any(g.page is not None for q in questions for g in q.gold)
    filtered = [q for q in questions if q.filters]
    assert filtered and all(set(q.filters) <= {"council", "date_from", "date_to"} for q in filtered)


@needs_shared
def test_load_seed_questions() -> None:
    questions = load_questions(DEV_SET / "seed-questions.jsonl")
    assert [q.id for q in questions] == ["seed-01", "seed-02", "seed-03", "seed-04"]
    assert all(q.filters == {} and len(q.gold) == 1 for q in questions)
    assert questions[0].question == "what did Ofsted say about thresholds"


VALID = {
    "id": "ok-1",
    "question": "How many?",
    "type": "factoid",
    "gold": [{"file": "a.pdf", "evidence": "some words here", "page": 2}],
    "answer": "many",
}


_DROP = object()  # a field value meaning "leave the key out"


def _line(**changes: object) -> str:
    data = {**VALID, **changes}
    return json.dumps({k: v for k, v in data.items() if v is not _DROP})


def test_load_questions_skips_blank_lines_and_reads_all_fields(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    second = _line(
        id="ok-2",
        type="filtered",
        filters={"council": "Alpha", "date_from": "2020-01-01", "date_to": "2020-12-31"},
        answer=_DROP,
    )
    path.write_text(f"\n{_line()}\n   \n{second}\n\n", encoding="utf-8")
    questions = load_questions(path)
    assert [q.id for q in questions] == ["ok-1", "ok-2"]
    assert questions[0] == Question(
        "ok-1", "How many?", "factoid", {}, [GoldEntry("a.pdf", "some words here", 2)], "many"
    )
    assert questions[1].filters["council"] == "Alpha"
    assert questions[1].answer == ""


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        (_line(question=_DROP), "missing 'question'"),
        (_line(question="  "), "'question'"),
        (_line(question=7), "'question'"),
        (_line(id=_DROP), "missing 'id'"),
        (_line(type=_DROP), "missing 'type'"),
        (_line(gold=_DROP), "missing 'gold'"),
        (_line(gold={"file": "a.pdf"}), "bad 'gold': expected a list"),
        (_line(gold=["a.pdf"]), "bad 'gold' entry 1: expected a JSON object"),
        (_line(gold=[{"evidence": "some words"}]), "bad 'gold' entry 1: missing or empty 'file'"),
        (_line(gold=[{"file": "a.txt", "evidence": " "}]), "bad 'gold' entry 1: missing or empty"),
        (_line(gold=[{"file": "a.txt"}]), "'evidence'"),
        (_line(gold=[{"file": "a.pdf", "evidence": "w", "page": 0}]), "'page'"),
        (_line(gold=[{"file": "a.pdf", "evidence": "w", "page": "3"}]), "'page'"),
        (_line(gold=[{"file": "a.pdf", "evidence": "w", "page": True}]), "'page'"),
        (_line(gold=[]), "needs at least one gold entry"),
        (_line(type="unanswerable"), "must have no gold entries"),
        (_line(filters=["Alpha"]), "bad 'filters'"),
        (_line(filters={"date_from": "2020-13-01"}), "date_from"),
        (_line(filters={"date_to": 2020}), "date_to"),
        (_line(filters={"council": ["Alpha"]}), "council"),
        (_line(answer=3), "'answer'"),
        (_line(id="ok-1"), "duplicate id 'ok-1' (first on line 1)"),
    ],
)
def test_load_questions_rejects_malformed_lines(tmp_path: Path, bad: str, message: str) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(f"{_line()}\n\n{bad}\n", encoding="utf-8")
    with pytest.raises(InvalidQueryError) as info:
        load_questions(path)
    assert isinstance(info.value, CQAError)
    assert "line 3" in str(info.value)
    assert message in str(info.value)


def test_load_questions_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidQueryError, match="cannot read"):
        load_questions(tmp_path / "absent.jsonl")


def test_question_types_are_the_dev_sets() -> None:
    assert set(QUESTION_TYPES) == {
        "factoid",
        "topical",
        "paraphrase",
        "filtered",
        "precedent",
        "compare",
        "unanswerable",
    }


def test_question_types_are_open(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(_line(type="trivia") + "\n", encoding="utf-8")
    (q,) = load_questions(path)
    report = score([result(q, [hit_of(G1)])], COUNCILS)
    assert list(report.by_type) == ["trivia"]


def test_hit_rule_ignores_case_and_spacing() -> None:
    r = Retrieved(G1.file, "Before.  SEVENTY one\nactions were complete. After.")
    assert is_hit(G1, r)


def with_highlight(r: Retrieved, highlight: str | None) -> Retrieved:
    return Retrieved(r.source, r.text, r.page, r.council, highlight)


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
    report = score(_results(), COUNCILS)
    assert report.overall.answer_at_1 is None
