"""bench/batch_profile.py: what a blind batch is made of (question kinds, formalities of the
meeting, what an unanswerable question asks for) and its R@1 by each."""

from __future__ import annotations

import pickle
from pathlib import Path

from bench.batch_profile import asked, formality, named_by_item, pooled, profile
from bench.rank1_capture import Cand, Row
from bench.rank1_new import Paper
from qa_service.rerank import Features

PAPERS = {
    "minutes.txt": Paper("Anytown Council", "Cabinet", "2019-03-04"),
    "may.txt": Paper("Anytown Council", "Cabinet", "2019-05-20"),
    "alone.txt": Paper("Lonely Council", "Cabinet", "2019-05-20"),
}


def _cand(source: str, score: float, hit: bool) -> Cand:
    features = Features(fused=0.0, passage=score, sentence=0.0, coverage=0.0)
    return Cand(0, source, "text", "", features, score, hit, 1, 1, 1, False, None, 1)


def _row(
    qid: str,
    question: str,
    batch: str = "ask_heldout_real9",
    qtype: str = "factoid",
    council: str = "Anytown Council",
    first_hits: bool = True,
    evidence: str = "the answer",
) -> Row:
    cands = [_cand("minutes.txt", 1.0, first_hits), _cand("minutes.txt", 0.5, not first_hits)]
    return Row(qid, batch, "real-dev-set", question, qtype, (council,), [("m", evidence)], cands)


def test_formalities_are_read_from_the_question_and_attendance_from_the_evidence() -> None:
    assert formality(_row("a", "Did any councillor declare an interest at the meeting?")) == (
        "declarations"
    )
    assert formality(_row("a", "Which councillor sent apologies?")) == "apologies"
    assert formality(_row("a", "When had the committee last met before May?")) == "last met"
    assert formality(_row("a", "committee 21 november 2022 venue")) == "venue"
    assert formality(_row("a", "Who filled in for Councillor Kendrick?")) == "attendance"
    keyword = _row("a", "highland director october 2015", evidence="In attendance: Mr B Alexander")
    assert formality(keyword) == "attendance"
    assert formality(_row("a", "How much did the scheme cost?")) is None


def test_a_meeting_named_by_another_item() -> None:
    assert named_by_item(_row("a", "Who sent apologies to the meeting where X was congratulated?"))
    assert named_by_item(_row("a", "When had it last met before it looked at care fee levels?"))
    assert not named_by_item(_row("a", "Who sent apologies to the meeting on 13 May 2019?"))


def test_what_an_unanswerable_question_asks_for() -> None:
    assert asked("Which ward member objected to the application?") == "a person"
    assert asked("What is the name of the Executive Director?") == "a person"
    assert asked("Who sits on the Climate Emergency Board?") == "a person"
    assert asked("On what date was the meeting held?") == "a date"
    assert asked("How many flats were in the tower blocks?") == "a figure"
    assert asked("What will phase 2 of the heat network cost?") == "a figure"
    assert asked("What equality impacts did the council identify?") == "other"


def test_profile_counts_rank_1_by_kind_formality_and_council_depth() -> None:
    rows = [
        _row("a", "Which councillor sent apologies?", first_hits=False),
        _row("b", "What did it decide?", qtype="paraphrase"),
        _row("c", "What did it decide?", council="Lonely Council"),
        _row("d", "What did it decide?", batch="dev-set"),
    ]
    lines = profile(rows, PAPERS)
    assert lines[0].startswith("| set or batch | answerable | R@1 | factoid | paraphrase |")
    real9 = next(line for line in lines if line.startswith("| ask_heldout_real9 "))
    # 3 answerable, 2 at rank 1; factoid 1/2, paraphrase 1/1; the apologies question missed;
    # one question of a one-paper council, two of a council with two papers
    assert real9 == "| ask_heldout_real9 | 3 | 0.67 | 1/2 | 1/1 | 0/1 | – | 1/1 | 1/2 |"
    # the real batches come before the fictional sets
    assert lines.index(real9) < next(i for i, x in enumerate(lines) if "dev-set" in x)


def test_pooled_captures_count_a_question_once(tmp_path: Path) -> None:
    first, second = tmp_path / "a.pkl", tmp_path / "b.pkl"
    first.write_bytes(pickle.dumps([_row("a", "Q?"), _row("b", "Q?")]))
    second.write_bytes(pickle.dumps([_row("b", "Q?"), _row("c", "Q?")]))
    assert [r.qid for r in pooled([first, second])] == ["a", "b", "c"]
