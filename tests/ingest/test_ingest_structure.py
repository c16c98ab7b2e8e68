"""Structure inference and chunking on small hand-made texts."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ingest.chunker import chunk, passage_id_for
from ingest.models import Block
from ingest.structure import classify_line, find_blocks


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("19. OFSTED INSPECTION OF SERVICES FOR CHILDREN", ("heading", 1)),
        # a long upper-case item title is still a heading (it was read as text before)
        (
            "19. OFSTED INSPECTION OF SERVICES FOR CHILDREN IN NEED OF HELP AND PROTECTION, "
            "CHILDREN LOOKED AFTER AND CARE LEAVERS - OUTCOME AND RESPONSE",
            ("heading", 1),
        ),
        # ... but a long numbered sentence in mixed case is not
        (
            "1. Improve the quality and impact of management oversight and supervision "
            "including the recording of the reasons for decisions and the plans",
            None,
        ),
        ("Agenda Item 5", ("heading", 1)),
        ("Item 33", ("heading", 1)),
        ("1. Purpose of the report", ("heading", 2)),
        ("3 Background", ("heading", 2)),
        ("## Key findings", ("heading", 2)),
        ("CHILDREN'S SERVICES SCRUTINY COMMITTEE", ("heading", 2)),
        ("2.1 The service has made progress.", ("paragraph", 0)),
        ("- Thresholds were not applied consistently.", ("list_item", 0)),
        ("• 212 contacts were waiting", ("list_item", 0)),
        ("\uf0b7 to agree a shared record", ("list_item", 0)),
        ("(a) note the report", ("list_item", 0)),
        ("b) agree the plan", ("list_item", 0)),
        ("RESOLVED - That the report be noted.", ("resolution", 0)),
        ("That the report be noted.", ("resolution", 0)),
        ("2016/17 321 44 22 23 -1", ("table_row", 0)),
        ("The Committee noted the report.", None),
    ],
)
def test_classify_line(line: str, expected: tuple[str, int] | None) -> None:
    assert classify_line(line) == expected


MINUTES = """NORTHMOOR COUNTY COUNCIL

17. APOLOGIES FOR ABSENCE

Apologies were received from Councillor G Lumb.

19. OFSTED INSPECTION

The Director presented the report. Inspectors made 14 recommendations:

- Thresholds were not understood.
- 212 contacts were awaiting a decision.

RESOLVED - That:

(1) the report be noted; and
(2) a further report be brought in September.
"""


def test_find_blocks_in_minutes() -> None:
    blocks = find_blocks(MINUTES)
    kinds = [(b.kind, b.level) for b in blocks]
    assert kinds == [
        ("heading", 2),
        ("heading", 1),
        ("paragraph", 0),
        ("heading", 1),
        ("paragraph", 0),
        ("list_item", 0),
        ("list_item", 0),
        ("resolution", 0),
    ]
    assert MINUTES[blocks[-1].start : blocks[-1].end].endswith("brought in September.")


PDF_TEXT = """1. Purpose of the report
1.1 This report presents the strategy for the years 2019 to 2022 and it describes the duty of
the Council to secure sufficient accommodation for the children that it looks after.
1.2 Cabinet is asked to approve it.
Residential care
1.3 Most children who need residential care are placed with external providers at a high
weekly cost."""


def test_find_blocks_in_wrapped_pdf_text() -> None:
    blocks = find_blocks(PDF_TEXT, wrapped=True)
    texts = [PDF_TEXT[b.start : b.end] for b in blocks]
    assert [b.kind for b in blocks] == ["heading", "paragraph", "paragraph", "heading", "paragraph"]
    assert texts[1].endswith("looks after.")
    assert texts[3] == "Residential care"


def test_chunker_never_crosses_headings_and_keeps_heading_first() -> None:
    text = "1. Purpose\n\n" + "Alpha beta gamma. " * 30 + "\n\n2. Background\n\nShort one."
    blocks = find_blocks(text)
    passages = chunk(text, blocks, "doc", min_words=60, max_words=40)
    assert passages[0].text.startswith("1. Purpose")
    assert passages[-1].text == "2. Background\n\nShort one."
    assert passages[-1].heading_path == ("2. Background",)
    assert all(len(p.text.split()) <= 40 for p in passages)
    assert all(p.heading_path == ("1. Purpose",) for p in passages[:-1])


def test_chunker_splits_at_sentences() -> None:
    text = " ".join(f"Sentence number {i} has six words." for i in range(40))
    passages = chunk(text, [Block("paragraph", 0, len(text))], "doc", min_words=20, max_words=50)
    assert len(passages) > 1
    assert all(p.text.endswith(".") for p in passages)
    assert all(len(p.text.split()) <= 50 for p in passages)


def test_chunker_merges_tiny_blocks_in_a_section() -> None:
    text = "\n\n".join(f"Point {i} is short." for i in range(10))
    blocks = find_blocks(text)
    passages = chunk(text, blocks, "doc", min_words=10, max_words=100)
    assert len(passages) == 1


def test_passage_id_is_sha256_prefix() -> None:
    # sha256(b"d|0|3|abc")[:20], written out: ids are stored in indexes and cited in
    # links, so any change to how they are made must show up here
    assert passage_id_for("d", 0, 3, "abc") == "c395030beec929905f9c"
    others = [("e", 0, 3, "abc"), ("d", 1, 3, "abc"), ("d", 0, 4, "abc"), ("d", 0, 3, "abd")]
    ids = {passage_id_for(*args) for args in others}
    assert len(ids) == 4 and "c395030beec929905f9c" not in ids, "every part counts"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["", "1. Purpose", "RESOLVED - That:", "- a bullet point", "(a) item"]),
            st.text(alphabet="abc XYZ.\n\t-•", max_size=200),
        ),
        max_size=30,
    ),
    st.booleans(),
)
# found by hypothesis: a sentence cut into word windows was glued back together
@example(["1. Purpose", "RESOLVED - That:", "- a bullet point", "(a) item", "X", "X X X ."], True)
# found by hypothesis: "- a bullet point" ends mid-sentence and "(a) item ..." may continue it,
# so the two are glued (a sentence is never split between passages) past max_words
@example(["- a bullet point", "(a) item", "X X\nX X X", "X X\nX X X"], True)
def test_chunks_are_exact_slices(lines: list[str], wrapped: bool) -> None:
    text = "\n".join(lines)
    passages = chunk(text, find_blocks(text, wrapped=wrapped), "doc", min_words=5, max_words=12)
    end = 0
    for p in passages:
        assert text[p.char_start : p.char_end] == p.text == p.text.strip()
        assert p.text and p.char_start >= end
        # a heading may sit on a sentence piece (+3), and a sentence broken between two
        # blocks is glued back up to half as long again (chunker._glue_broken_sentences)
        assert len(p.text.split()) <= 12 + 12 // 2 + 3
        end = p.char_end


# A web page's minutes exported as text (Leicester's work programme): the numbered clauses
# under "RESOLVED:" read as a heading ("1. That ...; and"), so the decision was cut off from
# "RESOLVED:" and its passage had no decision.
RESOLUTION_CLAUSES = (
    "47 WORK PROGRAMME\n\n"
    "The Chair brought forward the draft work programme and asked Members for their comments.\n\n"
    "RESOLVED:\n\n"
    "1.    That the work programme be noted and amended as agreed; and\n\n \n\n"
    "2.    That an item concerning the Domiciliary Care Review be added to the agenda for the "
    "next meeting.\n"
)


def test_a_numbered_that_clause_is_not_a_heading() -> None:
    assert classify_line("1.    That the work programme be noted and amended as agreed; and") == (
        "paragraph",
        0,
    )
    assert classify_line("2. That a report be made to the next meeting of the Co") == (
        "paragraph",
        0,
    )
    assert classify_line("2. Thatcham Town Council") == ("heading", 2)  # not a clause


def test_numbered_clauses_stay_in_their_resolution() -> None:
    text = RESOLUTION_CLAUSES
    blocks = find_blocks(text)
    assert [b.kind for b in blocks] == ["heading", "paragraph", "resolution"]
    assert text[blocks[-1].start : blocks[-1].end].startswith("RESOLVED:")
    assert text[blocks[-1].start : blocks[-1].end].endswith("for the next meeting.")
    passages = chunk(text, blocks, "doc")
    assert [p.heading_path for p in passages] == [("47 WORK PROGRAMME",)]


# The head of a modern.gov page of minutes as text: the meeting's name and date, its venue
# and contact, then each item's number on a line of its own above its title.
WEB_MINUTES = """Agenda, decisions and minutes

People Overview and Scrutiny Committee - Monday 21st November 2022 6.00 pm

Venue: Jeffrey Room, The Guildhall, Northampton NN1 1DE

Contact: James Edmunds, Democratic Services  Email: democraticservices@example.gov.uk

Items
No. Item

76.

Apologies for Absence and Notification of Substitute Members

Apologies were received from Councillors Cooper, Chowdhury and Lunn.

77.

Notification of requests from Members of the Public to address the Meeting

A request to address the meeting had been received from Ms Lauren Bunting.
"""


def test_an_item_number_on_its_own_line_heads_its_item() -> None:
    text = WEB_MINUTES
    passages = chunk(text, find_blocks(text, wrapped=False), "doc", min_words=5)
    paths = [p.heading_path for p in passages]
    assert paths[1:] == [
        ("76. Apologies for Absence and Notification of Substitute Members",),
        ("77. Notification of requests from Members of the Public to address the Meeting",),
    ]
    # the number opens its own item, no longer closing the one before
    assert passages[1].text.startswith("76.") and passages[1].text.endswith("Lunn.")
    assert passages[2].text.startswith("77.") and passages[2].text.endswith("Bunting.")


def test_front_matter_fields_are_not_titles() -> None:
    """The venue and contact lines are not headings, so the meeting's name and date are not
    a passage of their own but one front-matter passage with them."""
    text = WEB_MINUTES
    passages = chunk(text, find_blocks(text, wrapped=False), "doc", min_words=5)
    assert passages[0].heading_path == ("Agenda, decisions and minutes",)
    assert "Venue:" in passages[0].text and "Contact:" in passages[0].text
    assert "Items" in passages[0].text
    heads = [b for b in find_blocks(text, wrapped=False) if b.kind == "heading"]
    assert not any(text[b.start : b.end].startswith(("Venue", "Contact")) for b in heads)


def test_a_page_number_does_not_join_the_heading_after_it() -> None:
    text = "The service improved.\n\n12\n\nBackground\n\nThe board met in May and agreed it.\n"
    heads = [text[b.start : b.end] for b in find_blocks(text, wrapped=False) if b.kind == "heading"]
    assert heads == ["Background"]


ATTENDANCE = """Minutes of Meeting of the Education Committee held on 8 October 2015.

Present:

Highland Council:

Mr D Millar (Chair), Mr A Baxter (Substitute), Mrs C Caddick, Miss J Campbell

NHS Highland:

Dr M Foxley, Dr C Stark, Ms S Amor

Youth Convener:

Ms C Bateson

Lord Mayor

Non-Members also present:

Mr B Clark, Ms J Douglas, Miss I O’Brien
"""


def test_a_line_of_names_is_not_a_title() -> None:
    heads = [
        ATTENDANCE[b.start : b.end]
        for b in find_blocks(ATTENDANCE, wrapped=False)
        if b.kind == "heading"
    ]
    # the attendance lines, names by an honorific and initials, head nothing; an honorific
    # before one word is an office and may still be a title
    assert heads == ["Lord Mayor"]
    passages = chunk(ATTENDANCE, find_blocks(ATTENDANCE, wrapped=False), "doc", min_words=5)
    assert "Ms S Amor" in passages[0].text and "Ms C Bateson" in passages[0].text


MERTON_MINUTES = """AUDIT COMMITTEE
24 SEPTEMBER 2009

1 DECLARATIONS OF INTEREST
The Chair declared a personal interest as a partner in a firm of auditors.

2 MINUTES OF THE MEETING HELD ON 23 JUNE 2009 (Agenda item 3)
The minutes of the meeting held on 23 June 2009 were agreed as a correct record.

3 AUDIT COMMISSION INTERIM REPORT (Agenda item 4)
The Audit Manager presented the interim report on the audit of the accounts.
"""


def test_a_numbered_item_closes_the_item_numbered_before_it() -> None:
    """Item 2's title reads as mixed case for its "(Agenda item 3)", so it had been a level
    below item 1 and items 2 and 3 sat under "1 DECLARATIONS OF INTEREST"."""
    text = MERTON_MINUTES
    passages = chunk(text, find_blocks(text, wrapped=True), "doc", min_words=5)
    paths = [p.heading_path[-1:] for p in passages if p.heading_path]
    assert ("2 MINUTES OF THE MEETING HELD ON 23 JUNE 2009 (Agenda item 3)",) in paths
    for passage in passages:
        items = [h for h in passage.heading_path if h[:2] in ("1 ", "2 ", "3 ")]
        assert len(items) <= 1, passage.heading_path


def test_numbered_headings_written_differently_are_not_siblings() -> None:
    """A numbered section ("2. Background") inside an upper-case item ("1 REPORT") is not
    the item's sibling: their numbers are written differently."""
    text = "1 BUDGET MONITORING REPORT\n\n2. Background to the report\n\nThe budget is on track.\n"
    levels = [b.level for b in find_blocks(text, wrapped=False) if b.kind == "heading"]
    assert levels == [1, 2]


def test_an_upper_case_title_wrapped_onto_the_next_page_is_one_heading() -> None:
    # Merton's item 4 ends one page and runs on at the head of the next (furniture removed)
    text = (
        "3 AUDIT COMMISSION INTERIM REPORT (Agenda item 4)\n"
        "The comments of the Pension Fund Panel were formally reported to the Audit Committee.\n"
        "4 AUDITED FINAL ACCOUNTS 2008/09 AND USE OF RESOURCES\n"
        "JUDGEMENT (Agenda item 4)\n"
        "RESOLVED: That the Audit Committee notes the comments made by the Panel.\n"
        "5 ANNUAL GOVERNANCE REPORT 2008/09 (Agenda item 5)\n"
        "6 WORK PROGRAMME\n"
        "BUDGET MONITORING\n"
        "The report was noted by the Committee and the Chair thanked the officers for it.\n"
    )
    headings = [
        text[b.start : b.end] for b in find_blocks(text, wrapped=True) if b.kind == "heading"
    ]
    assert "4 AUDITED FINAL ACCOUNTS 2008/09 AND USE OF RESOURCES\nJUDGEMENT (Agenda item 4)" in (
        headings
    )
    # a finished title's next upper-case line is a heading of its own
    assert "6 WORK PROGRAMME" in headings and "BUDGET MONITORING" in headings


def test_a_numbered_line_running_on_into_a_paragraph_is_no_heading() -> None:
    # Merton's note under its contents: the first line reads as a numbered title on its own
    text = (
        "It is anticipated that there will be further reports to be considered at this meeting\n"
        "1 Members are advised to make declarations of personal or prejudicial interests they may\n"
        "have in relation to any item on this agenda.  Members may make their declaration either\n"
        "under this item or at any time it becomes apparent that they have an interest in it.\n"
        "AUDIT COMMITTEE\n"
        "1 DECLARATIONS OF INTEREST\n"
        "The Chair declared a personal interest as a partner in a firm of auditors in the area.\n"
    )
    blocks = find_blocks(text, wrapped=True)
    headings = [text[b.start : b.end] for b in blocks if b.kind == "heading"]
    assert not any(h.startswith("1 Members") for h in headings)
    assert "1 DECLARATIONS OF INTEREST" in headings
