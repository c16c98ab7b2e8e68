"""Shaping answers into API bodies: what the presenters add beside the engine's answer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from index.embedder import HashingEmbedder
from qa_service.config import Settings
from qa_service.presenters import compare_request
from qa_service.retriever import Engine
from qa_service.schemas.asking import CompareRequest


@pytest.fixture
def engine(small_index: Path) -> Iterator[Engine]:
    opened = Engine(small_index, HashingEmbedder(), Settings(index=small_index))
    yield opened
    opened.close()


def test_compare_reads_the_councils_once_for_every_empty_column(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # each council no paper holds read the index's councils again (once per empty column)
    reads: list[str] = []
    facet_values = engine.store.facet_values

    def counted(field: str) -> list[str]:
        reads.append(field)
        return facet_values(field)

    monkeypatch.setattr(engine.store, "facet_values", counted)

    def council_reads(councils: list[str]) -> int:
        reads.clear()
        body = compare_request(engine, CompareRequest(question="inspection", councils=councils))
        notes = [c.note for c in body.councils if c.council not in ("Ravensholt City Council",)]
        assert all(n and n.startswith("No paper in the index has the council") for n in notes)
        return reads.count("council")

    one = council_reads(["Atlantis", "Ravensholt City Council"])
    four = council_reads(["Atlantis", "Lyonesse", "Avalon", "Ys", "Ravensholt City Council"])
    assert four == one


def test_a_note_quotes_at_most_a_hundred_characters_of_a_value(engine: Engine) -> None:
    # a 2,500-character council in a link was quoted whole, on the page and in the API
    from index.store import Filters
    from qa_service.presenters import unheld_filter_notes

    (note,) = unheld_filter_notes(engine, Filters(council=("a" * 2500,)))
    assert "\u201c" + "a" * 99 + "\u2026\u201d" in note and "a" * 100 not in note
    (short,) = unheld_filter_notes(engine, Filters(council=("Atlantis",)))
    assert "\u201cAtlantis\u201d" in short
