"""Figures over time: figures read from sentences, POST /api/trend and the /trend page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from index.embedder import HashingEmbedder
from index.store import Filters
from qa_service.api.main import create_app
from qa_service.config import Settings
from qa_service.trend import Figure, asked_unit, figures, flag_outliers
from qa_service.trend_sentence import Asked, TrendPoint
from qa_service.trend_words import stem, stems
from tests.conftest import build_index


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("Agency workers filled 41% of posts.", [(41.0, "%")]),
        ("The rate was 27.4 per cent.", [(27.4, "%")]),
        ("An extra £3.2 million was invested.", [(3.2e6, "£")]),
        ("Costs were £310,000 a year.", [(310000.0, "£")]),
        ("There were 1,126 claims and 486 children.", [(1126.0, "count"), (486.0, "count")]),
        ("78 per 10,000 children", [(78.0, "per 10,000")]),
        # years, dates and times are not counts
        ("In 2015 the report of 8 September 2015 at 10.00 am", []),
        ("between 3 and 26 March 2015", []),  # the first day of a range is a date too
        # a number glued to a letter names a road or a quarter
        ("The A466 closed in Q3 for 14 days and 12 lorries.", [(12.0, "count")]),
    ],
)
def test_figures(text: str, expected: list[tuple[float, str]]) -> None:
    found = figures(text)
    assert [(f.value, f.unit) for f in found] == expected
    for f in found:
        assert text[f.start : f.end].strip()


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("agency social worker rate", "%"),
        ("how many children in care", "count"),
        ("cost of agency placements", "£"),
        ("children in care", None),
    ],
)
def test_asked_unit(question: str, unit: str | None) -> None:
    assert asked_unit(question) == unit


def test_a_point_in_another_unit_is_flagged_not_dropped() -> None:
    def point(unit: str) -> TrendPoint:
        return TrendPoint("2020-01-01", Figure(1.0, unit, 0, 1), None, (0, 1))  # type: ignore[arg-type]

    flagged = flag_outliers([point("%"), point("%"), point("per 10,000")], "%")
    assert [p.flagged for p in flagged] == [False, False, True]
    # a tie goes to the unit the question asks for
    assert [p.flagged for p in flag_outliers([point("count"), point("%")], "%")] == [True, False]
    # else to the unit whose sentences name more of the question
    named = [replace(point("count"), weight=1.0), replace(point("%"), weight=3.0)]
    assert [p.flagged for p in flag_outliers(named, None)] == [True, False]
    # but first to a unit the question's own words name ("five-year housing land supply":
    # "a supply of 3.6 years" over "a 20% buffer", whose sentence names more)
    lengths = [replace(point("years"), weight=1.0), replace(point("%"), weight=3.0)]
    keys = stems("five-year housing land supply")
    assert [p.flagged for p in flag_outliers(lengths, None, keys)] == [False, True]
    # a question asking no unit: the unit of the sentence naming most of it, however many
    # meetings' weaker sentences state another ("2,340 early help assessments had been
    # completed" over three meetings' "88% of assessments were completed within 45 days")
    weak = [replace(point("%"), weight=1.0) for _ in range(3)]
    strong = [replace(point("count"), weight=4.0)]
    assert [p.flagged for p in flag_outliers(weak + strong, None)] == [True, True, True, False]
    # a question asking a unit keeps the most common one
    assert [p.flagged for p in flag_outliers(weak + strong, "%")] == [False, False, False, True]


MANIFEST = """file,council,committee,meeting_date,title,doc_type,source_url,supersedes
a.txt,Eastwold Council,Scrutiny,2019-03-01,Workforce 2019,report,,
b.txt,Eastwold Council,Scrutiny,2020-03-01,Workforce 2020,report,,
c.txt,Eastwold Council,Scrutiny,2021-03-01,Workforce 2021,report,,
d.txt,Westwold Council,Scrutiny,2021-06-01,Workforce 2021,report,,
"""
DOCS = {
    "a.txt": "Agency social workers\n\nThe agency social worker rate was 41% at 31 March 2019.",
    "b.txt": "Agency social workers\n\nThe agency social worker rate was 33% at 31 March 2020.",
    "c.txt": "Agency social workers\n\nThe agency social worker rate was 24% at 31 March 2021.",
    "d.txt": "Agency social workers\n\nThe agency social worker rate was 19% at 31 May 2021.",
}


def _papers(tmp_path: Path, manifest: str, docs: dict[str, str]) -> Path:
    """A folder of papers with their manifest."""
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "manifest.csv").write_text(manifest, encoding="utf-8")
    for name, text in docs.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    return folder


@contextmanager
def _client_over(tmp_path: Path, manifest: str, docs: dict[str, str]) -> Iterator[TestClient]:
    """The API over an index of these papers (fake embedder)."""
    index = build_index(tmp_path / "index", [_papers(tmp_path, manifest, docs)], HashingEmbedder())
    with TestClient(create_app(Settings(index=index), HashingEmbedder())) as c:
        yield c


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with _client_over(tmp_path, MANIFEST, DOCS) as c:
        yield c


def test_trend_for_one_council_is_cited_and_dated(client: TestClient) -> None:
    body = {"question": "agency social worker rate", "council": "Eastwold Council"}
    r = client.post("/api/trend", json=body)
    assert r.status_code == 200
    out = r.json()
    assert out["unit"] == "%" and out["agrees"] is True and out["series"] is None
    assert [(p["date"], p["value"], p["value_text"]) for p in out["points"]] == [
        ("2019-03-01", 41.0, "41%"),
        ("2020-03-01", 33.0, "33%"),
        ("2021-03-01", 24.0, "24%"),
    ]
    for p in out["points"]:
        c = p["citation"]
        doc = client.get(f"/api/documents/{c['document_id']}").json()
        assert doc["text"][c["char_start"] : c["char_end"]] == p["text"]
        assert p["value_text"] in p["text"]


def test_trend_without_a_council_has_a_series_per_council(client: TestClient) -> None:
    out = client.post("/api/trend", json={"question": "agency social worker rate"}).json()
    assert [s["council"] for s in out["series"]] == ["Eastwold Council", "Westwold Council"]
    assert [len(s["points"]) for s in out["series"]] == [3, 1]
    assert client.post("/api/trend", json={"question": " "}).status_code == 422
    assert client.post("/api/trend", json={"question": "x", "extra": 1}).status_code == 422


def test_trend_page_draws_linked_points(client: TestClient) -> None:
    r = client.get("/trend", params={"q": "agency social worker rate"})
    assert r.status_code == 200
    page = BeautifulSoup(r.text, "html.parser")
    svg = page.select_one("svg.cqa-trend")
    assert svg is not None and len(svg.select("polyline")) == 2
    links = [a["href"] for a in svg.select("a")]
    assert len(links) == 4 and all(h.startswith("/documents/") for h in links)
    assert len(page.select("tr.cqa-trend-point")) == 4
    assert client.get("/trend", params={"q": ""}).status_code == 422


def test_trend_page_for_two_councils_draws_a_line_each(client: TestClient) -> None:
    # two councils chosen were drawn as one line (its points titled with the first council)
    params = [("q", "agency social worker rate")]
    params += [("council", "Eastwold Council"), ("council", "Westwold Council")]
    svg = BeautifulSoup(client.get("/trend", params=params).text, "html.parser").svg
    assert svg is not None and len(svg.select("polyline")) == 2
    tips = sorted(a["aria-label"] for a in svg.select("a"))
    assert [t.split(",")[0] for t in tips] == ["Eastwold Council"] * 3 + ["Westwold Council"]


def test_a_figure_of_several_lines_has_a_key(client: TestClient) -> None:
    # a line per council in its own colour, and nothing said which council was which
    def svg_of(params: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
        return BeautifulSoup(client.get("/trend", params=params).text, "html.parser").svg

    both = svg_of([("q", "agency social worker rate")])
    key = [t.text for t in both.find_all("text")][-2:]
    assert key == ["Eastwold Council", "Westwold Council"]
    colours = [line["stroke"] for line in both.find_all("line")[-2:]]
    assert colours == [p["stroke"] for p in both.select("polyline")]
    one = svg_of([("q", "agency social worker rate"), ("council", "Eastwold Council")])
    assert "Eastwold Council" not in [t.text for t in one.find_all("text")]
    assert int(both["viewbox"].split()[3]) > int(one["viewbox"].split()[3])
    assert "1 March 2019: 41%" in one.select_one("a")["aria-label"]  # dates as the page writes


def test_trend_figure_s_point_links_are_heard(client: TestClient) -> None:
    # an SVG of role="img" hides its content from screen readers, so its point links were
    # controls a keyboard reached with no name read out (axe: nested-interactive)
    page = client.get("/trend", params={"q": "agency social worker rate"}).text
    svg = BeautifulSoup(page, "html.parser").svg
    assert svg is not None and svg["role"] == "group" and svg["aria-labelledby"] == "trend-title"
    for a in svg.select("a"):
        assert a["aria-label"] == a.circle.title.text and "%" in a["aria-label"]


def test_results_page_shows_the_figure_over_time_when_three_meetings_agree(
    client: TestClient,
) -> None:
    asked = client.get("/", params={"q": "what is the agency social worker rate in Eastwold"})
    page = BeautifulSoup(asked.text, "html.parser")
    trend = page.select_one("#trend")
    assert trend is not None
    assert len(trend.select("svg.cqa-trend a")) == 3  # Eastwold's three meetings, linked
    # the card comes first: the figure is folded below it
    assert page.select_one("#answer") is not None
    assert str(page).index('id="answer"') < str(page).index('id="trend"')
    # one meeting with a figure is not a trend, and a question asking for no quantity gets none
    for q in ("agency social worker rate in Westwold", "who chaired the Eastwold scrutiny"):
        page = BeautifulSoup(client.get("/", params={"q": q}).text, "html.parser")
        assert page.select_one("#trend") is None


def _weights_from_the_whole_vocabulary(vocabulary: dict[str, int], question: str) -> dict:
    """The weights as they were computed before: from every word of the vocabulary."""
    import math

    from qa_service.trend_words import stems

    total = max(vocabulary.values(), default=1)
    return {
        stem: math.log(
            (total + 1)
            / (max((n for w, n in vocabulary.items() if w.startswith(stem)), default=0) + 1)
        )
        + 1.0
        for stem in stems(question)
    }


def test_question_weights_read_only_the_words_asked(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_service.trend import question_weights

    engine = client.app.state.engine  # type: ignore[attr-defined]
    question = "average social worker caseload of agency zzzunseen"
    expected = _weights_from_the_whole_vocabulary(engine.store.vocabulary(), question)
    # the idf's base is the reader's, loaded once for the index generation: no call reads
    # the whole vocabulary again
    monkeypatch.setattr(engine.store, "vocabulary", lambda: pytest.fail("read it all"))
    for _ in range(3):
        assert question_weights(engine, question) == pytest.approx(expected)
    assert expected["zzzun"] > expected["socia"]  # a word no passage holds is the rarest


def test_question_weights_follow_a_new_generation(tmp_path: Path) -> None:
    """After a write, the idf's base is read again: a paper without the question's words
    makes them rarer."""
    from qa_service.retriever import Engine
    from qa_service.trend import question_weights

    folder = _papers(tmp_path, MANIFEST, {"a.txt": DOCS["a.txt"]})
    index = build_index(tmp_path / "index", [folder], HashingEmbedder())
    engine = Engine(index, HashingEmbedder(), Settings(index=index))
    question = "agency social worker rate"
    before = question_weights(engine, question)
    waste = "Waste collection\n\nThe waste collection rounds change in March 2021."
    for name in ("b.txt", "c.txt", "d.txt"):
        (folder / name).write_text(waste + "\n", encoding="utf-8")
    build_index(index, [folder], HashingEmbedder())
    after = question_weights(engine, question)
    whole = _weights_from_the_whole_vocabulary(engine.store.vocabulary(), question)
    assert after == pytest.approx(whole)
    assert after["agenc"] > before["agenc"]


LIST_MANIFEST = """file,council,committee,meeting_date,title,doc_type,source_url,supersedes
a.txt,Northwold Council,Council,2019-03-01,Minutes,minutes,,
b.txt,Northwold Council,Council,2020-03-01,Minutes,minutes,,
c.txt,Northwold Council,Council,2021-03-01,Minutes,minutes,,
"""
LIST_DOCS = {
    "a.txt": "Hall project\n\n"
    "Amount spent to date on capital £6,436, revenue £4,630 making a total of £11,066.",
    "b.txt": "Hall project\n\n"
    "Amount spent to date on revenue £7,921, capital £5,911 making a total of £13,832.",
    "c.txt": "Hall project\n\n"
    "Amount spent to date on capital £2,396, revenue £1,077 making a total of £3,473.",
}


@pytest.mark.parametrize(
    ("question", "values"),
    [
        ("revenue spent to date", [4630.0, 7921.0, 1077.0]),
        ("total amount spent to date", [11066.0, 13832.0, 3473.0]),
        ("capital spent to date", [6436.0, 5911.0, 2396.0]),
    ],
)
def test_a_list_of_amounts_gives_the_item_the_question_names(
    tmp_path: Path, question: str, values: list[float]
) -> None:
    """The words before a list of amounts are every item's: each item's own label decides
    (the figure nearest "spent" was read before, the capital, whatever was asked)."""
    with _client_over(tmp_path, LIST_MANIFEST, LIST_DOCS) as c:
        r = c.post("/api/trend", json={"question": question, "council": "Northwold Council"})
    assert r.status_code == 200
    assert [p["value"] for p in r.json()["points"]] == values


def test_a_sentence_naming_only_the_period_asked_measures_something_else() -> None:
    asked = Asked.of("assessments completed within 45 working days")
    assert asked.about("86% of single assessments were completed within 45 working days.")
    # "within … working days" is half the question's words, but says only how soon
    assert not asked.about("Site inspections were carried out within five working days in 91%.")
    # without a period in the question, every key word counts alike
    assert Asked.of("children in care").period == frozenset()


def hit(text: str, date: str, source: str = "", heading: tuple[str, ...] = ()) -> SimpleNamespace:
    """A hit as ``trend.select`` reads it: a passage's text and headings, its meeting's
    council and date, its document's file."""
    meta = SimpleNamespace(council="Eastwold Council", meeting_date=date)
    document = SimpleNamespace(meta=meta, source=source or f"{date}.html")
    passage = SimpleNamespace(text=text, document=document, heading_path=heading)
    return SimpleNamespace(passage=passage, highlights=[], core=[])


def test_a_table_row_gives_the_current_column_s_cell() -> None:
    from qa_service.trend import select

    text = (
        "Measure Q3 2021/22 Q3 2022/23 Target Mar 2023\n"
        "Audits graded good or better 18% 31% 50%\n"
        "Supervision within timescale 54% 78% 90%"
    )
    row = hit(text, "2023-03-07", "report.pdf")
    [point] = select([row], Asked.of("supervision within timescale"))  # type: ignore[list-item]
    assert point.figure.value == 78.0 and point.figure.unit == "%"
    assert text[point.sentence[0] : point.sentence[1]].startswith("Supervision within")


def test_a_meeting_whose_best_is_in_another_unit_gives_one_in_the_trend_s() -> None:
    """An agenda's minute number read as a count names more of the question than the
    minutes' payment of the same meeting: the meeting gives its payment, in the trend's £."""
    from qa_service.trend import select

    hits = [
        hit("Accounts for payment: Merlin Waste - £30.", "2019-02-25", "m1.pdf"),
        hit("Accounts for payment: Merlin Waste - £30.", "2019-03-25", "m2.pdf"),
        hit("Accounts for payment:- Merlin Waste, Insurance 2698.", "2019-05-20", "agenda.pdf"),
        hit("Merlin Waste - £31.", "2019-05-20", "minutes.pdf"),
    ]
    points = select(hits, Asked.of("payment to Merlin Waste"))  # type: ignore[arg-type]
    assert [(p.figure.value, p.figure.unit, p.flagged) for p in points] == [
        (30.0, "£", False),
        (30.0, "£", False),
        (31.0, "£", False),
    ]
    assert points[-1].hit.passage.document.source == "minutes.pdf"


def test_a_meeting_whose_sentence_states_only_a_forecast_change_is_searched_again() -> None:
    """A sentence naming the whole question but stating only a forecast change gives no
    point, so its meeting's own best passages are still read for the current figure."""
    from qa_service.query import Understanding
    from qa_service.trend import candidates, select

    meta = SimpleNamespace(council="Eastwold Council", meeting_date="2022-01-12")
    document = SimpleNamespace(meta=meta, source="report.pdf")

    def hit(rowid: int, text: str) -> SimpleNamespace:
        passage = SimpleNamespace(rowid=rowid, text=text, document=document, heading_path=())
        return SimpleNamespace(passage=passage, highlights=[], core=[], confidence=1.0, also_at=[])

    forecast = hit(
        1, "Unclassified roads in need of maintenance are forecast to rise from 19% to 24%."
    )
    current = hit(2, "In 2021, 19% of unclassified roads were in need of maintenance.")
    asked_for: list[object] = []

    def ask(question: str, k: int, filters: Filters, **kw: object) -> SimpleNamespace:
        asked_for.append(filters)
        return SimpleNamespace(
            hits=[forecast] if len(asked_for) == 1 else [current], filters=filters
        )

    engine = SimpleNamespace(
        ask=ask,
        understand=lambda q: (None, None),
        refresh=lambda: None,
        reader=SimpleNamespace(largest=10, read=lambda q: Understanding(q, q, ())),
        store=SimpleNamespace(prefix_frequencies=lambda keys: {}),
        lexical=SimpleNamespace(phrase_frequency=lambda phrase: 0, count=lambda: 10),
        settings=SimpleNamespace(answer_threshold=0.5),
    )
    hits, asked = candidates(engine, "unclassified roads in need of maintenance", Filters())  # type: ignore[arg-type]
    assert [h.passage.rowid for h in hits] == [1, 2]
    assert [p.figure.value for p in select(hits, asked)] == [19.0]


def test_an_amount_of_the_quantity_asked_is_a_part_not_the_whole() -> None:
    from qa_service.trend import select

    hits = [
        hit(
            "£8.3 million of the children's services overspend related to placements.", "2024-10-15"
        ),
        hit("The children's services overspend was £5.6 million.", "2023-03-07"),
    ]
    points = select(hits, Asked.of("children's services overspend"))  # type: ignore[arg-type]
    assert [(p.date, p.figure.value) for p in points] == [("2023-03-07", 5.6e6)]
    # a share "of the" quantity is still its figure
    share = [hit("54% of the households were helped.", "2024-02-13")]
    [point] = select(share, Asked.of("share of households helped"))  # type: ignore[arg-type]
    assert point.figure.value == 54.0


def test_a_number_that_names_something_is_not_its_figure() -> None:
    from qa_service.trend import select

    hits = [
        # the question's own "Year 6" names whom the sentence counts
        hit(
            "26.3% of children in Year 6 had been living with obesity, compared with 23.4% in"
            " England, and 12.1% of children in Reception.",
            "2023-03-28",
        ),
        # a number glued to a letter ("Q3") names a quarter
        hit("85% of children in Year 6 living with obesity (Q3 2024/25)", "2025-01-23"),
    ]
    points = select(hits, Asked.of("children in Year 6 living with obesity"))  # type: ignore[arg-type]
    assert [(p.date, p.figure.value, p.figure.unit) for p in points] == [
        ("2023-03-28", 26.3, "%"),
        ("2025-01-23", 85.0, "%"),
    ]


def test_of_sentences_naming_the_question_alike_the_one_whose_figure_names_it_wins() -> None:
    """Both sentences name the whole question; the first (the engine's highlight) states a
    buffer beside a bound, the second the result itself."""
    from qa_service.trend import select

    text = (
        "As the result is below 85%, a 20% buffer must be added to the requirement, and the "
        "Council has published a Housing Delivery Test Action Plan. The Housing Delivery "
        "Test result for the district published in January 2021 was 79%."
    )
    first = hit(text, "2021-11-09")
    first.highlights = [SimpleNamespace(start=0, end=text.index(" The Housing"))]
    [point] = select([first], Asked.of("Housing Delivery Test result"))  # type: ignore[list-item]
    assert point.figure.value == 79.0


def test_a_sentence_is_read_with_the_one_that_sets_its_subject() -> None:
    from qa_service.trend import select

    def lit(text: str, sentence: str) -> SimpleNamespace:
        """A hit whose highlight is ``sentence``, as the engine marks an answering one."""
        found = hit(text, "2022-10-12")
        start = text.index(sentence)
        found.highlights = [SimpleNamespace(start=start, end=start + len(sentence))]
        return found

    # this one refers back to the sentence before ("Of these")
    back = "Of these, 94% were held within statutory timescales."
    text = f"Officers chaired 748 reviews of children in care in 2021/22. {back}"
    asked = Asked.of("reviews of children in care held within timescale")
    [point] = select([lit(text, back)], asked)  # type: ignore[list-item]
    assert point.figure.value == 94.0
    # ... as does one that opens with its period ("In 2022/23 this happened ..."), over a
    # sentence of the passage that names less of the question
    back = "In 2022/23 this happened in 88% of cases, compared with 79% in 2021/22."
    other = "Allegations about foster carers were 12% of the total."
    text = (
        "Initial consideration of an allegation should take place within one working day."
        f" {back} {other}"
    )
    asked = Asked.of("allegations given initial consideration within one working day")
    [point] = select([lit(text, other)], asked)  # type: ignore[list-item]
    assert point.figure.value == 88.0
    # ... but one stating a part of the figure before in its unit, when the one before
    # names more of the question, leaves the point to the whole
    back = "Of these, 318 met the threshold for a LADO referral."
    text = f"The service received 1,046 contacts in 2022/23. {back}"
    asked = Asked.of("contacts received by the LADO service")
    [point] = select([lit(text, back)], asked)  # type: ignore[list-item]
    assert point.figure.value == 1046.0
    # the sentence before states no figure: it sets the subject of the answer
    answer = "Officers explained that only 44% had been completed within 20 working days."
    text = f"A Member asked why initial health assessments were delayed. {answer}"
    asked = Asked.of("initial health assessments within 20 working days")
    [point] = select([lit(text, answer)], asked)  # type: ignore[list-item]
    assert point.figure.value == 44.0
    # a sentence before that states its own figure is another measure's
    text = f"Initial health assessments for 120 children were requested. {answer}"
    assert select([lit(text, answer)], asked) == []  # type: ignore[list-item]
    # and one on a line of its own (another minute's bullet) sets no subject of this one
    text = f"- A Member asked why initial health assessments were delayed.\n- {answer}"
    assert select([lit(text, answer)], asked) == []  # type: ignore[list-item]


def test_a_count_of_some_of_the_figure_after_it_is_what_is_said_of_them() -> None:
    from qa_service.trend import select

    text = (
        "At 31 December 2018, 34 of the 42 children in residential care were in external "
        "homes, at an average weekly cost of £4,250."
    )
    [point] = select(
        [hit(text, "2019-02-26")], Asked.of("number of children in external residential homes")
    )  # type: ignore[list-item]
    assert point.figure.value == 34.0
    [point] = select([hit(text, "2019-02-26")], Asked.of("number of children in residential care"))  # type: ignore[list-item]
    assert point.figure.value == 42.0


def test_a_topic_s_figures_on_a_timeline_keep_money_a_trend_does_not() -> None:
    """A trend of a question that names no money takes none; a timeline's figures of the
    same topic (``point_of``) still state what it cost."""
    from qa_service.trend import point_of, select

    text = "Temporary accommodation for families cost £4.2 million more than the budget."
    question = "families in temporary accommodation"
    assert select([hit(text, "2022-12-06")], Asked.of(question)) == []  # type: ignore[list-item]
    point = point_of(hit(text, "2022-12-06"), question)  # type: ignore[arg-type]
    assert point is not None and point.figure.value == 4.2e6


def test_a_question_counting_hours_takes_only_counts_of_hours() -> None:
    from qa_service.trend import select

    question = "hours of home care a week that could not be arranged"
    others = hit(
        "38 young people moved into adult services with home care packages costing £1,450 a"
        " week that could not be arranged in time.",
        "2023-11-14",
    )
    assert select([others], Asked.of(question)) == []  # type: ignore[list-item]
    hours = hit("1,350 hours of home care a week could not be arranged.", "2022-10-11")
    [point] = select([hours], Asked.of(question))  # type: ignore[list-item]
    assert point.figure.value == 1350.0


def test_a_level_asked_for_is_not_the_size_of_its_change() -> None:
    from qa_service.trend import select

    text = (
        "A 4.99% increase would take the Kelsworth element of the Band D council tax from"
        " £1,944.35 in 2023/24 to £2,041.37 in 2024/25, an increase of £97.02 a year."
    )
    [point] = select([hit(text, "2024-02-13")], Asked.of("Band D council tax"))  # type: ignore[list-item]
    assert (point.figure.value, point.figure.unit) == (2041.37, "£")
    # a change asked for is its size
    [point] = select([hit(text, "2024-02-13")], Asked.of("council tax rise"))  # type: ignore[list-item]
    assert (point.figure.value, point.figure.unit) == (4.99, "%")


def test_a_later_item_without_its_own_verb_shares_the_earlier_one_s() -> None:
    """ "… health had attended only 38% and education 41%": education had attended 41%."""
    from qa_service.trend import select

    asked = Asked.of("education attendance at strategy meetings")
    text = (
        "In January 2022 the police had attended 97% of strategy meetings, but health had"
        " attended only 38% and education 41%."
    )
    [point] = select([hit(text, "2022-03-15")], asked)  # type: ignore[list-item]
    assert point.figure.value == 41.0
    text = (
        "Health professionals had attended 47% of strategy meetings in the six months before"
        " the inspection and education professionals 52%; the police had attended almost all."
    )
    [point] = select([hit(text, "2023-11-28")], asked)  # type: ignore[list-item]
    assert point.figure.value == 52.0
    # the earlier item is still the one its own subject names
    [point] = select([hit(text, "2023-11-28")], Asked.of("health attendance at strategy meetings"))  # type: ignore[list-item]
    assert point.figure.value == 47.0


def test_a_share_of_which_is_of_what_the_figure_before_counts() -> None:
    """ "1,126 claims …, of which 9% had resulted in a payment": 9% of the claims."""
    from qa_service.trend import select

    text = (
        "The Highway Asset Manager reported that 1,126 claims had been received in 2020/21,"
        " of which 9% had resulted in a payment."
    )
    asked = Asked.of("highway claims that resulted in a payment")
    [point] = select([hit(text, "2021-11-04")], asked)  # type: ignore[list-item]
    assert (point.figure.value, point.figure.unit) == (9.0, "%")
    # the whole is still the count's
    [point] = select([hit(text, "2021-11-04")], Asked.of("highway claims received"))  # type: ignore[list-item]
    assert point.figure.value == 1126.0
    # "… and that 11% had resulted in a payment": a reported clause with no subject of its
    # own shares the earlier one's
    text = (
        "The Highways Asset Manager reported that 642 claims had been received in 2020/21 and"
        " that 11% had resulted in a payment."
    )
    [point] = select([hit(text, "2021-09-28")], asked)  # type: ignore[list-item]
    assert (point.figure.value, point.figure.unit) == (11.0, "%")


def test_a_sentence_opening_as_the_one_before_shares_its_subject() -> None:
    """ "Attendance by health professionals at strategy meetings has improved to 69% ….
    Attendance by education staff has improved to 63%": a list written as sentences."""
    from qa_service.trend import select

    text = (
        "6.4 Attendance by health professionals at strategy meetings has improved to 69%,"
        " following the appointment of a practitioner. Attendance by education staff has"
        " improved to 63%. Police attendance remains above 95%."
    )
    found = hit(text, "2023-03-07")  # the engine's highlight: the first sentence
    found.highlights = [SimpleNamespace(start=0, end=text.index(" Attendance by education"))]
    asked = Asked.of("education attendance at strategy meetings")
    [point] = select([found], asked)  # type: ignore[list-item]
    assert point.figure.value == 63.0
    asked = Asked.of("health attendance at strategy meetings")
    [point] = select([found], asked)  # type: ignore[list-item]
    assert point.figure.value == 69.0
    # a new paragraph is a new item, whatever its first word
    text = (
        "5.2 Referrals about approved fostering households were 12% of the total.\n"
        "5.3 Referrals about conduct outside work rose to 27."
    )
    found = hit(text, "2023-09-19")
    found.highlights = [SimpleNamespace(start=text.index("5.3"), end=len(text))]
    asked = Asked.of("number of approved fostering households")
    assert select([found], asked) == []  # type: ignore[list-item]


def test_the_parts_a_figure_is_made_up_of_are_not_it() -> None:
    """ "… increase council tax by 4.99%, made up of 2.99% for general services and 2% for the
    adult social care precept": the question names the whole; "precept" is another way of
    writing "council tax rise", but the 2% is only a part of it."""
    from qa_service.trend import select

    text = (
        "Councillor Ransome said that the County Council would increase council tax by 4.99%,"
        " made up of 2.99% for general services and 2% for the adult social care precept."
    )
    [point] = select([hit(text, "2023-02-21")], Asked.of("council tax rise"))  # type: ignore[list-item]
    assert point.figure.value == 4.99
    # a question on a part names it, not the whole
    [point] = select([hit(text, "2023-02-21")], Asked.of("general services increase"))  # type: ignore[list-item]
    assert point.figure.value == 2.99
    # a part that names what the whole does not is still read ("301 families")
    text = (
        "486 households were in temporary accommodation on 30 September 2022, including 301"
        " families with children."
    )
    asked = Asked.of("families with children in temporary accommodation")
    [point] = select([hit(text, "2022-12-06")], asked)  # type: ignore[list-item]
    assert point.figure.value == 301.0


def test_a_figure_in_a_unit_the_question_names_comes_first() -> None:
    """For "five-year housing land supply", the supply "in years" is read over a share in
    the same sentence and over a share the meeting states in another passage."""
    from qa_service.trend import select

    supply = (
        "A 20% buffer had to be added to the five-year housing land supply calculation, which"
        " reduced the Council's supply from 5.3 years to 4.6 years."
    )
    other = "In the absence of a five-year housing land supply, 30% affordable housing applied."
    # weighted as the index would: "land" and "supply" rare, "year" common
    weights = {"five": 2.0, "year": 0.5, "housi": 1.0, "land": 3.0, "suppl": 3.0}
    asked = Asked.of("five-year housing land supply", weights)
    hits = [hit(other, "2020-08-11", "a.txt"), hit(supply, "2020-08-11", "a.txt")]
    [point] = select(hits, asked)  # type: ignore[arg-type]
    assert (point.figure.value, point.figure.unit) == (4.6, "years")


def test_a_sentence_in_a_unit_the_question_names_is_the_passage_s() -> None:
    """The engine's highlight names more of "five-year housing land supply" ("a 20% buffer
    must be added to the five-year requirement …, Housing Delivery Test"), but the
    passage's sentence stating the supply in years is the one read; "Year 6" names a
    school year, not a unit."""
    from qa_service.trend import select

    text = (
        "Members will be aware that the Council cannot demonstrate a five-year supply of land"
        " for housing. At 1 April 2021 the Council could demonstrate a supply of 3.8 years."
        " As the result is below 85%, a 20% buffer must be added to the five-year land requirement"
        " for housing, and the Council has published a Housing Delivery Test Action Plan."
    )
    weights = {"five": 2.0, "year": 0.5, "housi": 1.0, "land": 3.0, "suppl": 3.0}
    asked = Asked.of("five-year housing land supply", weights)
    read = hit(text, "2021-11-09")
    read.highlights = [SimpleNamespace(start=text.index("As the"), end=len(text))]
    [point] = select([read], asked)  # type: ignore[list-item]
    assert (point.figure.value, point.figure.unit) == (3.8, "years")
    assert asked.names_unit("years")
    assert not Asked.of("children in Year 6 living with obesity").names_unit("years")


def test_a_capital_letter_naming_a_class_is_a_key_word() -> None:
    """ "A roads" names a class of roads: of "7% of A roads, 9% of B and C roads and 19% of
    unclassified roads were in need of maintenance", 7% is the A roads'; the letter alone
    is too short a word, so the pair is one key ("a-road"), and "Band" is no "B and"."""
    from qa_service.trend import select

    assert {"a-road", "b-road", "c-road"} <= stems("7% of A roads, 9% of B and C roads")
    assert stems("Band D council tax") == {"band", "d-counc", "counc", "tax"}
    assert "a-memb" not in stems("A Member asked about roads")  # a name, not a class
    text = (
        "In 2021, 7% of A roads, 9% of B and C roads and 19% of unclassified roads were in need"
        " of maintenance (the red category)."
    )
    # weighted as the index would: no indexed word is "a-road", so the pair is the rarest
    weights = {"a-road": 8.0, "road": 2.0, "need": 2.0, "maint": 3.0}
    asked = Asked.of("A roads in need of maintenance", weights)
    [point] = select([hit(text, "2022-01-12", "a.txt")], asked)  # type: ignore[arg-type]
    assert point.figure.value == 7.0


def test_a_table_row_is_read_with_its_caption_or_the_passage_s_heading() -> None:
    """ "Families whose needs were met at closure 72% 74% 76%" does not say early help; its
    table's caption does ("Table 2: Early help performance"), or, when the caption fell in
    the passage before, the passage's heading ("5. Early help performance")."""
    from qa_service.trend import select

    table = (
        "Measure 2020/21 2021/22 2022/23\n"
        "Early help assessments completed 2,860 3,120 3,480\n"
        "Families whose needs were met at closure 72% 74% 76%"
    )
    # weighted as the index would
    weights = {"famil": 3.2, "need": 3.4, "met": 4.2, "early": 4.0, "help": 3.6, "clos": 4.3}
    asked = Asked.of("families whose needs were met when their early help closed", weights)
    assert select([hit(table, "2023-09-19")], asked) == []  # type: ignore[list-item]
    captioned = f"Table 2: Early help performance, 2020/21 to 2022/23\n{table}"
    [point] = select([hit(captioned, "2023-09-19")], asked)  # type: ignore[list-item]
    assert point.figure.value == 76.0
    headed = hit(table, "2023-09-19", heading=("Agenda Item 5", "5. Early help performance"))
    [point] = select([headed], asked)  # type: ignore[list-item]
    assert point.figure.value == 76.0


def test_a_figure_whose_item_names_the_rarest_key_word_comes_first() -> None:
    """Of "agency social workers made up 46% of the children's social care workforce, and
    that 17% of posts were vacant", 17% is the social worker vacancy rate: its item names
    the rarest word of the question ("vacancy"), though the 46%'s names more by weight."""
    from qa_service.trend import select

    text = (
        "The Assistant Director reported that agency social workers made up 46% of the"
        " children's social care workforce, and that 17% of posts were vacant."
    )
    # weighted as the index would: "vacancy" rarest, "social" and "worker" common
    weights = {"socia": 2.8, "work": 2.9, "vacan": 5.3}
    asked = Asked.of("social worker vacancy rate", weights)
    [point] = select([hit(text, "2022-03-15")], asked)  # type: ignore[arg-type]
    assert point.figure.value == 17.0


def test_a_report_taken_at_two_meetings_is_a_point_at_each(tmp_path: Path) -> None:
    # the same report at scrutiny and then Cabinet: the results list folds the two copies
    # into one hit citing both (``dedup``), and the trend keeps a point for each meeting
    manifest = """file,council,committee,meeting_date,title,doc_type,source_url,supersedes
a.txt,Eastwold Council,Scrutiny,2019-03-01,Workforce 2019,report,,
b.txt,Eastwold Council,Scrutiny,2020-02-01,Workforce 2020,report,,
c.txt,Eastwold Council,Cabinet,2020-03-10,Workforce 2020,report,,
"""
    report = (
        "Agency social workers\n\nThe agency social worker rate was 33% at 31 January 2020,"
        " and the service expects it to fall further as newly qualified staff complete"
        " their first year in practice. The recruitment campaign launched in the autumn"
        " brought forty applications from experienced practitioners, twelve of whom have"
        " accepted offers and will start before the summer. Managers say that the new"
        " career pathway, the protected caseloads for newly qualified workers and the"
        " market supplement agreed last year have made the council more attractive than"
        " its neighbours, and exit interviews no longer name workload as the main reason"
        " for leaving."
    )
    docs = {
        "a.txt": "Agency social workers\n\nThe agency social worker rate was 41% at 31 March 2019.",
        "b.txt": "Report to the Scrutiny Committee\n\n" + report,
        "c.txt": "Report to Cabinet\n\n" + report,
    }
    with _client_over(tmp_path, manifest, docs) as c:
        body = {"question": "agency social worker rate", "council": "Eastwold Council"}
        out = c.post("/api/trend", json=body).json()
    assert [(p["date"], p["value"]) for p in out["points"]] == [
        ("2019-03-01", 41.0),
        ("2020-02-01", 33.0),
        ("2020-03-10", 33.0),
    ]


def _highlighted(text: str, date: str) -> SimpleNamespace:
    """A hit whose highlight (its core answer, what the reader reads) joins all its
    sentences, as the engine's may."""
    one = hit(text, date)
    one.highlights = one.core = [SimpleNamespace(start=0, end=len(text))]
    return one


def test_the_reader_reads_the_core_answer_not_the_wider_span_shown() -> None:
    """The display's neighbour margin (``CQA_HIGHLIGHT_NEIGHBOUR_MARGIN``) widens the span
    shown, not the sentence the reader falls back on (``Hit.core``) when no sentence states
    a figure."""
    from qa_service.trend_sentence import _sentence

    text = "The service was restructured in April. The service received more contacts."
    one = hit(text, "2023-09-19")
    one.highlights = [SimpleNamespace(start=0, end=len(text))]
    one.core = [SimpleNamespace(start=text.index("The service received"), end=len(text))]
    span, weight = _sentence(one, Asked.of("contacts received by the service"))  # type: ignore[arg-type]
    assert (span, weight) == ((one.core[0].start, len(text)), -1.0)


def test_a_highlight_joining_sentences_is_read_sentence_by_sentence() -> None:
    """Together the sentences name what neither does: the part's figure ("Of these, 318 …")
    would be read for the whole the first states."""
    from qa_service.trend import select

    text = (
        "Contacts and referrals\nThe service received 1,046 contacts in 2022/23. "
        "Of these, 318 met the threshold for a LADO referral."
    )
    weights = {"lado": 5.74, "servi": 2.5, "recei": 3.01, "conta": 3.58}
    asked = Asked.of("contacts received by the LADO service", weights)
    [point] = select([_highlighted(text, "2023-09-19")], asked)  # type: ignore[list-item]
    assert point.figure.value == 1046.0


def test_a_count_of_more_is_a_change_not_the_level() -> None:
    """ "… will pay for around 300 more charge points" adds to the level; the sentence naming
    more of the question gives no figure of it, so the one stating the level gives the
    point."""
    from qa_service.trend import select
    from qa_service.trend_current import change

    text = (
        "There are 142 public charge points in Eastwold. The capital allocation will pay for "
        "around 300 more public electric vehicle charge points by March 2026."
    )
    assert change(text, figures(text)[1]) and not change(text, figures(text)[0])
    asked = Asked.of("public electric vehicle charge points")
    [point] = select([_highlighted(text, "2024-02-13")], asked)  # type: ignore[list-item]
    assert point.figure.value == 142.0


# idf weights as the index of the three sets gives them
_IDF = {"episo": 5.75, "going": 5.19, "went": 5.75, "miss": 4.11, "home": 3.11}
_IDF |= {"care": 2.22, "child": 1.97, "budge": 3.13, "gap": 5.05, "savin": 4.21}
_IDF |= {"risk": 3.67, "explo": 4.19, "crimi": 5.19, "sexua": 5.19}


def _asked(question: str) -> Asked:
    return Asked.of(question, {s: _IDF[s] for s in stems(question)})


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("missing episodes of children going missing from home or care", 1214.0),
        ("children who went missing from home or care", 388.0),
    ],
)
def test_two_counts_linked_by_a_participle_each_count_their_own_noun(
    question: str, value: float
) -> None:
    """ "1,214 missing episodes involving 388 children": the words before 388 name the
    episodes, but 388 counts the children."""
    from qa_service.trend import select

    text = (
        "Children missing from home and care\n4.1 During 2017/18 there were 1,214 missing "
        "episodes involving 388 children, compared with 1,112 episodes involving 362 children "
        "in 2016/17."
    )
    [point] = select([hit(text, "2018-06-19")], _asked(question))  # type: ignore[list-item]
    assert point.figure.value == value


def test_an_amount_before_what_is_asked_is_not_it() -> None:
    """ "£31.5 million before savings" is a budget gap, not the savings; asked as the gap
    before savings, it is the gap, and a sentence on the savings alone is not about it."""
    from qa_service.trend import select

    gap = "The Director warned that the budget gap for 2025/26 was £31.5 million before savings."
    assert select([hit(gap, "2024-07-16")], _asked("savings in the budget")) == []  # type: ignore[list-item]
    [point] = select([hit(gap, "2024-07-16")], _asked("budget gap before savings"))  # type: ignore[list-item]
    assert point.figure.value == 31.5e6
    saved = "Of the savings of £14.5 million in the 2023/24 budget, £10.9 million are on track."
    assert select([hit(saved, "2023-11-14")], _asked("budget gap before savings")) == []  # type: ignore[list-item]


def test_a_count_of_some_of_what_is_asked_is_a_subgroup() -> None:
    """ "64 children in care had been reported missing on a total of 213 occasions" counts
    some of the children in care, and what they did: neither is the number of them."""
    from qa_service.trend import select

    asked = Asked.of("number of children in care")
    missing = (
        "In Quarter 4 of 2021/22, 64 children in care had been reported missing on a total "
        "of 213 occasions."
    )
    assert select([hit(missing, "2022-07-13")], asked) == []  # type: ignore[list-item]
    there = "There were 512 children in care at 30 June 2023, a rate of 60 per 10,000 children."
    [point] = select([hit(there, "2023-09-19")], asked)  # type: ignore[list-item]
    assert point.figure.value == 512.0
    # a predicate naming the question is what it counts ("… had been placed in care")
    placed = "In 2022/23, 148 children in care had been placed in care outside the county."
    assert [p.figure.value for p in select([hit(placed, "2023-09-19")], asked)] == [148.0]  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("children at risk of child sexual exploitation", 41.0),
        ("children at risk of criminal exploitation", 63.0),
    ],
)
def test_a_table_s_rows_with_a_change_column_are_items_of_their_own(
    question: str, value: float
) -> None:
    """A table read as text whose rows end with a change ("41 -6", "63 +17"): each line is
    its own item, and the signed change is no count."""
    from qa_service.trend import select

    text = (
        "Table 2: Children open to the exploitation hub at 31 March 2024, by main concern\n"
        "Main concern Number of children Change since 31 March 2023\n"
        "Child sexual exploitation 41 -6\n"
        "Child criminal exploitation, including county lines 63 +17\n"
        "Both sexual and criminal exploitation 22 +4"
    )
    assert [f.value for f in figures("county lines 63 +17")] == [63.0]
    [point] = select([hit(text, "2025-02-04")], _asked(question))  # type: ignore[list-item]
    assert point.figure.value == value


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        # the head of the measure decides: a count of posts, whatever the budget is
        ("number of posts to be cut in the budget", "count"),
        ("How many posts were cut in the budget?", "count"),
        ("number of licensed taxi and private hire vehicles", "count"),
        # money as the head of the measure, though no money word of the list is in it
        ("investment in the foster carer recruitment plan", "£"),
        ("additional investment in children's social care", "£"),
        ("expenditure on highway maintenance", "£"),
        # a money noun that is not the head asks nothing of it
        ("pension fund return on investments", None),
    ],
)
def test_the_head_of_the_measure_decides_the_unit_asked(question: str, unit: str | None) -> None:
    assert asked_unit(question) == unit


def test_money_asked_by_its_head_is_read_over_the_count_it_pays_for() -> None:
    from qa_service.trend import select

    hits = [
        hit(
            "The Council will invest an additional £7.4 million over two years in children's"
            " social care, including 32 new social work posts.",
            "2022-03-15",
        )
    ]
    asked = Asked.of("additional investment in children's social care")
    [point] = select(hits, asked)  # type: ignore[arg-type]
    assert (point.figure.value, point.figure.unit) == (7.4e6, "£")


def test_a_number_inside_a_name_is_no_count() -> None:
    from qa_service.trend import select

    text = "The Council received 4,860 comments in response to the Regulation 18 consultation."
    assert [f.value for f in figures(text)] == [4860.0]
    assert [f.value for f in figures("Work on Phase 4 began with 12 homes.")] == [12.0]
    # a sentence's first word is no name's: "About 300 people" counts
    assert [f.value for f in figures("Regulation 18 consultation drew 300 comments.")] == [
        18.0,
        300.0,
    ]
    hits = [
        hit(
            "The Regulation 18 consultation on the Local Plan ran from January to March and"
            " received 4,860 comments.",
            "2024-02-13",
        )
    ]
    [point] = select(hits, Asked.of("comments received on the Local Plan consultation"))  # type: ignore[arg-type]
    assert point.figure.value == 4860.0


def test_a_total_is_read_over_the_rate_for_each_one_unless_a_rate_is_asked() -> None:
    from qa_service.trend import select

    text = (
        "Pupil Premium Plus funding of £2,300 for each eligible child in care was allocated"
        " to the Virtual School, a total of £718,000 for 2018/19."
    )
    hits = [hit(text, "2019-11-21")]
    [total] = select(hits, Asked.of("total Pupil Premium Plus grant for children in care"))  # type: ignore[arg-type]
    assert total.figure.value == 718_000.0
    [each] = select(hits, Asked.of("Pupil Premium Plus funding for each child in care"))  # type: ignore[arg-type]
    assert each.figure.value == 2_300.0


def test_a_count_of_what_a_number_question_counts_comes_first() -> None:
    from qa_service.trend import select

    text = (
        "There were 412 hackney carriage drivers, 1,388 private hire drivers and 1,214 licensed"
        " vehicles in the borough."
    )
    [point] = select(
        [hit(text, "2023-01-19")], Asked.of("number of licensed taxi and private hire vehicles")
    )  # type: ignore[list-item]
    assert point.figure.value == 1214.0
    # a count of some of the count after it counts its noun too
    text = "34 of the 42 children in residential care were in external homes."
    [point] = select(
        [hit(text, "2019-02-26")], Asked.of("number of children in external residential placements")
    )  # type: ignore[list-item]
    assert point.figure.value == 34.0


@pytest.mark.parametrize(
    ("text", "values"),
    [
        # a possessive is no name: the Council's 22 flats are counted
        ("Most were in the Council's 22 leased flats.", [22.0]),
        # a row's label before its cells is no name ("Adults 1.5 1.2")
        ("Reablement-first home care Adults 15 12", [15.0, 12.0]),
        # a line's first word is no name's: "Total 302" is a row's total
        ("Referred on 45\nTotal 302", [45.0, 302.0]),
        # a number word inside a name is no count in words
        ("Work on the Tranche Two homes began, and twelve homes were let.", [12.0]),
    ],
)
def test_what_is_no_name_in_a_passage(text: str, values: list[float]) -> None:
    assert [f.value for f in figures(text, nouns=frozenset([stem("homes")]))] == values


def test_a_question_asking_no_unit_whose_meetings_state_only_money_gets_its_amounts() -> None:
    """A question naming no unit reads no money ("households subscribing to the garden waste
    service" counts households); when nothing else is stated about it, it asks an amount
    ("quote for tarmacking the cart roads": "the quote of £60k +vat"), taken from a sentence
    naming the measure's head, "quote"."""
    from qa_service.trend import chosen, select

    text = "The Clerk received the quote of £60k +vat for a tarmac topping of the cart roads."
    hits = [hit(text, "2021-01-26", "minutes.pdf")]
    asked = Asked.of("quote for tarmacking the cart roads")
    assert select(hits, asked) == []  # type: ignore[arg-type]
    [point] = chosen(hits, asked)  # type: ignore[arg-type]
    assert (point.figure.value, point.figure.unit) == (60000.0, "£")
    # a sentence not naming the head ("length") gives no amount for it
    other = [hit("The road network the council maintains costs £4.7 million.", "2021-09-28")]
    assert chosen(other, Asked.of("length of the road network the council maintains")) == []  # type: ignore[arg-type]
    # a count stated about it comes first: no money then
    both = [*hits, hit("The cart roads had 12 potholes after the quote for tarmac.", "2021-03-01")]
    assert [p.figure.unit for p in chosen(both, asked)] == ["count"]  # type: ignore[arg-type]


def test_a_sentence_naming_the_measure_is_about_its_item_s_subject_said_before() -> None:
    """ "the net saving was estimated at £620,000 a year" names the measure of "yearly saving
    from buying homes for temporary accommodation", but less than half of its words; its
    item's heading and the sentences before it name the rest ("TEMPORARY ACCOMMODATION",
    "buying 40 homes"). A sentence whose passage names only some of the rest is still
    another measure's."""
    from qa_service.trend import select

    weights = {"year": 2.5, "savin": 4.2, "buy": 6.7, "home": 3.1, "tempo": 4.1, "accom": 3.6}
    asked = Asked.of("yearly saving from buying homes for temporary accommodation", weights)
    text = (
        "The report proposed buying 40 homes at a total capital cost of £8.4 million. "
        "The Director of Finance said that the net saving was estimated at £620,000 a year."
    )
    heading = ("80. TEMPORARY ACCOMMODATION: ACQUISITION PROGRAMME",)
    [point] = select([hit(text, "2024-02-13", heading=heading)], asked)  # type: ignore[list-item]
    assert point.figure.value == 620000.0
    other = ("81. LIBRARY SERVICES",)
    assert select([hit(text, "2024-02-13", heading=other)], asked) == []  # type: ignore[list-item]
    # a clause's verbs need not be said: "set up to pay for climate action"
    climate = (
        "(1) the Climate Change Strategy and the action plan for 2020 to 2023 be approved;\n\n"
        "(2) a Climate Change Fund of £1.5 million over three years be established; and"
    )
    weights = {"clima": 4.0, "fund": 3.7, "set": 3.5, "pay": 4.4, "actio": 3.4}
    asked = Asked.of("climate fund set up to pay for climate action", weights)
    [point] = select([hit(climate, "2020-10-20")], asked)  # type: ignore[list-item]
    assert point.figure.value == 1500000.0


def test_a_row_down_the_periods_is_read_by_its_column_s_label() -> None:
    """A table whose periods run down its rows states the latest month's cell in the column
    its header labels as asked; the cell's own words are its caption, header and column
    label (not the row's date), so it is read over an earlier month's figure in prose."""
    from qa_service.trend import select

    prose = (
        "Members asked how long the waiting list was. The Assistant Director said that 1,934 "
        "people had been waiting for a Care Act assessment at 31 July 2024, and that 212 of "
        "them had waited more than six months."
    )
    table = (
        "Table 1: People waiting for a Care Act assessment, by month\n"
        "Month end Waiting Median wait (weeks) Waiting over 6 months\n"
        "July 2024 1,934 14 212\n"
        "September 2024 1,612 11 141\n"
    )
    question = "people who have waited more than six months for a Care Act assessment"
    hits = [hit(prose, "2024-11-19", "pack.pdf"), hit(table, "2024-11-19", "pack.pdf")]
    [point] = select(hits, Asked.of(question))  # type: ignore[arg-type]
    assert point.figure.value == 141.0


def test_money_itself_as_the_head_is_no_word_a_sentence_must_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import qa_service.trend_sentence as trend_sentence
    from qa_service.trend import select

    question = "money for tackling damp and mould in council homes"
    idf = {"money": 6.0, "tackling": 7.0, "damp": 6.0, "mould": 6.0, "homes": 3.0, "council": 2.0}
    weights = {stem(w): v for w, v in idf.items()}
    text = (
        "A specialist damp and mould team of eight staff was set up in April 2023, funded by"
        " £1.1 million in the HRA budget."
    )
    hits = [hit(text, "2024-02-13")]
    [point] = select(hits, Asked.of(question, weights))  # type: ignore[arg-type]
    assert (point.figure.value, point.figure.unit) == (1.1e6, "£")
    monkeypatch.setattr(trend_sentence, "MONEY_IS_THE_UNIT", False)  # "money" must be named
    assert select(hits, Asked.of(question, weights)) == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("question", "text", "value"),
    [
        # the count of the measure's plural noun, not the last count of the sentence
        (
            "employers participating in the pension fund",
            "The Fund had 178 participating employers and 92,640 members, of whom 31,210 were"
            " active contributors, 33,850 had deferred benefits and 27,580 were pensioners.",
            178.0,
        ),
        # a part of the count, stated after it, counts the same noun: read as before
        (
            "households in bed and breakfast or hotels",
            "238 households were in temporary accommodation on 31 December 2023, of whom 58"
            " were in bed and breakfast or hotel rooms.",
            58.0,
        ),
    ],
)
def test_a_question_asking_no_unit_reads_the_count_of_its_plural_first(
    question: str, text: str, value: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    import qa_service.trend_sentence as trend_sentence
    from qa_service.trend import select

    # the index's idf: "pension" rarest
    idf = {"pension": 5.3, "fund": 3.7, "employers": 4.9, "participating": 5.0}
    weights = {stem(w): v for w, v in idf.items()} if value == 178.0 else None
    [point] = select([hit(text, "2023-06-27")], Asked.of(question, weights))  # type: ignore[list-item]
    assert point.figure.value == value
    if value == 178.0:
        monkeypatch.setattr(trend_sentence, "UNIT_LESS_COUNTED", False)  # stop 24: the last
        [point] = select([hit(text, "2023-06-27")], Asked.of(question, weights))  # type: ignore[list-item]
        assert point.figure.value == 27580.0


def test_a_long_name_named_only_in_part_is_another_of_its_kind(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import qa_service.trend as trend_module
    from qa_service.trend import select

    asked = Asked.of("actions completed in the Highway Asset Management Improvement Plan")
    other = hit(
        "Of the 96 actions in the post-inspection improvement plan, 71 were complete.",
        "2016-10-18",
    )
    own = hit(
        "A Highway Asset Management Improvement Plan had been prepared with 32 actions, of"
        " which 21 were complete.",
        "2021-11-04",
    )
    points = select([other, own], asked)  # type: ignore[list-item]
    assert [p.date for p in points] == ["2021-11-04"]
    monkeypatch.setattr(trend_module, "NAMES_WHOLE", False)  # stop 24: the other plan too
    points = select([other, own], asked)  # type: ignore[list-item]
    assert [p.date for p in points] == ["2016-10-18", "2021-11-04"]


def test_money_itself_stays_a_key_word_when_no_amount_is_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import qa_service.trend_read as trend_read

    question = "money for tackling damp and mould in council homes"
    assert "money" not in Asked.of(question).weights  # an amount asked names it
    monkeypatch.setattr(trend_read, "MONEY_BY_NAME", False)  # no amount asked: "money" kept
    assert "money" in Asked.of(question).weights
