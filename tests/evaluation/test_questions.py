"""Tests for evaluation.questions: reading and checking a questions.jsonl file."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from cqa_core.errors import CQAError, InvalidQueryError
from evaluation.questions import QUESTION_TYPES, GoldEntry, Question, collapse, load_questions
from evaluation.report import format_report
from evaluation.scoring import score
from tests.evaluation.samples import COUNCILS, G1, hit_of, result

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DEV_SET = SHARED / "dev-set"


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
        # a "\ud800" escape reached SQLite (a filter) or the terminal (the report): traceback
        (_line(question="a \ud800 b"), "lone surrogate"),
        (_line(filters={"council": "\udfff"}), "lone surrogate"),
        (_line(type="compare", councils=["\ud83d"]), "lone surrogate"),
        # reversed bounds were scored as a filter nothing can pass
        (_line(filters={"date_from": "2021-01-01", "date_to": "2020-01-01"}), "after date_to"),
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


SHARED = Path(__file__).resolve().parents[2].parent / "shared"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not beside the repository")
def test_question_types_are_the_shared_sets() -> None:
    # reports list these types first: they must be exactly the ones the shared sets use
    used = {
        json.loads(line)["type"]
        for name in ("dev-set", "dev-set-2", "real-dev-set")
        for line in (SHARED / name / "questions.jsonl").read_text().splitlines()
        if line.strip()
    }
    assert set(QUESTION_TYPES) == used


def test_question_types_are_open(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(_line(type="trivia") + "\n", encoding="utf-8")
    (q,) = load_questions(path)
    report = score([result(q, [hit_of(G1)])], COUNCILS)
    assert list(report.by_type) == ["trivia"]


def test_a_new_type_may_be_unanswerable(tmp_path: Path) -> None:
    """A set's own type for questions the papers cannot answer: read, scored on abstention
    and reported on its own row, after the shared sets' types."""
    path = tmp_path / "q.jsonl"
    lines = [
        _line(id="f1"),
        _line(id="o1", type="out-of-scope", gold=[], answer="not in the papers"),
        _line(id="o2", type="out-of-scope", gold=[]),
        _line(id="t1", type="trivia"),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    questions = load_questions(path)
    assert [(q.type, q.answerable) for q in questions] == [
        ("factoid", True),
        ("out-of-scope", False),
        ("out-of-scope", False),
        ("trivia", True),
    ]
    answered = {"f1": True, "o1": False, "o2": True, "t1": True}
    report = score([result(q, [], answered[q.id]) for q in questions], COUNCILS)
    assert list(report.by_type) == ["factoid", "out-of-scope", "trivia"]
    own = report.by_type["out-of-scope"]
    assert (own.questions, own.answerable) == (2, 0)
    assert own.abstention_accuracy == pytest.approx(0.5)
    assert own.recall_at_1 is None
    assert report.overall.abstention_accuracy == pytest.approx(0.5)
    assert "out-of-scope" in format_report(report)
