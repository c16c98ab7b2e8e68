"""``cqa export --format opensearch``: the mapping and bulk body against OpenSearch's schema.

No OpenSearch server runs here, so the files are checked against OpenSearch's published
API specification (opensearch-project/opensearch-api-specification): ``TypeMapping``,
``KeywordProperty``, ``TextProperty``, ``DateProperty``, ``IntegerNumberProperty``,
``BooleanProperty`` and ``KnnVectorProperty``/``KnnVectorMethod`` from
``spec/schemas/_common.mapping.yaml``, and the bulk ``OperationContainer`` from
``spec/schemas/_core.bulk.yaml``, transcribed below for the types this export uses.  Two
things are stricter than the published schemas, taken from OpenSearch's k-NN documentation
(docs.opensearch.org, "Methods and engines"): the method, engine and space names are the
documented ones, and no key may be left unexplained (``unevaluatedProperties``), so a
misspelt key fails here as the server would refuse it.  Documents are checked against the
mapping itself: a ``knn_vector`` of exactly ``dimension`` numbers, dates in
``strict_date`` form, keywords as strings.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from index.opensearch_export import mapping, valid_name
from qa_service.cli import main

jsonschema = pytest.importorskip("jsonschema")

_BASE = {  # PropertyBase + CorePropertyBase + DocValuesPropertyBase, as published
    "meta": {"type": "object", "additionalProperties": {"type": "string"}},
    "ignore_above": {"type": "number"},
    "copy_to": {},
    "similarity": {"type": "string"},
    "store": {"type": "boolean"},
    "doc_values": {"type": "boolean"},
}


def _property(kind: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {**_BASE, "type": {"type": "string", "enum": [kind]}, **extra},
        "required": ["type"],
        "unevaluatedProperties": False,
    }


SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "settings": {
            "type": "object",
            "properties": {
                "index": {
                    "type": "object",
                    "properties": {
                        "knn": {"const": True},  # the k-NN plugin is off unless asked for
                        "number_of_shards": {"type": "integer", "minimum": 1},
                    },
                    "required": ["knn"],
                    "unevaluatedProperties": False,
                }
            },
            "required": ["index"],
        },
        "mappings": {"$ref": "#/$defs/TypeMapping"},
    },
    "required": ["settings", "mappings"],
    "unevaluatedProperties": False,
    "$defs": {
        "TypeMapping": {
            "type": "object",
            "properties": {
                "dynamic": {"type": "string", "enum": ["false", "strict", "true"]},
                "properties": {
                    "type": "object",
                    "additionalProperties": {"$ref": "#/$defs/Property"},
                },
            },
            "unevaluatedProperties": False,
        },
        "Property": {
            "oneOf": [
                _property(
                    "keyword",
                    boost={"type": "number"},
                    index={"type": "boolean"},
                    normalizer={"type": "string"},
                    null_value={"type": "string"},
                ),
                _property(
                    "text",
                    analyzer={"type": "string"},
                    index={"type": "boolean"},
                    search_analyzer={"type": "string"},
                ),
                _property(
                    "date",
                    format={"type": "string"},
                    ignore_malformed={"type": "boolean"},
                    index={"type": "boolean"},
                    locale={"type": "string"},
                ),
                _property("integer", index={"type": "boolean"}, null_value={"type": "number"}),
                _property("boolean", index={"type": "boolean"}, null_value={"type": "boolean"}),
                _property(
                    "knn_vector",
                    dimension={"type": "number", "minimum": 1, "maximum": 16000},
                    method={"$ref": "#/$defs/KnnVectorMethod"},
                    space_type={"type": "string"},
                    mode={"type": "string"},
                    compression_level={"type": "string"},
                    data_type={"type": "string"},
                    model_id={"type": "string"},
                )
                | {"required": ["type", "dimension"]},
            ]
        },
        "KnnVectorMethod": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "enum": ["hnsw", "ivf"]},
                "space_type": {
                    "type": "string",
                    "enum": ["l2", "innerproduct", "cosinesimil", "l1", "linf", "hamming"],
                },
                "engine": {"type": "string", "enum": ["faiss", "lucene", "nmslib"]},
                "parameters": {"type": "object"},
            },
            "required": ["name"],
            "unevaluatedProperties": False,
        },
    },
}

BULK_ACTION: dict[str, Any] = {  # OperationContainer with the index (WriteOperation) form
    "type": "object",
    "properties": {
        "index": {
            "type": "object",
            "properties": {
                "_id": {"type": "string", "minLength": 1, "maxLength": 512},
                "_index": {"type": "string"},
                "routing": {"type": "string"},
                "pipeline": {"type": "string"},
                "require_alias": {"type": "boolean"},
            },
            "unevaluatedProperties": False,
        },
        "create": {"type": "object"},
        "update": {"type": "object"},
        "delete": {"type": "object"},
    },
    "minProperties": 1,
    "maxProperties": 1,
    "unevaluatedProperties": False,
}


def document_schema(properties: dict[str, Any]) -> dict[str, Any]:
    """A JSON schema for one document under ``properties`` (the mapping's fields)."""
    by_type = {
        "keyword": {"type": "string"},
        "text": {"type": "string"},
        "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},  # strict_date
        "integer": {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1},
        "boolean": {"type": "boolean"},
    }
    fields: dict[str, Any] = {}
    for name, spec in properties.items():
        if spec["type"] == "knn_vector":
            dim = spec["dimension"]
            fields[name] = {
                "type": "array",
                "items": {"type": "number"},
                "minItems": dim,
                "maxItems": dim,
            }
        else:
            fields[name] = by_type[spec["type"]]
    return {"type": "object", "properties": fields, "additionalProperties": False}


def test_the_mapping_meets_the_published_schema() -> None:
    body = mapping(384)
    jsonschema.validate(body, SCHEMA)
    fields = body["mappings"]["properties"]
    assert fields["embedding"]["dimension"] == 384
    assert {fields[f]["type"] for f in ("council", "committee", "doc_type")} == {"keyword"}
    assert fields["meeting_date"]["type"] == "date"


@pytest.mark.parametrize(
    "broken",
    [
        {"embedding": {"type": "knn_vector"}},  # no dimension
        {"embedding": {"type": "knn_vector", "dimension": 4, "method": {"name": "hnws"}}},
        {"council": {"type": "keyword", "indexed": True}},  # a misspelt key
        {"council": {"type": "keywords"}},
    ],
)
def test_the_schema_refuses_a_broken_mapping(broken: dict[str, Any]) -> None:
    body = mapping(4)
    body["mappings"]["properties"].update(broken)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(body, SCHEMA)


def test_cqa_export_writes_a_mapping_and_bulk_body_opensearch_accepts(
    small_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CQA_EMBEDDER", "hashing")
    out = tmp_path / "os"
    args = ["export", "--format", "opensearch", "--index", str(small_index), "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    body = json.loads((out / "committee-papers.mapping.json").read_text())
    jsonschema.validate(body, SCHEMA)
    properties = body["mappings"]["properties"]
    assert properties["embedding"]["dimension"] == 64  # the fake embedder's
    doc_schema = document_schema(properties)
    lines = (out / "committee-papers.bulk.ndjson").read_text().splitlines()
    assert len(lines) % 2 == 0 and lines
    ids = set()
    for action_line, doc_line in zip(lines[::2], lines[1::2], strict=True):
        action, doc = json.loads(action_line), json.loads(doc_line)
        jsonschema.validate(action, BULK_ACTION)
        jsonschema.validate(doc, doc_schema)
        assert action["index"]["_id"] == doc["passage_id"]
        ids.add(doc["passage_id"])
        assert abs(float(np.linalg.norm(doc["embedding"])) - 1) < 1e-5
    from index.store import Store

    store = Store.open(small_index)
    try:
        assert len(ids) == store.stats().passages == len(lines) // 2
        dated = store.conn.execute(
            "SELECT COUNT(*) FROM passages p JOIN documents d ON d.doc_rowid = p.doc_rowid "
            "WHERE d.meeting_date IS NOT NULL"
        ).fetchone()[0]
    finally:
        store.close()
    assert sum("meeting_date" in json.loads(d) for d in lines[1::2]) == dated > 0


@pytest.mark.parametrize(
    ("name", "ok"),
    [("committee-papers", True), ("cp.2026_v1", True), ("Committee", False),
     ("_hidden", False), ("a b", False), ("a/b", False), (".", False), ("..", False), ("", False)],
)  # fmt: skip
def test_index_names_opensearch_accepts(name: str, ok: bool) -> None:
    assert valid_name(name) is ok


def test_cqa_export_takes_its_folder_as_an_argument(
    small_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # shared/INTERFACE.md: `cqa export --format opensearch DIR`; it was refused as an
    # unexpected extra argument, only `--out DIR` was taken
    monkeypatch.setenv("CQA_EMBEDDER", "hashing")
    out = tmp_path / "os"
    args = ["export", "--format", "opensearch", str(out), "--index", str(small_index)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert (out / "committee-papers.mapping.json").is_file()
    assert (out / "committee-papers.bulk.ndjson").read_text().strip()
    both = [*args, "--out", str(tmp_path / "other")]
    result = CliRunner().invoke(main, both)
    assert result.exit_code == 2 and "give the folder once" in result.output
    assert not (tmp_path / "other").exists()


def test_cqa_export_to_a_folder_it_cannot_write_is_one_line(
    small_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a file where the --out folder's parent should be: mkdir's OSError was a traceback
    monkeypatch.setenv("CQA_EMBEDDER", "hashing")
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    out = tmp_path / "a-file" / "os"
    args = ["export", "--format", "opensearch", "--index", str(small_index), "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert result.output == f"Error: cannot write to {out}: Not a directory\n"


def test_an_export_that_fails_midway_leaves_no_half_written_body(
    small_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index import opensearch_export
    from index.store import Store

    def full(store: Store, name: str) -> Any:
        yield '{"index": {}}'
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(opensearch_export, "bulk_lines", full)
    store = Store.open(small_index)
    try:
        with pytest.raises(OSError, match="No space"):
            opensearch_export.export(store, tmp_path)
    finally:
        store.close()
    assert not list(tmp_path.glob("*.bulk.ndjson*"))
