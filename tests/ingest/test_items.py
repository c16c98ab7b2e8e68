"""Minutes items as headings of their own: running and dated numbers, titles to a colon."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from ingest.chunker import chunk
from ingest.items import item_starts, split_item_heads, split_labelled_heads
from ingest.models import Block, DocMeta
from ingest.pdf_text import join_wrapped_lines
from ingest.pipeline import process_file
from ingest.structure import find_blocks

# A parish council's minutes as pypdf gives them: running minute numbers, each item's title
# and first sentence on one line, wrapped at the page's width.
PARISH = (
    "Minutes of a meeting of the above Council held on Monday 20th May 2019 at 7.00pm.\n"
    "2693. Apologies for absence:  Cllr Shewell.\n"
    "2694. Declarations of interest:  None.\n"
    "2695. Approval of minutes of previous meeting:  Approved & signed as correct.\n"
    "2696. Financial Report:  Community A/C £7,917.21, BMM A/C £7,124.25.  Amount spent\n"
    "to date on capital £1,329, revenue £1,077.02 making a total of £2,406.02.\n"
    "2697.   Planning Permissions:-\n"
    "DM/2019/00679 – Furnace Farm, modification of Condition 1 (extension of start date of\n"
    "work for further 5 years).  No objections, approval recommended.\n"
    "2698.  Shipwrecked Mariners Charity Land Mine:  Clerk contacted the Charity on 14th\n"
    "May to enquire progress by the Charity on relocation of the mine.  Cllr Hayward\n"
    "suggested it be re-sited on Fryer’s Wharf.  All Cllrs agreed to this proposal.\n"
)


def _headings(text: str, blocks: list[Block]) -> list[str]:
    return [text[b.start : b.end] for b in blocks if b.kind == "heading"]


def test_running_numbers_open_items_with_their_titles() -> None:
    blocks = split_item_heads(PARISH, find_blocks(PARISH, wrapped=True))
    assert _headings(PARISH, blocks) == [
        "2693. Apologies for absence:",
        "2694. Declarations of interest:",
        "2695. Approval of minutes of previous meeting:",
        "2696. Financial Report:",
        "2697.   Planning Permissions:-",
        "2698.  Shipwrecked Mariners Charity Land Mine:",
    ]
    for block in blocks:  # exact, trimmed, in order, not overlapping
        body = PARISH[block.start : block.end]
        assert body == body.strip() and body
    assert all(a.end <= b.start for a, b in pairwise(blocks))


def test_each_item_passage_carries_its_own_heading() -> None:
    blocks = split_item_heads(PARISH, find_blocks(PARISH, wrapped=True))
    text = join_wrapped_lines(PARISH, blocks)
    passages = chunk(text, blocks, "doc", min_words=5, max_words=80)
    mine = [p for p in passages if "Fryer’s Wharf" in p.text]
    assert [p.heading_path for p in mine] == [("2698. Shipwrecked Mariners Charity Land Mine:",)]
    # the glued line "... correct. 2696. Financial Report: ..." no longer happens
    assert not any("correct. 2696" in " ".join(p.text.split()) for p in passages)
    for p in passages:
        assert text[p.char_start : p.char_end] == p.text
    # the text after a title that shares its line is joined across the wrap
    wharf = mine[0].text
    assert "14th May to enquire" in wharf


def test_a_year_opening_a_wrapped_line_is_no_item() -> None:
    text = (
        "The Committee noted the figures for the year to March\n"
        "2023. The Chair asked that the report should include the breakdown by age in\n"
        "2024. The Committee agreed.\n"
    )
    assert item_starts(text, [0, 54, 133]) == {}
    blocks = find_blocks(text, wrapped=True)
    assert split_item_heads(text, blocks) == blocks


def test_small_numbers_stay_as_they_were() -> None:
    text = "1. Purpose: To set out the plan.\n2. Background: The plan.\n3. Risks: None.\n"
    blocks = find_blocks(text)
    assert split_item_heads(text, blocks) == blocks


def test_dated_item_numbers_title_lines() -> None:
    text = (
        "21.01.04  Matters Arising\n"
        "The sign placed on the waste bin in the bus shelter has been very helpful\n"
        "21.01.05  Discussion regarding the procurement of the Village Green\n"
        "Guy Heelis was invited to speak and provided a brief history to Corlands\n"
        "and the Appleby Area.\n"
    )
    blocks = split_item_heads(text, find_blocks(text, wrapped=True))
    assert _headings(text, blocks) == [
        "21.01.04  Matters Arising",
        "21.01.05  Discussion regarding the procurement of the Village Green",
    ]
    joined = join_wrapped_lines(text, blocks)
    assert "Village Green\nGuy Heelis" in joined  # the title is not glued to the sentence


def test_a_heading_keeps_a_subtitle_after_its_colon() -> None:
    text = (
        "180. TEMPORARY ACCOMMODATION: ACQUISITION PROGRAMME\nThe Cabinet agreed.\n"
        "181. LOCAL PLAN: PUBLICATION DRAFT\nThe Cabinet agreed.\n"
        "182. Election of Chairman for 2019/20:  Cllr Shewell, proposed by Cllr\n"
        "Hayward, seconded by Cllr Evans.\n"
    )
    blocks = split_item_heads(text, find_blocks(text, wrapped=True))
    assert _headings(text, blocks) == [
        "180. TEMPORARY ACCOMMODATION: ACQUISITION PROGRAMME",
        "181. LOCAL PLAN: PUBLICATION DRAFT",
        "182. Election of Chairman for 2019/20:",
    ]


def test_an_item_without_a_title_is_headed_by_its_number() -> None:
    text = (
        "3466. Police Reports:  Attached.\n"
        "3467. To receive apologies for absence:  County Cllr Webb.\n"
        "3468.   Public Session (15 mins) to receive & consider any matters raised by members "
        "of the public.   The Vicar of Llandogo asked for support.\n"
    )
    blocks = split_item_heads(text, find_blocks(text))
    assert _headings(text, blocks)[-1] == "3468."


def test_html_minutes_items_become_headings(tmp_path: Path) -> None:
    paragraphs = [
        "Minutes of a meeting of the above Council held on Monday 29th March 2021.",
        "3057.Reports from Sub-Committees:- Finance. No report.",
        "3058. Discussion regarding publishing of draft minutes: Cllrs discussed whether a "
        "checked draft could be published. Cllrs agreed they would prefer to stay at the "
        "current arrangement.",
        "3059. Frequency of emptying dog waste bins: There had been a problem with the bins "
        "being over used by waste other than dog waste.",
    ]
    page = tmp_path / "minutes.html"
    page.write_text(
        "<html><head><title>Minutes</title></head><body>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</body></html>"
    )
    document = process_file(page, DocMeta())
    assert document.meta.title == "Minutes"
    found = [p for p in document.passages if "current arrangement" in p.text]
    assert [p.heading_path for p in found] == [
        ("3058. Discussion regarding publishing of draft minutes:",)
    ]
    assert all("dog waste" not in p.text for p in found)
    for p in document.passages:
        assert document.text[p.char_start : p.char_end] == p.text


# A web page's minutes flattened to text: each item's row on one line, its title, the
# labels of its fields (the first empty) and its text.
FLATTENED = (
    "Agenda and draft minutes\n"
    "Venue: Council Chamber - Civic Suite.\n"
    "Contact: J. Smith (Democratic Services Officer)\n"
    "Apologies for Absence Additional documents: Minutes: Apologies for absence were "
    "received from Councillor A Green (Substitute: Councillor B Brown) and Councillor C "
    "White (no substitute).\n"
    "|\n"
    "Questions from Members of the Public Additional documents: Minutes: There were no "
    "questions from members of the public relating to the responsibilities of the "
    "Committee.\n"
)


def test_a_flattened_row_has_its_title_as_a_heading() -> None:
    blocks = split_labelled_heads(FLATTENED, find_blocks(FLATTENED))
    headings = [FLATTENED[b.start : b.end] for b in blocks if b.kind == "heading"]
    assert headings == ["Apologies for Absence", "Questions from Members of the Public"]
    passages = chunk(FLATTENED, blocks, "doc", min_words=60, max_words=275)
    apologies = next(p for p in passages if "Councillor A Green" in p.text)
    assert apologies.heading_path == ("Apologies for Absence",)
    assert apologies.text.startswith("Apologies for Absence Additional documents:")
    assert "Venue" not in apologies.text and "no questions" not in apologies.text
    assert passages[0].text.startswith("Agenda and draft minutes")


def test_one_label_in_a_sentence_is_not_a_row() -> None:
    text = "The Chair said: Members should read the report before the meeting.\n"
    blocks = find_blocks(text)
    assert split_labelled_heads(text, blocks) == blocks
