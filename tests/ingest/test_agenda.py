"""Agenda items read from a paper's text, and the subject they give a decision."""

from __future__ import annotations

import pytest

from ingest.agenda import find_items, subject_at


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("Members discussed the report.", []),
        (
            "18. DECLARATIONS OF INTEREST\n\nNone.\n\n19. OFSTED INSPECTION OF SERVICES FOR "
            "CHILDREN IN NEED OF HELP AND PROTECTION, CHILDREN LOOKED AFTER AND CARE LEAVERS - "
            "OUTCOME AND RESPONSE\n\nThe Director presented the report.",
            [
                ("18", "DECLARATIONS OF INTEREST"),
                (
                    "19",
                    "OFSTED INSPECTION OF SERVICES FOR CHILDREN IN NEED OF HELP AND PROTECTION, "
                    "CHILDREN LOOKED AFTER AND CARE LEAVERS - OUTCOME AND RESPONSE",
                ),
            ],
        ),
        (
            "CSP.16 MINUTES\nCSP.17 ALLOTMENTS: REVIEW OF WAITING LISTS AND RENTS\n",
            [("CSP.16", "MINUTES"), ("CSP.17", "ALLOTMENTS: REVIEW OF WAITING LISTS AND RENTS")],
        ),
        (
            "HB/21/3 MINUTES\nHB/21/4 PORT MARINE SAFETY CODE",
            [("HB/21/3", "MINUTES"), ("HB/21/4", "PORT MARINE SAFETY CODE")],
        ),
        (
            "12/24 FIX OUR ROADS\n13/24 20MPH SPEED LIMITS",
            [("12/24", "FIX OUR ROADS"), ("13/24", "20MPH SPEED LIMITS")],
        ),
        # web minutes: the number alone, the title (with its file note) on the next line
        ("79.\n\nMinutes pdf icon PDF 109 KB\n\nMinutes:\n", [("79", "Minutes")]),
        # a figure wrapped onto a line of its own ends its sentence: no item 3616 to rise over
        # every real item after it
        (
            "For more information contact democratic services or telephone 020 8545\n3616.\n"
            "Press enquiries: press@merton.gov.uk\n\n1 APOLOGIES FOR ABSENCE\n\n2 MINUTES\n",
            [("1", "APOLOGIES FOR ABSENCE"), ("2", "MINUTES")],
        ),
        (
            "the decision making process contact us on 020 8545\n3616.\nPress enquiries\n\n"
            "4 AUDITED FINAL ACCOUNTS\n",
            [("4", "AUDITED FINAL ACCOUNTS")],
        ),
        # a pack's contents list (titles on rising page numbers, one wrapped, one with no
        # paper) heads no item: the minutes' headings in the body do
        (
            "1.  Declarations of interest 1\n2.  Apologies for absence\n"
            "3.  Minutes of the meeting held on 24 September 2009 and notes of\n3\n"
            "4.  Annual complaints report 9\n5.  Internal audit progress report 23\n\n"
            "Minutes\n\n1 DECLARATIONS OF INTEREST\n\nNone.\n\n2 WORK PROGRAMME\n",
            [("1", "DECLARATIONS OF INTEREST"), ("2", "WORK PROGRAMME")],
        ),
        # a contents title wrapped with its page number on the next line's end ("... held on
        # 24" / "September 2009 3") is the contents' entry still: the body's items are the items
        (
            "22 October 2009\n1.  Declarations of interest 1\n2.  Apologies for absence\n"
            "3.  Minutes of the meeting held on 24 September 2009 and notes of the Joint session "
            "held on 24\nSeptember 2009 3\n4.  Annual complaints report 9\n"
            "5.  Internal audit progress report 23\n6.  Managing the risk of fraud 53\n"
            "AUDIT COMMITTEE\n1 DECLARATIONS OF INTEREST\nNone.\n"
            "2 MINUTES OF THE MEETING HELD ON 23 JUNE 2009 (Agenda item 3)\nRESOLVED: agreed.\n",
            [
                ("1", "DECLARATIONS OF INTEREST"),
                ("2", "MINUTES OF THE MEETING HELD ON 23 JUNE 2009 (Agenda item 3)"),
            ],
        ),
        # an upper-case title wrapped onto the next line (a page break between) is one title
        (
            "4 AUDITED FINAL ACCOUNTS 2008/09 AND USE OF RESOURCES\nJUDGEMENT (Agenda item 4)\n"
            "RESOLVED: That the Audit Committee notes the comments.\n"
            "5 ANNUAL GOVERNANCE REPORT 2008/09 (Agenda item 5)\nNOTED\n",
            [
                (
                    "4",
                    "AUDITED FINAL ACCOUNTS 2008/09 AND USE OF RESOURCES JUDGEMENT (Agenda item 4)",
                ),
                ("5", "ANNUAL GOVERNANCE REPORT 2008/09 (Agenda item 5)"),
            ],
        ),
        (
            "7 CHILDREN'S SERVICES PERFORMANCE AND\nIMPROVEMENT PLAN\nThe Director reported.\n",
            [("7", "CHILDREN'S SERVICES PERFORMANCE AND IMPROVEMENT PLAN")],
        ),
        # an upper-case line under a finished title is a heading of its own, not the title's
        (
            "4 FINANCE REPORT\nBUDGET MONITORING\nThe report was noted.\n",
            [("4", "FINANCE REPORT")],
        ),
        # a number alone after prose that stops on a figure other than a telephone number's
        # head is an item
        (
            "3 APOLOGIES\nNone.\n4 CHILDREN IN CARE\nThe Committee noted that the number of "
            "children looked after at the end of the year was 412\n5.\nBudget Monitoring\n",
            [("3", "APOLOGIES"), ("4", "CHILDREN IN CARE"), ("5", "Budget Monitoring")],
        ),
        # two titles ending on a number are no contents list
        (
            "1. Budget 2024\n2. Council Tax 2025\n3. Fees and charges\n",
            [("1", "Budget 2024"), ("2", "Council Tax 2025"), ("3", "Fees and charges")],
        ),
        # a date opening a line is not item 22 titled "October 2009"
        ("22 October 2009\n\n1. Apologies\n2. Minutes\n", [("1", "Apologies"), ("2", "Minutes")]),
        ("24 SEPTEMBER 2009\n\n1 DECLARATIONS OF INTEREST\n", [("1", "DECLARATIONS OF INTEREST")]),
        # a title line that ends on a year is no prose: the number after it is an item
        (
            "79.\n\nBudget 2024\n\n80.\n\nCouncil Tax\n",
            [("79", "Budget 2024"), ("80", "Council Tax")],
        ),
        # a parish clerk's item: the title ends at the colon
        (
            "3480.   Discuss repairworks to The Pound, Tintern:  Three quotations received.",
            [("3480", "Discuss repairworks to The Pound, Tintern")],
        ),
        (
            "3051.Approval of minutes of previous meeting: Approved & signed as correct.",
            [("3051", "Approval of minutes of previous meeting")],
        ),
        # a numbered list inside an item is not an item: its numbers do not rise
        (
            "31 Ofsted Inspection - Outcome\n\n1. Improve the quality of supervision.\n"
            "2. Ensure that thresholds are applied\n\n32 Performance Report",
            [("31", "Ofsted Inspection - Outcome"), ("32", "Performance Report")],
        ),
        # a one-item page: its first title line after the page label
        (
            "Decision details\n\nAllocations Policy (D19 20)\n\nDecision Maker: Leader",
            [(None, "Allocations Policy (D19 20)")],
        ),
        (
            "Agenda item\n\nOfsted Inspection 2023 - Outcome\n\nMeeting: Scrutiny Committee - "
            "Tuesday, 28th November, 2023 5.00 pm (Item 33)\n",
            [("33", "Ofsted Inspection 2023 - Outcome")],
        ),
        # a page that opens with a sentence has no title of its own
        ("Cabinet considered the report and RESOLVED to approve:\n1. The proposals.", []),
    ],
)
def test_find_items(text: str, expected: list[tuple[str | None, str]]) -> None:
    assert [(i.number, i.title) for i in find_items(text)] == expected


def test_subject_is_the_item_holding_the_offset_but_not_a_recommendations_section() -> None:
    text = "5 Budget\n\nRESOLVED - That the budget be approved.\n\n6 Recommendations\n\n6.1 That"
    items = find_items(text)
    held = subject_at(items, text.index("RESOLVED"))
    assert held is not None and (held.number, held.title) == ("5", "Budget")
    assert subject_at(items, text.index("6.1")) is None
    assert subject_at(items, 0) is not None and subject_at([], 3) is None
    assert subject_at(items, text.index("RESOLVED"), in_section=True) is None
