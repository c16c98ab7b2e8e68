"""The dev set's precedent questions through GET /api/decisions and GET /api/timeline.

A question passes when a gold passage is among the first five passages that either
endpoint cites (for decisions: the passages the decisions fall in).  Run with ``-s`` to
print the figures.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from evaluation.metrics import Retrieved, first_hit_rank
from evaluation.questions import load_questions
from qa_service.api.main import create_app
from qa_service.config import Settings
from qa_service.retriever import Engine
from tests.conftest import DEV_CORPUS

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def client(shared_set_index, real_embedder, query_embedder) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    # the session's one real-model index of the dev set (tests/conftest.py), read only here
    index_dir = shared_set_index("dev-set")
    with TestClient(create_app(Settings(index=index_dir), query_embedder, real_embedder)) as c:
        yield c


def _decision_passages(client: TestClient, question: str) -> list[Retrieved]:
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    body = client.get("/api/decisions", params={"q": question}).json()
    out: list[Retrieved] = []
    for d in body["decisions"]:
        c = d["citation"]
        rowid = engine.store.passage_rowid(c["passage_id"])
        text = engine.store.passages([rowid])[rowid].text
        if not any(r.text == text for r in out):
            out.append(Retrieved(c["source"], text, c["page"], c["council"]))
    return out[:5]


def _timeline_passages(client: TestClient, question: str) -> list[Retrieved]:
    body = client.get("/api/timeline", params={"q": question, "limit": 5}).json()
    return [
        Retrieved(p["citation"]["source"], p["text"], p["citation"]["page"])
        for y in body["years"]
        for p in y["passages"]
    ][:5]


def test_precedent_questions_find_their_gold(client: TestClient) -> None:
    questions = [
        q for q in load_questions(DEV_CORPUS.parent / "questions.jsonl") if q.type == "precedent"
    ]
    by_decisions = by_timeline = either = 0
    for q in questions:
        d = first_hit_rank(q, _decision_passages(client, q.question)) is not None
        t = first_hit_rank(q, _timeline_passages(client, q.question)) is not None
        by_decisions += d
        by_timeline += t
        either += d or t
        print(f"\n{q.id}: decisions {'hit' if d else 'miss'}, timeline {'hit' if t else 'miss'}")
    print(
        f"\nprecedent questions with gold in the first five: decisions {by_decisions}, "
        f"timeline {by_timeline}, either {either} of {len(questions)}"
    )
    # Floors a little under what the service reaches (6, 9 and 9 of 9 on the dev set). The
    # decisions list nothing where the engine abstains on the question over the passages
    # holding a decision, as /api/ask does: 3 of the 9 (docs/quality.md).
    assert by_decisions >= 5
    assert by_timeline >= 8
    assert either >= 8


def _best_passage(client: TestClient, question: str) -> dict:
    body = {"question": question, "top_k": 1}
    return client.post("/api/ask", json=body).json()["passages"][0]


def test_similar_passages_of_dev_set_passages_come_from_other_meetings(
    client: TestClient,
) -> None:
    """For "has anyone else faced this": other meetings, mostly other councils, no copies."""
    questions = [
        q for q in load_questions(DEV_CORPUS.parent / "questions.jsonl")
        if q.type in ("precedent", "topical")
    ]  # fmt: skip
    other_council = 0
    for q in questions:
        source = _best_passage(client, q.question)
        c = source["citation"]
        body = client.get(f"/api/passages/{source['passage_id']}/similar").json()
        found = body["passages"]
        assert len(found) == 5, q.id
        for p in found:
            pc = p["citation"]
            assert pc["document_id"] != c["document_id"], q.id
            assert (pc["council"], pc["committee"], pc["meeting_date"]) != (
                c["council"], c["committee"], c["meeting_date"],
            ), q.id  # fmt: skip
            assert p["text"] != source["text"], q.id
        other_council += any(p["citation"]["council"] != c["council"] for p in found)
    print(f"\nsimilar passages from another council for {other_council} of {len(questions)}")
    assert other_council >= len(questions) - 2


def test_every_result_list_exports_as_csv_that_parses_back(client: TestClient) -> None:
    import csv
    import io

    question = "agency social workers"
    source = _best_passage(client, question)
    exports = [
        (client.post("/api/ask", json={"question": question, "top_k": 7}), "passages"),
        (client.get("/api/decisions", params={"q": question}), "decisions"),
        (client.get("/api/timeline", params={"q": question, "limit": 6}), "years"),
        (client.get(f"/api/passages/{source['passage_id']}/similar"), "passages"),
        (client.post("/api/compare", json={"question": question, "per_council": 2}), "councils"),
    ]
    for response, key in exports:
        body = response.json()
        if key == "years":
            expected = sum(len(y["passages"]) for y in body["years"])
        elif key == "councils":
            expected = sum(
                len(c["passages"]) + (c["latest_decision"] is not None) for c in body["councils"]
            )
        else:
            expected = len(body[key])
        request = response.request
        url = request.url.copy_merge_params({"format": "csv"})
        as_csv = client.request(request.method, str(url), content=request.content,
                                headers={"content-type": "application/json"})  # fmt: skip
        assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
        rows = list(csv.DictReader(io.StringIO(as_csv.text)))
        assert expected > 0 and len(rows) == expected, (key, len(rows), expected)
        assert all(r["document_id"] and r["council"] and r["text"] for r in rows)


def test_compare_shows_a_latest_decision_only_where_a_council_decided_on_it(
    client: TestClient,
) -> None:
    """Signs of Safety was adopted by Oakhaven's Cabinet; its column carries that decision."""
    body = {"question": "When was Signs of Safety adopted?", "per_council": 2}
    columns = {c["council"]: c for c in client.post("/api/compare", json=body).json()["councils"]}
    oakhaven = columns["Oakhaven Borough Council"]["latest_decision"]
    assert oakhaven is not None and "Signs of Safety" in oakhaven["text"]
    for name, column in columns.items():
        latest = column["latest_decision"]
        if latest is not None:
            assert latest["citation"]["council"] == name
        dates = {p["citation"]["meeting_date"] for p in column["passages"]} - {None}
        assert column["meeting_dates"] == sorted(dates, reverse=True)
