"""GET /api/decisions and GET /api/timeline with the fake embedder."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from index.embedder import HashingEmbedder
from index.store import Filters
from qa_service.abstention import FEATURES, Model
from qa_service.answers import Answer, Hit
from qa_service.api.main import create_app
from qa_service.config import Settings
from qa_service.precedent import confident


@pytest.fixture
def client(small_index: Path) -> Iterator[TestClient]:
    app = create_app(Settings(index=small_index), HashingEmbedder())
    with TestClient(app) as c:
        yield c


def _check_cited(client: TestClient, decision: dict) -> None:
    c = decision["citation"]
    doc = client.get(f"/api/documents/{c['document_id']}").json()
    assert doc["text"][c["char_start"] : c["char_end"]] == decision["text"]
    assert c["passage_id"] in {p["passage_id"] for p in doc["passages"]}


def test_decisions_without_a_question_list_all_newest_first(client: TestClient) -> None:
    r = client.get("/api/decisions")
    assert r.status_code == 200
    found = r.json()["decisions"]
    kinds = ("resolution", "recommendation", "delegated decision", "call-in outcome")
    assert found and all(d["kind"] in kinds for d in found)
    dates = [d["citation"]["meeting_date"] or "" for d in found]
    assert dates == sorted(dates, reverse=True)
    for d in found:
        _check_cited(client, d)


def test_decisions_filtered_by_council_committee_and_dates(client: TestClient) -> None:
    r = client.get(
        "/api/decisions",
        params={
            "council": "ravensholt city council",
            "committee": "Children and Young People Scrutiny Committee",
            "date_from": "2018-01-01",
            "date_to": "2018-12-31",
        },
    )
    assert r.status_code == 200
    found = r.json()["decisions"]
    assert found
    for d in found:
        assert d["citation"]["council"] == "Ravensholt City Council"
        assert d["kind"] == "recommendation" and d["citation"]["page"] == 1
        assert d["citation"]["meeting_date"].startswith("2018")


def test_decisions_for_a_question_hold_the_relevant_resolution(client: TestClient) -> None:
    r = client.get("/api/decisions", params={"q": "task and finish group on missing children"})
    assert r.status_code == 200
    body = r.json()
    assert body["question"] == "task and finish group on missing children"
    texts = [d["text"] for d in body["decisions"]]
    assert any("task and finish group" in t for t in texts)
    for d in body["decisions"]:
        _check_cited(client, d)


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2019-13-01"},
        {"date_to": "yesterday"},
        {"date_from": "2020-01-01", "date_to": "2019-01-01"},
        {"limit": "0"},
        {"limit": "51"},
        {"q": "x" * 2000},
        {"offset": "-1"},
        {"offset": "two"},
        {"offset": str(2**63)},
    ],
)
def test_bad_decision_requests_get_422(client: TestClient, params: dict[str, str]) -> None:
    r = client.get("/api/decisions", params=params)
    assert r.status_code == 422
    assert r.json()["detail"]


def _texts(body: dict) -> list[str]:
    return [d["text"] for d in body["decisions"]]


def test_decisions_page_by_offset_through_every_decision(client: TestClient) -> None:
    # past the most one page may show (CQA_MAX_TOP_K) nothing could be reached
    whole = client.get("/api/decisions", params={"procedural": "true", "limit": 50}).json()
    total = whole["total"]
    assert total == len(whole["decisions"]) > 4 and whole["offset"] == 0
    pages = [
        client.get("/api/decisions", params={"procedural": "true", "limit": 2, "offset": o}).json()
        for o in range(0, total + 2, 2)
    ]
    assert all(p["total"] == total for p in pages)
    assert [p["offset"] for p in pages] == list(range(0, total + 2, 2))
    assert [t for p in pages for t in _texts(p)] == _texts(whole)  # newest first, each once
    assert pages[-1]["decisions"] == []  # past the end: an empty page, not an error
    narrowed = {"council": "Ravensholt City Council", "limit": 1, "offset": 1}
    body = client.get("/api/decisions", params=narrowed).json()
    alone = client.get("/api/decisions", params={"council": "Ravensholt City Council"}).json()
    assert body["total"] == alone["total"] == len(alone["decisions"])
    assert _texts(body) == _texts(alone)[1:2]


def test_decisions_for_a_question_page_through_the_same_passages(client: TestClient) -> None:
    asked = {"q": "children missing from care", "procedural": "true", "limit": 5}
    whole = client.get("/api/decisions", params=asked).json()
    assert whole["total"] == len(whole["decisions"]) > 1
    later = client.get("/api/decisions", params=asked | {"offset": 1}).json()
    assert later["total"] == whole["total"] and _texts(later) == _texts(whole)[1:]


def test_timeline_groups_relevant_passages_by_year(client: TestClient) -> None:
    r = client.get("/api/timeline", params={"q": "children missing from care", "limit": 8})
    assert r.status_code == 200
    body = r.json()
    assert body["question"] == "children missing from care"
    years = [y["year"] for y in body["years"]]
    dated = [y for y in years if y is not None]
    assert dated == sorted(dated) and len(set(dated)) == len(dated)
    passages = [p for y in body["years"] for p in y["passages"]]
    assert 1 <= len(passages) <= 8
    assert [p["rank"] for p in passages] == list(range(1, len(passages) + 1))
    for y in body["years"]:
        for p in y["passages"]:
            date = p["citation"]["meeting_date"]
            assert (date is None) if y["year"] is None else date.startswith(str(y["year"]))


def test_timeline_of_one_council(client: TestClient) -> None:
    r = client.get(
        "/api/timeline", params={"q": "fostering", "council": "Northmoor County Council"}
    )
    assert r.status_code == 200
    councils = {p["citation"]["council"] for y in r.json()["years"] for p in y["passages"]}
    assert councils == {"Northmoor County Council"}


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "x", "limit": "0"}, {"q": "   "}])
def test_bad_timeline_requests_get_422(client: TestClient, params: dict[str, str]) -> None:
    assert client.get("/api/timeline", params=params).status_code == 422


def test_new_endpoints_are_in_the_openapi_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "get" in paths["/api/decisions"] and "get" in paths["/api/timeline"]


def _decision_passage_ids(client: TestClient) -> set[str]:
    params = {"limit": 50, "procedural": "true"}
    everything = client.get("/api/decisions", params=params).json()["decisions"]
    return {d["citation"]["passage_id"] for d in everything}


def test_ask_with_kind_decision_returns_only_passages_holding_a_decision(
    client: TestClient,
) -> None:
    body = {"question": "Ofsted inspection", "top_k": 5}
    plain = client.post("/api/ask", json=body).json()
    holding = _decision_passage_ids(client)
    assert any(p["passage_id"] not in holding for p in plain["passages"])
    r = client.post("/api/ask", json={**body, "filters": {"kind": "decision"}})
    assert r.status_code == 200
    found = r.json()
    assert found["filters"]["kind"] == "decision" and plain["filters"]["kind"] == "any"
    assert found["passages"]
    assert {p["passage_id"] for p in found["passages"]} <= holding


def test_ask_with_an_unknown_kind_gets_422(client: TestClient) -> None:
    r = client.post("/api/ask", json={"question": "x", "filters": {"kind": "minute"}})
    assert r.status_code == 422 and "kind" in r.json()["detail"]


def test_compare_gives_each_council_its_latest_decision_and_meeting_dates(
    small_index: Path,
) -> None:
    # a threshold every passage meets: which decision is latest is what is tested here
    app = create_app(
        Settings(index=small_index, answer_threshold=0.0, abstention="threshold"), HashingEmbedder()
    )
    with TestClient(app) as client:
        r = client.post("/api/compare", json={"question": "children missing from care"})
        assert r.status_code == 200
        columns = r.json()["councils"]
        with_decision = [c for c in columns if c["latest_decision"]]
        assert with_decision
        for column in columns:
            dates = {p["citation"]["meeting_date"] for p in column["passages"]} - {None}
            assert column["meeting_dates"] == sorted(dates, reverse=True)
            latest = column["latest_decision"]
            if latest is None:
                continue
            assert latest["citation"]["council"] == column["council"]
            _check_cited(client, latest)
            own = client.get(
                "/api/decisions",
                params={"q": "children missing from care", "council": column["council"]},
            ).json()["decisions"]
            # one of the decisions of the council's passages that best answer the question
            assert latest in own


def test_compare_has_no_latest_decision_where_nothing_answers(small_index: Path) -> None:
    app = create_app(
        Settings(index=small_index, answer_threshold=99.0, abstention="threshold"),
        HashingEmbedder(),
    )
    with TestClient(app) as client:
        columns = client.post("/api/compare", json={"question": "fostering"}).json()["councils"]
    assert columns and all(c["latest_decision"] is None for c in columns)


@pytest.mark.parametrize(
    ("confidences", "answered", "kept"),
    [
        ([1.13, 0.96, 0.44], True, [1.13]),  # a word-match far below the best is not kept
        ([1.04, 0.98, 0.95, 0.61], True, [1.04, 0.98, 0.95]),
        ([1.2, 1.15], False, []),  # the engine abstains: however confident each hit looks
        ([], True, []),
    ],
)
def test_confident_hits_are_those_of_an_answer_near_the_best(
    confidences: list[float], answered: bool, kept: list[float]
) -> None:
    hits = [Hit(None, 0.0, 0.0, confidence=c) for c in confidences]  # type: ignore[arg-type]
    answer = Answer("q", answered, hits, Filters())
    assert [h.confidence for h in confident(answer)] == kept


# A classifier that refuses wherever a quarter of the key-term weight is in words no passage
# has ("swimming pool"), and answers otherwise: these tests check that the precedent
# endpoints follow the engine's classifier, not what the stored fit makes of the fake
# embedder's cosines.
REFUSES_LACKING = Model(
    mean=(0.0,) * len(FEATURES),
    scale=(1.0,) * len(FEATURES),
    coef=tuple(-20.0 if f == "lacking" else 0.0 for f in FEATURES),
    intercept=5.0,
    answer_at=0.5,
    weak_at=0.3,
)


@contextmanager
def _classifier_client(index: Path) -> Iterator[TestClient]:
    app = create_app(
        Settings(index=index, answer_threshold=0.0, abstention="classifier"), HashingEmbedder()
    )
    with TestClient(app) as client:
        client.app.state.engine.abstention_model = REFUSES_LACKING  # type: ignore[attr-defined]
        yield client


def test_compare_abstains_on_a_latest_decision_as_ask_does(small_index: Path) -> None:
    """The classifier's decision, not a per-hit threshold: with a threshold every passage
    meets, a question the papers do not answer still gets no latest decision."""
    question = "swimming pool"
    with _classifier_client(small_index) as client:
        councils = client.post("/api/compare", json={"question": question}).json()["councils"]
        assert councils and all(c["passages"] for c in councils)
        for column in councils:
            body = {"question": question, "filters": {"council": column["council"]}}
            assert client.post("/api/ask", json=body).json()["answered"] is False
            assert column["latest_decision"] is None


def test_decisions_for_a_question_abstain_as_ask_does(small_index: Path) -> None:
    """With a threshold every passage meets, a question the papers do not answer lists no
    decisions (the classifier abstains on it, as /api/ask does), while one they answer
    still lists its resolution."""
    with _classifier_client(small_index) as client:
        off_topic = "swimming pool"
        assert client.post("/api/ask", json={"question": off_topic}).json()["answered"] is False
        r = client.get("/api/decisions", params={"q": off_topic})
        assert r.status_code == 200 and r.json()["decisions"] == []
        page = client.get("/decisions", params={"q": off_topic})
        assert page.status_code == 200
        on_topic = "task and finish group on missing children"
        found = client.get("/api/decisions", params={"q": on_topic}).json()["decisions"]
        assert any("task and finish group" in d["text"] for d in found)


def test_decisions_show_their_subject_first_and_hide_procedural_ones(client: TestClient) -> None:
    body = client.get("/api/decisions", params={"limit": 50}).json()
    assert body["procedural"] is False
    found = body["decisions"]
    assert found and not any(d["procedural"] for d in found)
    assert list(found[0])[:2] == ["subject", "item"]  # the subject comes first
    ofsted = next(d for d in found if "findings of the Ofsted inspection" in d["text"])
    assert ofsted["item"] == "19" and ofsted["subject"].startswith("OFSTED INSPECTION")
    everything = client.get("/api/decisions", params={"limit": 50, "procedural": "true"}).json()
    assert everything["procedural"] is True
    noted = [d for d in everything["decisions"] if d["procedural"]]
    assert noted and len(everything["decisions"]) == len(found) + len(noted)
    assert any(d["text"].endswith("2014/15 be noted.") for d in noted)


def test_timeline_years_carry_their_decisions_and_figures(client: TestClient) -> None:
    body = client.get(
        "/api/timeline", params={"q": "children missing from care", "limit": 10}
    ).json()
    decided = figures = 0
    for y in body["years"]:
        held = {p["passage_id"] for p in y["passages"]}
        texts = {p["passage_id"]: p["text"] for p in y["passages"]}
        for d in y["decisions"]:
            decided += 1
            assert d["citation"]["passage_id"] in held and not d["procedural"]
            assert (d["citation"]["meeting_date"] or "").startswith(str(y["year"]))
        for f in y["figures"]:
            figures += 1
            assert f["text"] in texts[f["citation"]["passage_id"]]
            assert f["value_text"] in f["text"]
    assert decided and figures


UNHELD = "No paper in the index has the council \u201cAtlantis\u201d"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/decisions?council=Atlantis", None),
        ("GET", "/api/decisions?council=Atlantis&q=children+missing+from+care", None),
        ("GET", "/api/commitments?council=Atlantis", None),
        ("GET", "/api/timeline?q=children+missing+from+care&council=Atlantis", None),
        ("POST", "/api/trend", {"question": "children missing from care", "council": "Atlantis"}),
    ],
)
def test_precedent_names_a_council_no_paper_holds_as_ask_does(
    client: TestClient, method: str, path: str, body: dict[str, str] | None
) -> None:
    # an officer's misspelt council gave an empty list that read as "nothing was decided"
    got = client.request(method, path, json=body).json()
    assert len(got["notes"]) == 1 and got["notes"][0].startswith(UNHELD), got
    held = client.request(
        method,
        path.replace("Atlantis", "ravensholt+city+council"),
        json={**body, "council": " ravensholt city council"} if body else None,
    ).json()
    assert held["notes"] == []  # matched ignoring case and outer spaces, as the store does


def test_decisions_name_a_committee_no_paper_holds(client: TestClient) -> None:
    got = client.get("/api/decisions", params={"committee": "Nowhere Board"}).json()
    assert got["decisions"] == []
    assert got["notes"][0].startswith(
        "No paper in the index has the committee \u201cNowhere Board\u201d"
    )
