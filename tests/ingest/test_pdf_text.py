"""Real PDF text: private-use bullets, hard line breaks joined with offsets kept, tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PageObject

from ingest.chunker import chunk
from ingest.models import Block, DocMeta
from ingest.pdf_text import join_wrapped_lines, normalise_glyphs
from ingest.pipeline import process_file
from ingest.structure import find_blocks


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("\uf0b7 to agree the budget", "• to agree the budget"),
        ("\uf0a7 Wingdings square", "• Wingdings square"),
        ("\uf0d8 arrow bullet", "• arrow bullet"),
        ("done \uf0fc", "done •"),
        ("2019\uf02d20", "2019-20"),  # Symbol-font ASCII maps back
        ("\uf030\uf031", "01"),
        ("no glyphs here", "no glyphs here"),
        ("", ""),
    ],
)
def test_normalise_glyphs(raw: str, clean: str) -> None:
    assert normalise_glyphs(raw) == clean
    assert len(normalise_glyphs(raw)) == len(raw)


# Lines as pypdf gives them from real minutes and reports: wrapped mid-sentence, across a
# page break, a resolution with lettered items, a bullet list, a table of figures.
WRAPPED = (
    "5. Financial Implications\n"
    "The total costs of staging the events is estimated to be £125,000. It is expected that\n"
    "income from ticket sales and sponsorship would contribute at least £25,000 resulting in\n"
    "an anticipated net cost to the Town Council of £100,000.\n"
    "RESOLVED: That the Committee:\n"
    "(a) notes the report and the comments of the Pension Fund Panel made at its meeting\n"
    "on 21 September 2009; and\n"
    "(b) agrees the action plan.\n"
    "The Panel asked that:\n"
    "• progress on recommendations R3, R4 and R5 of the action plan be reported to a\n"
    "later meeting;\n"
    "• the bank accounts be separated by 1 April 2010.\n"
    "Service 2023/24 £m 2024/25 £m Variance £m\n"
    "Placements for children in care 19.6 23.5 3.9\n"
    "Legal and court costs 1.5 2.1 0.6\n"
    "Total 48.2 55.0 6.8\n"
)


def test_join_wrapped_lines_keeps_length_items_and_rows() -> None:
    blocks = find_blocks(WRAPPED, wrapped=True)
    joined = join_wrapped_lines(WRAPPED, blocks)
    assert len(joined) == len(WRAPPED)
    assert "estimated to be £125,000. It is expected that income from ticket sales" in joined
    assert "at its meeting on 21 September 2009; and\n(b) agrees" in joined
    assert "reported to a later meeting;\n• the bank accounts" in joined
    # table rows stay rows
    assert "Variance £m\nPlacements for children in care 19.6 23.5 3.9\nLegal" in joined
    # every block still starts and ends where it did
    for block in blocks:
        assert joined[block.start : block.end].split() == WRAPPED[block.start : block.end].split()


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("The Council noted the\nreport.", 0),  # a break mid-sentence goes
        ("RESOLVED: That\n(a) the report be noted;\n(b) the plan be agreed.", 2),
        ("The Panel asked that:\n- progress be reported;\n- accounts be split.", 2),
        ("That Cabinet:\n2.1 Cabinet approves the strategy", 1),
        ("447 at 31 March\n2018 and 468 at 31 December", 0),  # a year wrapped mid-sentence
        ("a budget of £4,500\nwas agreed", 0),  # an amount mid-sentence
        ("CBSO professional fees £21,000\nOther Artists Fees £ 5,000\nTotal £125,000", 2),
        ("Assessments on time 87%\n90% in the year before", 1),
        ("A line\n   with an indented continuation", 0),
    ],
)
def test_join_wrapped_lines_table(text: str, kept: int) -> None:
    joined = join_wrapped_lines(text, [Block("paragraph", 0, len(text))])
    assert len(joined) == len(text)
    assert joined.count("\n") == kept


def test_join_leaves_text_outside_blocks_alone() -> None:
    text = "Heading one\n\nA paragraph that runs\nover two lines."
    blocks = [Block("heading", 0, 11, 2), Block("paragraph", 13, len(text))]
    joined = join_wrapped_lines(text, blocks)
    assert joined == "Heading one\n\nA paragraph that runs over two lines."


@pytest.mark.parametrize(
    ("lines", "tables"),
    [
        # a budget table: rows of several figures
        (
            [
                "The forecast overspend is set out below.",
                "Placements for children in care 19.6 23.5 3.9",
                "Children's social care staffing 12.4 13.6 1.2",
                "Total 48.2 55.0 6.8",
            ],
            [[1, 2, 3]],
        ),
        # "label - figure" rows (a grant's split between wards) after prose
        (
            [
                "The aim is to help parents build better lives for their children.",
                "Four Oaks - £1,000",
                "New Hall - £1,000",
                "Trinity -  £1,000",
                "Vesey - £1,000",
                "Special Olympics Sutton Coldfield are seeking funding for their costs.",
            ],
            [[1, 2, 3, 4]],
        ),
        # the header row and a row label on a line of its own belong to the table
        (
            [
                "4.1 Table 1 sets out the three national indicators, with comparisons for "
                "England and for the region.",
                "Table 1: Youth justice national indicators",
                "Indicator Northmoor 2021/22 Northmoor 2022/23 England 2022/23 Region 2022/23",
                "First time entrants per 100,000 children aged 10-17",
                "168 142 148 155",
                "Children who reoffended within 12 months 31.4% 29.1% 32.2% 33.0%",
                "Reoffences per reoffender 3.41 3.05 3.70 3.82",
            ],
            [[2, 3, 4, 5, 6]],
        ),
        # a scorecard's rows that leave their target and England cells empty ("- -") are rows
        (
            [
                "Appendix 1: Children's social care scorecard, Quarter 1 2023/24",
                "Measure Q1 2022/23 Q4 2022/23 Q1 2023/24 Target 2023/24 England 2021/22",
                "Contacts received 7,412 7,955 7,688 - -",
                "Referrals accepted by children's social care 1,516 1,602 1,571 - -",
                "Re-referrals within 12 months 20.9% 19.7% 20.2% 20% 21.5%",
                "Children subject to a child protection plan 366 348 341 - -",
                "Child protection plans per 10,000 children 31 30 29 - 42",
            ],
            [[0, 1, 2, 3, 4, 5, 6]],
        ),
        # prose that holds numbers is not a table
        (
            [
                "There were 312 looked after children at 31 March 2015. There were 447 later",
                "and 468 at 31 December 2018. This is a rate of 55 per 10,000 children, which",
                "is above the England rate.",
            ],
            [],
        ),
        # one line of prose ending in an amount stays prose
        (["The Council agreed to apply for a precept of", "£4,500"], []),
        # a web page's layout table of text is not a table of figures
        (
            [
                "Decision maker | Leader of the Council",
                "Decision status | Recommendations approved",
                "Reason for the decision | To adopt the new allocations policy",
            ],
            [],
        ),
        # dates are not figures
        (
            [
                "Publication date: 20/03/2020",
                "Date of decision: 20/03/2020",
                "Effective from: 28/03/2020",
            ],
            [],
        ),
    ],
)
def test_tables_are_passages_of_their_own(lines: list[str], tables: list[list[int]]) -> None:
    text = "\n".join(lines)
    passages = chunk(text, find_blocks(text, wrapped=True), "doc")  # the ingest sizes
    for p in passages:
        assert text[p.char_start : p.char_end] == p.text
    found = [p.text.splitlines() for p in passages if p.is_table]
    assert found == [[lines[i] for i in table] for table in tables]
    # everything else is prose, in passages of its own
    prose = "\n".join(p.text for p in passages if not p.is_table)
    rows = {lines[i] for table in tables for i in table}
    assert all(line in prose for line in lines if line not in rows)


def _pdf(tmp_path: Path, pages: list[list[str]]) -> Path:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF(format="A4")
    pdf.set_font("Helvetica", size=11)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "report.pdf"
    pdf.output(str(path))
    return path


PAGE_ONE = [
    "Children's Services Budget Monitoring Report",
    "1. Purpose of Report",
    "The report sets out the forecast position for children's services at the end of",
    "the second quarter. The forecast overspend of 6.8 million pounds arises mainly from",
    "placements for children in care, where the number of children placed with",
    "independent fostering agencies has risen since April.",
    "2. Forecast by service",
    "Service Budget Forecast Variance",
    "Placements for children in care 19.6 23.5 3.9",
    "Children's social care staffing 12.4 13.6 1.2",
    "Legal and court costs 1.5 2.1 0.6",
    "Total 48.2 55.0 6.8",
    "3. Recovery plan",
    "The Director of Children's Services will report a recovery plan to the Cabinet in",
]
PAGE_TWO = [
    "January, setting out how the service will bring spending back within its budget",
    "by the end of the next financial year.",
]


def test_generated_pdf_joined_tables_apart_pages_exact(tmp_path: Path) -> None:
    doc = process_file(_pdf(tmp_path, [PAGE_ONE, PAGE_TWO]), DocMeta())
    text = doc.text
    assert "at the end of the second quarter. The forecast overspend" in text
    # the sentence that runs over the page break reads as one line
    assert "report a recovery plan to the Cabinet in January, setting out" in text
    tables = [p for p in doc.passages if p.is_table]
    assert len(tables) == 1
    assert tables[0].text.splitlines()[-1] == "Total 48.2 55.0 6.8"
    assert "Placements for children in care 19.6 23.5 3.9\n" in tables[0].text
    for p in doc.passages:
        assert text[p.char_start : p.char_end] == p.text
        assert p.page == doc.page_at(p.char_start)
        assert not (p.is_table and "overspend of" in p.text)
    recovery = next(p for p in doc.passages if "recovery plan to" in p.text)
    assert recovery.page == 1 and "January" in recovery.text
    assert doc.page_at(text.index("January, setting")) == 2


def test_private_use_bullets_from_the_pdf_loader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _pdf(tmp_path, [["placeholder line of text for the page"]])
    raw = (
        "The Panel asked that:\n"
        "\uf0b7 progress on recommendations be reported to a later meeting;\n"
        "\uf0b7 the bank accounts be separated by 1 April 2010.\n"
    )
    monkeypatch.setattr(PageObject, "extract_text", lambda self, *a, **k: raw)
    doc = process_file(path, DocMeta())
    assert "\uf0b7" not in doc.text
    assert "\n• progress on recommendations" in doc.text
    assert all("\uf0b7" not in p.text for p in doc.passages)


def test_short_lines_ended_on_purpose_stay_lines() -> None:
    cover = (
        "Children Missing from Home and Care: Annual Report 2017/18\n"
        "Report to Children and Young People Scrutiny Committee\n"
        "Date of meeting 19 June 2018\n"
        "Report of the Director of Children's Services"
    )
    body = (
        "3.1 Statutory guidance on children who run away or go missing from home or care requires\n"
        "local authorities to offer an independent return home interview to every child who has\n"
        "been reported missing, within 72 hours of their return, by someone who is not involved\n"
        "in their care."
    )
    text = cover + "\n" + body
    blocks = [Block("paragraph", 0, len(cover)), Block("paragraph", len(cover) + 1, len(text))]
    joined = join_wrapped_lines(text, blocks)
    assert joined[: len(cover)] == cover  # a cover sheet's lines stay lines
    assert "\n" not in joined[len(cover) + 1 :]  # the wrapped paragraph reads as one


@pytest.mark.parametrize("text", ["", "\n", "\n \n", "word", "Report\n"])
def test_join_edge_cases(text: str) -> None:
    joined = join_wrapped_lines(text, [Block("paragraph", 0, len(text.rstrip()))])
    assert len(joined) == len(text)
    assert joined.split() == text.split()


def test_a_wrapped_column_header_above_a_table_is_one_line() -> None:
    # each column label ("Northmoor 2022/23") wrapped in its cell; the row label too
    prose = (
        "4.1 Table 1 sets out the three national indicators, with comparisons for England and\n"
        "for the region, for the last two years; the rates are per 100,000 children aged 10-17.\n"
    )
    caption = prose + (
        "Table 1: Youth justice national indicators\nIndicator Northmoor\n2021/22\nNorthmoor\n"
        "2022/23\nEngland\n2022/23\nRegion\n2022/23\nFirst time entrants per 100,000 children\n"
        "aged 10-17"
    )
    rows = "168 142 148 155\nChildren who reoffended within 12 months 31.4% 29.1% 32.2% 33.0%"
    text = caption + "\n" + rows
    blocks = [
        Block("paragraph", 0, len(prose) - 1),
        Block("paragraph", len(prose), len(caption)),
        Block("table_row", len(caption) + 1, len(caption) + 16),
        Block("table_row", len(caption) + 17, len(text)),
    ]
    lines = join_wrapped_lines(text, blocks).split("\n")[1:]
    assert lines[:4] == [
        "Table 1: Youth justice national indicators",
        "Indicator Northmoor 2021/22 Northmoor 2022/23 England 2022/23 Region 2022/23",
        "First time entrants per 100,000 children aged 10-17",
        "168 142 148 155",
    ]
    # the same lines with no table under them are not a header: a cover sheet's dates stay
    cover = "Date of meeting 2023\nReport to Cabinet 2024\nPublished 2024"
    text = prose + cover + "\nThe report."
    blocks = [Block("paragraph", 0, len(prose) - 1), Block("paragraph", len(prose), len(text))]
    assert cover in join_wrapped_lines(text, blocks)
