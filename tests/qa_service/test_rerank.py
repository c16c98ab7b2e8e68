"""The second stage's signals: key-term coverage (abbreviations, plurals, phrases) and the
weights of the things a question asks about."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from index.store import DocumentRecord, PassageRecord
from ingest import procedural
from ingest.models import DocMeta
from qa_service import rerank
from qa_service.query import QueryReader
from qa_service.rerank import (
    Features,
    Weights,
    approves_minutes_only,
    concept_weights,
    count_named,
    coverage,
    everyday_share,
    front_matter_mark,
    is_title_block,
    named_weight,
    recency,
    slash_form,
    year_preference,
)


def passage(text: str, heading: tuple[str, ...] = ()) -> PassageRecord:
    document = DocumentRecord(
        document_id="d1",
        source="minutes.txt",
        path="minutes.txt",
        content_hash="0",
        meta=DocMeta(council="Anytown Borough Council"),
        ingested_at="2026-01-01T00:00:00",
    )
    return PassageRecord(1, "p1", 1, 0, len(text), None, heading, text, document)


@pytest.mark.parametrize(
    ("text", "forms", "found"),
    [
        # an abbreviation counts where the passage spells it out, plural or not
        (
            "There were 212 children on child protection plans.",
            ("cpp", "child protection plan"),
            True,
        ),
        ("There were 212 children subject to a CPP.", ("cpp", "child protection plan"), True),
        ("There were 212 children in need.", ("cpp", "child protection plan"), False),
        # the words of a phrase must be in order and start on a word
        ("the plan for child protection", ("cpp", "child protection plan"), False),
        ("a grandchild protection plan", ("cpp", "child protection plan"), False),
        # a long form with punctuation is read as its words
        ("new education, health and care plans", ("ehcp", "education, health and care plan"), True),
        # short words: plural and singular
        ("issued within 20 weeks", ("week",), True),
        ("71% of EHCPs were issued on time", ("ehcp",), True),
        ("one care leaver", ("leavers",), True),
        ("the weekend rota", ("week",), False),
        # longer words: their first letters ("recruited" for "recruitment")
        ("foster carers recruited this year", ("recruitment",), True),
    ],
)
def test_a_concept_is_found_in_any_of_its_forms(
    text: str, forms: tuple[str, ...], found: bool
) -> None:
    assert coverage(passage(text), {forms: 1.0}) == (1.0 if found else 0.0)


def test_coverage_is_the_weighted_share_and_reads_the_headings() -> None:
    weights = {("agency",): 3.0, ("caseloads",): 1.0}
    assert coverage(passage("Agency staff made up 34%."), weights) == pytest.approx(0.75)
    assert coverage(passage("34%.", ("Workforce", "Agency staff")), weights) == pytest.approx(0.75)
    assert coverage(passage("Nothing relevant."), weights) == 0.0
    assert coverage(passage("Agency staff."), {}) == 0.0


def test_a_concept_weighs_the_mean_rarity_of_its_words_not_its_phrases() -> None:
    vocabulary = {"lac": 9, "cla": 1, "agency": 99}
    weights = concept_weights(
        [("agency",), ("lac", "cla", "looked after children")], vocabulary, passages=100
    )
    assert weights[("agency",)] == pytest.approx(math.log(2))
    assert weights[("lac", "cla", "looked after children")] == pytest.approx(
        (math.log(1 + 100 / 10) + math.log(1 + 100 / 2)) / 2
    )


def test_the_decision_signal_counts_with_its_weight() -> None:
    plain = Features(fused=0.5, passage=0.5, sentence=0.5)
    holding = Features(fused=0.5, passage=0.5, sentence=0.5, decision=1.0)
    w = Weights()
    assert holding.score(w) - plain.score(w) == pytest.approx(w.decision)
    assert holding.score(Weights(decision=0.0)) == pytest.approx(plain.score(w))


@pytest.mark.parametrize(
    ("text", "ordinal", "front"),
    [
        # the head of a set of minutes, wherever it falls (an agenda pack holds several)
        (
            "Agenda Item 3\nANYTOWN BOROUGH COUNCIL\nMinutes of the meeting held on Tuesday"
            " 26 November 2024\nPresent: Councillor A (Chair); Councillors B and C.",
            14,
            True,
        ),
        # a report's cover sheet inside an agenda pack
        (
            "Agenda Item 7\nLADO Annual Report 2022/23\nDate of meeting 19 September 2023\n"
            "Report of the Assistant Director",
            30,
            True,
        ),
        # minutes that number their items, however long the passage runs on
        (
            "Milburn Parish Council - 7th January 2020\n Present\nCouncillors D Richardson"
            " (Chair) and P Moran\n20.01.01  Apologies\nNone received. The minutes of the"
            " last meeting were agreed as a true record and signed by the Chair.",
            0,
            True,
        ),
        # an agenda's cover: who sits on the committee and where it meets
        (
            "Membership: Councillors A, B and C\nA meeting of the Audit Committee will be"
            " held at the Civic Centre on 22 October 2009 at 7.15pm.\nVenue: Committee Room",
            0,
            True,
        ),
        # one numbered front-matter item amid the business of a meeting is not
        (
            "2692. Public Forum: a resident asked to use the garden for the festival.\n"
            "2693. Apologies: Cllr Evans. The clerk reported that the grant had been paid.",
            6,
            False,
        ),
        # a document's first passage of short lines
        ("ANYTOWN BOROUGH COUNCIL\nFostering Report\nReport to Cabinet\n12 March 2019", 0, True),
        # one such line opening a passage that goes on to say something is not front matter
        (
            "Report of the Director of Children's Services. The number of children in care had"
            " risen to 531, a rate of 84 per 10,000 children, above the national rate.",
            3,
            False,
        ),
        ("The Committee noted the report and asked for a further update in March.", 5, False),
        # a list of links to a meeting's papers names their topics and answers none
        (
            "Supporting documents:\n\nGarden waste charges 2022/23 (PDF, 210 KB)\n\n"
            "Waste and recycling performance 2020/21 (PDF, 380 KB)",
            9,
            True,
        ),
        ("SEND update pdf icon PDF 97 KB\nLADO annual report pdf icon PDF 1 MB", 4, True),
        # the approval of the last minutes with the next item's title answers nothing
        (
            "Minutes:\n\nRESOLVED - That the minutes of the meeting held on 13 December 2022 be"
            " approved as a correct record.\n\n40.\n\nDirector of Public Health Annual Report"
            " 2022: Living Longer, Living Better",
            7,
            True,
        ),
        (
            "21.01.03  Minutes\nThe minutes of the meeting held on the 14th July 2020 had been"
            " circulated prior to this meeting.  All agreed this was a true record and were"
            " signed and approved.",
            2,
            True,
        ),
        # ... or confirmed without naming the record, as council web pages print the item
        (
            "79.\n\nMinutes pdf icon PDF 109 KB\n\nTo confirm the Minutes of the meeting of the"
            " Committee held on 25 October 2022.\n\nDecision:\n\nRESOLVED: That the Committee"
            " agreed the minutes of the meeting on 25 October 2022 as an accurate record.\n\n"
            "Minutes:\n\nRESOLVED: that the People Overview and Scrutiny Committee agreed the"
            " minutes of the People Overview and Scrutiny Committee meeting on 25 October 2022.",
            3,
            True,
        ),
        (
            "3. Minutes\nTo confirm the minutes of the meeting held on 17 September 2024.\n"
            "The Chair noted that this additional meeting had been convened to consider SEND.",
            3,
            False,
        ),
        # ... but not when the item goes on to say something
        (
            "40. Minutes\nRESOLVED - That the minutes of the meeting held on 13 December 2022 be"
            " approved as a correct record.\nThe Board noted that the grant for 2023/24 would be"
            " £24.6 million.",
            7,
            False,
        ),
        # minutes that end by linking their report are not
        (
            "RESOLVED - That the annual charge for garden waste be increased to £48 from 1"
            " April 2022.\nThe Cabinet noted that 58% of households subscribed.\n"
            "Supporting documents:\nGarden waste charges 2022/23 (PDF, 210 KB)",
            9,
            False,
        ),
    ],
)
def test_front_matter(text: str, ordinal: int, front: bool) -> None:
    record = passage(text)
    record = PassageRecord(
        record.rowid, record.passage_id, ordinal, 0, len(text), None, (), text, record.document
    )
    assert is_title_block(record) is front


def dated(text: str, meeting_date: str | None) -> PassageRecord:
    record = passage(text)
    meta = DocMeta(council="Anytown Borough Council", meeting_date=meeting_date)
    return PassageRecord(
        1, "p1", 1, 0, len(text), None, (), text, replace(record.document, meta=meta)
    )


@pytest.mark.parametrize(
    ("question", "text", "meeting", "expected"),
    [
        ("budget for 2024/25", "The budget for 2024-25 was set.", "2023-02-20", 1.0),
        ("budget for 2024/25", "The 2024/2025 budget was set.", "2021-02-20", 1.0),
        ("budget for 2024/25", "The budget was set.", "2024-05-01", 1.0),  # meeting in range
        ("budget for 2024/25", "The 2023/24 budget was set.", "2023-02-20", 0.0),
        ("potholes in 2019", "Potholes repaired in 2019.", None, 1.0),
        ("potholes in 2019", "Potholes repaired.", "2020-07-01", 1.0),
        ("potholes in 2019", "Potholes repaired in 2017.", "2018-07-01", 0.0),
    ],
)
def test_a_year_is_matched_in_the_text_or_the_meeting_date(
    question: str, text: str, meeting: str | None, expected: float
) -> None:
    preferred = year_preference(QueryReader().read(question))
    assert preferred is not None
    assert preferred.match(dated(text, meeting)) == expected


def test_no_year_preference_without_a_year_or_with_a_one_sided_bound() -> None:
    assert year_preference(QueryReader().read("potholes repaired")) is None
    assert year_preference(QueryReader().read("potholes repaired since 2019")) is None


def test_recency_ranks_meeting_dates_newest_first() -> None:
    dates = ["2019-05-20", None, "2018-10-29", "2021-03-29", "2019-05-20"]
    assert recency(dates) == {"2018-10-29": 0.0, "2019-05-20": 0.5, "2021-03-29": 1.0}
    assert recency(["2019-05-20", "2019-05-20", None]) == {}


def test_the_latest_weight_puts_the_newer_of_two_equal_passages_first() -> None:
    older = Features(fused=0.5, passage=0.5, sentence=0.5, latest=0.0)
    newer = Features(fused=0.5, passage=0.5, sentence=0.5, latest=1.0)
    assert newer.score(Weights()) > older.score(Weights())
    assert newer.score(replace(Weights(), latest=0.0)) == older.score(Weights())


def test_a_word_written_with_a_slash_counts_as_named() -> None:
    # a parish's financial report cut as an item of its own writes its account "A/C"
    weights = {("community",): 1.0, ("account",): 1.0, ("balance",): 1.0}
    text = "2584. Financial Report: Community A/C £3,572.58, BMM A/C £7,117.48."
    assert named_weight(text, weights) == 2.0
    # a date, a fraction or "24/7" names nothing; nor a form inside a longer one
    assert named_weight("A/C/D on 3/4 and 24/7", {("account",): 1.0}) == 0.0
    assert slash_form("account") == "a/c" and slash_form("child protection") == ""


def test_the_everyday_share_credits_a_key_term_named_only_in_the_papers_term() -> None:
    weights = {("special",): 1.0, ("needs",): 1.0, ("plans",): 1.0, ("delays",): 1.0}
    phrase = (("special", "needs", "plans"), ("education, health and care plan", "ehcp"))
    # the papers' term names the phrase's three words; "delays" is named in its own word
    # and so left to ``coverage``
    answer = passage("Delays in issuing EHCPs came from a shortage of psychologists.")
    assert everyday_share(answer, weights, [phrase]) == pytest.approx(0.75)
    # words the passage names itself are coverage's, not credited twice
    own = passage("Special educational needs: plans were late.")
    assert everyday_share(own, weights, [phrase]) == 0.0
    assert everyday_share(answer, weights, []) == 0.0  # no everyday phrase asked
    assert everyday_share(passage("Nothing relevant."), weights, [phrase]) == 0.0


def test_the_everyday_signal_counts_with_its_weight() -> None:
    plain = Features(fused=0.5, passage=0.5, sentence=0.5)
    credited = Features(fused=0.5, passage=0.5, sentence=0.5, everyday=0.5)
    assert credited.score(Weights()) - plain.score(Weights()) == pytest.approx(
        0.5 * Weights().everyday
    )
    assert credited.score(Weights(everyday=0.0)) == pytest.approx(plain.score(Weights()))


def test_front_matter_answers_a_question_on_who_attended() -> None:
    head = passage("Present: Councillors A, B and C.\nApologies: Councillor D (Substitute: E).")
    assert front_matter_mark(head, asks_attendance=False) == 1.0
    # the head of the minutes is the answer: the weight that marks it down lifts it
    assert front_matter_mark(head, asks_attendance=True) == -1.0
    assert Features(0.5, 0.5, 0.5, title_block=-1.0).score(Weights()) > Features(
        0.5, 0.5, 0.5
    ).score(Weights())
    body = passage("The committee agreed the budget after a long discussion of the options.")
    assert front_matter_mark(body, asks_attendance=False) == 0.0
    assert front_matter_mark(body, asks_attendance=True) == 0.0
    # other front matter (a list of the papers' links) answers no one's attendance
    links = passage("SEND update pdf icon PDF 97 KB\nLADO annual report pdf icon PDF 1 MB")
    assert front_matter_mark(links, asks_attendance=True) == 0.0


def test_a_count_is_a_number_written_right_before_the_thing_counted() -> None:
    people = [("people",)]
    assert count_named("The capacity of the venue is for 7,500 people.", people) == 1.0
    assert count_named("Of these, 318 met the threshold.", [("allegations",)]) == 0.0
    # an abbreviation's long form, word for word, and a plural
    cla = [("cla", "looked after children")]
    assert count_named("There were 312 looked after children in March.", cla) == 1.0
    assert count_named("It received 1,046 contacts.", [("contact",)]) == 1.0
    # money, a year, a list or section number and a percentage are not counts
    assert count_named("A grant of £3,000 people can apply for.", people) == 0.0
    assert count_named("Since the 2018 people survey.", people) == 0.0
    assert count_named("3. People\n3.1 People said", people) == 0.0
    assert count_named("45% of people", people) == 0.0
    assert count_named("It holds 7,500 people.", []) == 0.0  # not a "how many" question


def test_the_count_signal_counts_with_its_weight() -> None:
    plain = Features(fused=0.5, passage=0.5, sentence=0.5)
    counted = Features(fused=0.5, passage=0.5, sentence=0.5, count=1.0)
    assert counted.score(Weights()) - plain.score(Weights()) == pytest.approx(Weights().count)
    assert Weights().count > 0
    assert counted.score(Weights(count=0.0)) == pytest.approx(plain.score(Weights()))


def test_the_newest_meeting_on_the_topic_outranks_an_older_closer_one_at_the_shipped_weight() -> (
    None
):
    # "When did the parish council last agree its precept?": an older meeting's finance item
    # matches the words better; the newest meeting, on the topic (coverage 0.47, so
    # ``latest`` 1.0 * 0.47), agreed the latest precept
    older = Features(fused=0.97, passage=0.47, sentence=0.49, coverage=0.69, answer=0.49)
    newest = Features(
        fused=0.85, passage=0.43, sentence=0.48, coverage=0.47, latest=0.47, answer=0.48
    )
    assert newest.score(Weights()) > older.score(Weights())
    # at the weight fitted on a narrower grid (0.8) the older one stayed first
    assert newest.score(replace(Weights(), latest=0.8)) < older.score(
        replace(Weights(), latest=0.8)
    )


@pytest.mark.parametrize(
    "text",
    [
        # a parish's approval item, as ingest already read it (``ingest.procedural``)
        "2583. Approval of minutes of previous meeting:  Approved & signed as correct.",
        "806.  Confirmation of minutes of 2018 AGM: Confirmed & signed as correct.",
        "27/21 MINUTES\n\nRESOLVED - That the minutes of the meeting held on 16 March 2021 be "
        "confirmed and signed by the Chair.",
    ],
)
def test_the_approval_of_the_minutes_reads_as_ingest_reads_it(text: str) -> None:
    # one pattern for ingest's procedural decision and the ranking's front matter
    assert rerank.MINUTES_APPROVED is procedural.MINUTES_APPROVED
    assert approves_minutes_only(text)
    assert not approves_minutes_only(text + "\nThe Clerk reported that the grant had been paid.")
