"""HTTP API round trips with the fake embedder."""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from index.embedder import HashingEmbedder
from qa_service.api.main import create_app
from qa_service.config import Settings


@pytest.fixture
def client(small_index: Path) -> Iterator[TestClient]:
    app = create_app(Settings(index=small_index, admin_token="s3cret"), HashingEmbedder())
    with TestClient(app) as c:
        yield c


def test_ask_returns_cited_verifiable_passages(client: TestClient) -> None:
    r = client.post("/api/ask", json={"question": "contacts awaiting a MASH decision", "top_k": 3})
    assert r.status_code == 200
    body = r.json()
    assert body["question"] == "contacts awaiting a MASH decision"
    assert isinstance(body["answered"], bool)
    assert 1 <= len(body["passages"]) <= 3
    scores = [p["score"] for p in body["passages"]]
    assert scores == sorted(scores, reverse=True)
    for rank, p in enumerate(body["passages"], start=1):
        assert p["rank"] == rank
        c = p["citation"]
        doc = client.get(f"/api/documents/{c['document_id']}").json()
        assert doc["text"][c["char_start"] : c["char_end"]] == p["text"]
        for h in p["highlights"]:
            assert 0 <= h["start"] < h["end"] <= len(p["text"])
        assert c["source"].endswith((".txt", ".html", ".pdf"))
        if c["source"].endswith(".pdf"):
            assert c["page"] >= 1
        else:
            assert c["page"] is None
    assert body["passages"][0]["citation"]["council"] == "Northmoor County Council"


def test_filters_council_string_or_list_and_dates(client: TestClient) -> None:
    for council in ("Ravensholt City Council", ["Ravensholt City Council"]):
        r = client.post(
            "/api/ask",
            json={"question": "inspection", "top_k": 5, "filters": {"council": council}},
        )
        assert r.status_code == 200
        cites = [p["citation"]["council"] for p in r.json()["passages"]]
        assert cites and set(cites) == {"Ravensholt City Council"}
    r = client.post(
        "/api/ask",
        json={"question": "inspection", "filters": {"date_from": "2019-01-01"}, "sort": "oldest"},
    )
    dates = [p["citation"]["meeting_date"] for p in r.json()["passages"]]
    assert dates == sorted(dates) and all(d >= "2019-01-01" for d in dates)


@pytest.mark.parametrize(
    "body",
    [
        {"question": ""},
        {"question": "   "},
        {"question": "x" * 2000},
        {"question": "ok", "top_k": 0},
        {"question": "ok", "top_k": 51},
        {"question": "ok", "filters": {"date_from": "2020-13-45"}},
        {"question": "ok", "filters": {"date_from": "2021-01-01", "date_to": "2020-01-01"}},
        {"question": "ok", "sort": "sideways"},
        {"top_k": 3},
        {"question": "ok", "top_k": True},  # JSON true is not a count (pydantic reads it as 1)
    ],
)
def test_bad_requests_get_422_with_a_message(client: TestClient, body: dict) -> None:
    r = client.post("/api/ask", json=body)
    assert r.status_code == 422
    assert isinstance(r.json()["detail"], str) and r.json()["detail"]
    assert "Value error" not in r.json()["detail"]  # the validator's own sentence, plainly


def test_compare_gives_one_column_per_council(client: TestClient) -> None:
    r = client.post("/api/compare", json={"question": "agency social workers", "per_council": 2})
    assert r.status_code == 200
    columns = r.json()["councils"]
    assert {c["council"] for c in columns} == {
        "Northmoor County Council",
        "Ravensholt City Council",
        "Quarrington Metropolitan Borough Council",
    }
    for column in columns:
        assert 1 <= len(column["passages"]) <= 2
        assert {p["citation"]["council"] for p in column["passages"]} == {column["council"]}
    r = client.post("/api/compare", json={"question": "x", "filters": {"council": "A"}})
    assert r.status_code == 422


def test_compare_orders_councils_by_their_best_passage_score(client: TestClient) -> None:
    # INTERFACE.md: "councils ordered by their best passage's score"
    for question in ("agency social workers", "Ofsted inspection", "children in care"):
        columns = client.post("/api/compare", json={"question": question}).json()["councils"]
        best = [max((p["score"] for p in c["passages"]), default=-math.inf) for c in columns]
        assert best == sorted(best, reverse=True)


def test_documents_health_and_missing_document(client: TestClient) -> None:
    docs = client.get("/api/documents").json()["documents"]
    assert len(docs) == 5
    assert client.get("/health").json() == {
        "status": "ok",
        "documents": 5,
        "passages": sum(d["passages"] for d in docs),
    }
    only = client.get("/api/documents", params={"council": "Ravensholt City Council"}).json()
    assert {d["council"] for d in only["documents"]} == {"Ravensholt City Council"}
    assert client.get("/api/documents/nope").status_code == 404
    assert client.get("/").status_code == 200
    page = client.get("/", params={"q": "MASH decision"}).text
    assert "<mark>" in page and "Northmoor County Council" in page
    assert client.get("/openapi.json").status_code == 200


def test_documents_read_blank_and_padded_filters_as_the_other_endpoints_do(
    client: TestClient,
) -> None:
    # a form's "Any type" sends doc_type= : it listed nothing, where /api/decisions ignores it
    for params in ({"doc_type": ""}, {"council": ""}, {"committee": " "}):
        body = client.get("/api/documents", params=params).json()
        assert len(body["documents"]) == 5 and body["notes"] == [], params
    padded = client.get("/api/documents", params={"council": " Ravensholt City Council "}).json()
    assert len(padded["documents"]) == 2
    reports = client.get("/api/documents", params={"doc_type": ["Report", ""]}).json()
    assert {d["doc_type"] for d in reports["documents"]} == {"report"}


def test_documents_name_a_filter_value_no_paper_holds_as_ask_does(client: TestClient) -> None:
    body = client.get("/api/documents", params={"doc_type": "agenda"}).json()
    assert body["documents"] == []
    asked = {"question": "MASH decision", "filters": {"doc_type": "agenda"}}
    assert body["notes"] == client.post("/api/ask", json=asked).json()["notes"]
    assert body["notes"] == [
        "No paper in the index has the type \u201cagenda\u201d (it has: minutes, report)."
    ]


def test_health_counts_without_reading_every_document(client: TestClient) -> None:
    """A liveness probe stays cheap at millions of passages: no facet of the documents (a
    GROUP BY reads every document's row, its text included: 1.7 s at 10M passages, and
    probes timing out at 2 s piled up until the server never came up)."""
    client.get("/health")  # the engine is open and current
    statements: list[str] = []
    conn = client.app.state.engine.store.conn  # type: ignore[attr-defined]
    conn.set_trace_callback(statements.append)
    try:
        body = client.get("/health").json()
    finally:
        conn.set_trace_callback(None)
    assert body["documents"] == 5 and body["passages"] > 0
    assert statements and not [s for s in statements if "GROUP BY" in s.upper()]


def test_writes_need_the_token(client: TestClient) -> None:
    doc_id = client.get("/api/documents").json()["documents"][0]["document_id"]
    assert client.delete(f"/api/documents/{doc_id}").status_code == 401
    bad = {"Authorization": "Bearer wrong"}
    assert client.delete(f"/api/documents/{doc_id}", headers=bad).status_code == 401
    good = {"Authorization": "Bearer s3cret"}
    files = {"file": ("../../evil name.txt", io.BytesIO(b"Item 1\n\nThe quokka policy."))}
    r = client.post("/api/documents", files=files, data={"council": "Test"}, headers=good)
    assert r.status_code == 201, r.text
    assert r.json()["source"] == "evil name.txt"
    hit = client.post("/api/ask", json={"question": "quokka policy"}).json()["passages"][0]
    assert hit["citation"]["council"] == "Test"
    new_id = r.json()["document_id"]
    assert client.delete(f"/api/documents/{new_id}", headers=good).status_code == 200
    assert client.get(f"/api/documents/{new_id}").status_code == 404
    r = client.post("/api/documents", files={"file": ("x.exe", io.BytesIO(b"MZ"))}, headers=good)
    assert r.status_code == 415


def test_writes_refused_without_a_configured_token(small_index: Path) -> None:
    app = create_app(Settings(index=small_index), HashingEmbedder())
    with TestClient(app) as c:
        doc_id = c.get("/api/documents").json()["documents"][0]["document_id"]
        r = c.delete(f"/api/documents/{doc_id}", headers={"Authorization": "Bearer "})
        assert r.status_code == 403


def test_ask_shows_the_filters_it_read_and_can_be_told_not_to(client: TestClient) -> None:
    body = client.post("/api/ask", json={"question": "Ravensholt MASH contacts in 2023"}).json()
    assert body["inferred_filters"]["council"] == ["Ravensholt City Council"]
    # a year is a preference, not a cut
    assert body["inferred_filters"]["date_from"] is None
    assert body["inferred_filters"]["preferred_date_from"] == "2023-01-01"
    assert body["inferred_filters"]["preferred_phrases"] == ["2023"]
    assert body["inferred_filters"]["phrases"] == ["Ravensholt"]
    assert body["answer_state"] in ("answered", "weak", "none")  # shared/INTERFACE.md
    assert body["answered"] is (body["answer_state"] == "answered")
    assert body["filters"]["council"] == ["Ravensholt City Council"]
    assert "MASH = multi-agency safeguarding hub" in body["expansions"]
    assert {p["citation"]["council"] for p in body["passages"]} == {"Ravensholt City Council"}
    assert all(isinstance(p["citation"]["also_at"], list) for p in body["passages"])
    plain = client.post(
        "/api/ask", json={"question": "Ravensholt MASH contacts in 2023", "infer_filters": False}
    ).json()
    assert plain["inferred_filters"]["council"] == [] and plain["filters"]["council"] == []


def test_compare_uses_the_councils_a_question_names(client: TestClient) -> None:
    r = client.post(
        "/api/compare", json={"question": "agency social workers Northmoor vs Ravensholt"}
    )
    assert r.status_code == 200
    names = {c["council"] for c in r.json()["councils"]}
    assert names == {"Northmoor County Council", "Ravensholt City Council"}


def test_answer_state_and_note_use_the_contracts_names(client: TestClient) -> None:
    # shared/INTERFACE.md: "answer_state": "answered" | "weak" | "none", and a "note"
    body = client.post("/api/ask", json={"question": "agency social workers"}).json()
    assert body["answer_state"] in ("answered", "weak", "none")
    assert body["note"] is None and body["notes"] == []
    body = client.post(
        "/api/ask", json={"question": "agency social workers", "filters": {"council": "Nowhere"}}
    ).json()
    assert body["answer_state"] == "none" and body["passages"] == []
    assert body["note"] == body["notes"][0]
    assert "the council \u201cNowhere\u201d" in body["note"]
    column = client.post(
        "/api/compare", json={"question": "agency social workers", "councils": ["Nowhere"]}
    ).json()["councils"][0]
    assert column["answer_state"] == "none"
    schema = client.get("/openapi.json").json()["components"]["schemas"]["AskResponse"]
    assert schema["properties"]["answer_state"]["enum"] == ["answered", "weak", "none"]


def test_a_filter_value_no_paper_holds_is_named(client: TestClient) -> None:
    body = client.post(
        "/api/ask",
        json={
            "question": "inspection",
            "filters": {"council": ["ravensholt city council", "Atlantis"], "doc_type": "memo"},
        },
    ).json()
    # matched as the store matches, ignoring case: only the unknown values are named
    assert not any("\u201cravensholt city council\u201d" in n for n in body["notes"])
    assert any("the council \u201cAtlantis\u201d" in n for n in body["notes"])
    types = [n for n in body["notes"] if "the type \u201cmemo\u201d" in n]
    assert types and "(it has: " in types[0] and "minutes" in types[0]


def test_compare_names_a_council_or_filter_value_no_paper_holds(client: TestClient) -> None:
    # an empty column for a misspelt council read as "its papers don't answer this"
    body = client.post(
        "/api/compare",
        json={
            "question": "inspection",
            "councils": ["Atlantis", "ravensholt city council"],
            "filters": {"doc_type": "memo"},
        },
    ).json()
    notes = {c["council"]: c["note"] for c in body["councils"]}
    assert notes["Atlantis"].startswith(
        "No paper in the index has the council \u201cAtlantis\u201d"
    )
    assert "Ravensholt City Council" in notes["Atlantis"]  # a short list of councils is named
    assert notes["ravensholt city council"] is None  # held (ignoring case); memo emptied it
    assert len(body["notes"]) == 1 and "the type \u201cmemo\u201d" in body["notes"][0]
    body = client.post("/api/compare", json={"question": "inspection"}).json()
    assert body["notes"] == [] and all(c["note"] is None for c in body["councils"])


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (b"not json", "body: is not valid JSON"),
        (b"", "body: is required: send a JSON object"),
        (b'["question"]', "body: must be a JSON object ({...}), not a list, string or number"),
        (b'"question"', "body: must be a JSON object ({...}), not a list, string or number"),
    ],
)
def test_a_body_that_is_not_a_json_object_says_so(
    client: TestClient, content: bytes, detail: str
) -> None:
    r = client.post("/api/ask", content=content, headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["detail"].startswith(detail)


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data"]
)
@pytest.mark.parametrize("path", ["/api/ask", "/api/compare", "/api/trend"])
def test_json_sent_without_a_json_content_type_is_told_the_header(
    client: TestClient, content_type: str, path: str
) -> None:
    # `curl -d '{"question": ...}'` without -H sends a form: the body is not read as JSON, and
    # the client was told "Input should be a valid dictionary or object to extract fields from"
    r = client.post(
        path, content=b'{"question": "inspection"}', headers={"content-type": content_type}
    )
    assert r.status_code == 422
    assert r.json()["detail"] == (
        "body: is not JSON: send a JSON object with the header Content-Type: application/json"
    )
    sent = client.post(
        path,
        content=b'{"question": "inspection"}',
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert sent.status_code == 200


@pytest.mark.parametrize(
    ("path", "body", "detail"),
    [
        (
            "/api/ask",
            {"question": "x", "filters": {"date_from": "2020-02-30"}},
            "filters.date_from: must be a real date written YYYY-MM-DD"
            " (day value is outside expected range)",
        ),
        (
            "/api/compare",
            {"question": "x", "filters": {"date_to": "2020-13-01"}},
            "filters.date_to: must be a real date written YYYY-MM-DD"
            " (month value is outside expected range of 1-12)",
        ),
        (
            "/api/compare",
            {"question": "x", "filters": {"council": "Ravensholt City Council"}},
            'filters.council: is not taken here: give the councils to compare in "councils"',
        ),
    ],
)
def test_a_bad_date_or_a_field_not_taken_is_said_plainly(
    client: TestClient, path: str, body: dict[str, object], detail: str
) -> None:
    # pydantic said "Input should be a valid date or datetime, ..." (no datetime is taken)
    # and, for a council filter on compare, "Input should be None"
    r = client.post(path, json=body)
    assert r.status_code == 422 and r.json()["detail"] == detail


def test_a_bad_date_in_a_query_is_said_plainly(client: TestClient) -> None:
    for path in ("/api/decisions", "/api/documents", "/api/commitments?as_of=2020-02-30&x=1"):
        url = path if "?" in path else f"{path}?date_from=2020-02-30"
        detail = client.get(url).json()["detail"]
        assert detail.endswith(
            ": must be a real date written YYYY-MM-DD (day value is outside expected range)"
        ), (path, detail)


def test_documents_with_reversed_dates_get_422_like_ask(client: TestClient) -> None:
    r = client.get("/api/documents", params={"date_from": "2021-01-01", "date_to": "2020-01-01"})
    assert r.status_code == 422
    assert r.json()["detail"] == "date_from must not be after date_to"
    assert r.json()["errors"][0]["msg"] == r.json()["detail"]  # every 422 has its errors
    assert client.get("/api/documents", params={"date_from": "2020-01-01"}).status_code == 200


def test_an_upload_sent_as_json_is_told_to_send_a_form(client: TestClient) -> None:
    # "file: Field required" did not say that an upload is a multipart form
    auth = {"Authorization": "Bearer s3cret"}
    r = client.post("/api/documents", json={"file": "minutes.txt"}, headers=auth)
    assert r.status_code == 422
    assert r.json()["detail"] == (
        "file: is required: send the paper as multipart/form-data (curl -F file=@paper.pdf)"
    )
    # a form without its file is only missing the file
    r = client.post("/api/documents", files={"council": (None, "X")}, headers=auth)
    assert r.status_code == 422 and r.json()["detail"] == "file: Field required"


def test_an_upload_refuses_a_field_it_does_not_take(client: TestClient) -> None:
    # `-F date=2025-02-03` (for meeting_date) was dropped without a word: the paper was
    # indexed with no date. It is refused, not named back, as a JSON body's unknown field is
    good = {"Authorization": "Bearer s3cret"}
    files = {"file": ("m.txt", io.BytesIO(b"Item 1\n\nThe wombat policy was agreed."))}
    r = client.post("/api/documents", files=files, data={"date": "2025-02-03"}, headers=good)
    assert r.status_code == 422
    assert r.json()["detail"].startswith("(unknown field): is not a field of an upload (it takes: ")
    assert "date" not in r.json()["detail"].split("(it takes:")[0]
    assert r.json()["errors"][0]["loc"] == ["body", "(unknown field)"]
    assert (
        client.post("/api/ask", json={"question": "wombat policy"}).json()["passages"][0][
            "citation"
        ]["source"]
        != "m.txt"
    )  # nothing was indexed
    files = {"file": ("m.txt", io.BytesIO(b"Item 1\n\nThe wombat policy was agreed."))}
    every = {"council": "C", "committee": "K", "meeting_date": "2025-02-03", "title": "T"}
    every |= {"doc_type": "minutes", "source_url": "https://example.org/m", "supersedes": ""}
    r = client.post("/api/documents", files=files, data=every, headers=good)
    assert r.status_code == 201, r.text
