"""The forward index (``index.forward``): tantivy's fieldnorm scale, its BM25 reproduced (to
float32 rounding) from the candidates' own term counts, and the lexical second pass reading it only
for plain words, only while it is on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index import lexical_tantivy
from index.base import Query
from index.forward import FOLDER, fieldnorm_id, fieldnorm_table, write
from index.lexical_folder import _open_index, _tantivy, analyzer
from index.lexical_tantivy import WEIGHTS, TantivyIndex, query_text

_WORDS = [
    "council",
    "report",
    "budget",
    "spending",
    "ofsted",
    "sufficiency",
    "children",
    "care",
    "placements",
]


def _rows(count: int = 600) -> list[tuple[int, tuple[str, str, str]]]:
    """Passages of varied lengths and repeats, with words in every field."""
    rng = np.random.default_rng(7)
    rows = []
    for rowid in range(1, count + 1):
        body = " ".join(rng.choice(_WORDS, size=int(rng.integers(1, 120))))
        heading = " ".join(rng.choice(_WORDS, size=int(rng.integers(0, 4))))
        context = f"Council {rowid % 7} Children's Services {rowid % 3}"
        rows.append((rowid, (heading, body, context)))
    return rows


def _lexical(tmp_path: Path, rows: list[tuple[int, tuple[str, str, str]]]) -> TantivyIndex:
    """A tantivy index of ``rows`` in several segments, with their forward index."""
    tantivy = _tantivy()
    index = _open_index(None, create=True)
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    for n, (rowid, (heading, body, context)) in enumerate(rows, start=1):
        writer.add_document(
            tantivy.Document(rowid=rowid, heading=heading, body=body, context=context)
        )
        if n % 150 == 0:
            writer.commit()
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    lexical = TantivyIndex(Path("/nonexistent"), None, index)  # type: ignore[arg-type]
    lexical.forward = write(tmp_path / "forward", rows, generation=1)
    return lexical


def _score(lexical: TantivyIndex, words: list[str], rowids: list[int]) -> dict[int, float]:
    assert lexical.forward is not None
    tokens = [t for w in words for t in analyzer().analyze(w)]
    searcher = lexical._searcher
    scored = lexical.forward.score(
        rowids, tokens, WEIGHTS, searcher.doc_freq, int(searcher.num_docs)
    )
    assert scored is not None
    return dict(scored)


def test_the_fieldnorm_scale_is_tantivys() -> None:
    table = fieldnorm_table()
    assert list(table[:41]) == list(range(41))
    assert (table[41], table[42], table[-1]) == (42, 44, 2_013_265_944)
    assert bool(np.all(np.diff(table.astype(np.int64)) > 0))
    assert [fieldnorm_id(n) for n in (0, 40, 41, 42, 43, 10**10)] == [0, 40, 40, 41, 41, 255]


@pytest.mark.parametrize(
    "words",
    [
        ["council"],
        ["report", "budget", "spending"],
        ["children", "child", "care"],  # two words, one stem: counted twice, as tantivy does
        ["ofsted", "nowhere", "placements", "council"],
    ],
)
def test_scores_are_tantivys(tmp_path: Path, words: list[str]) -> None:
    lexical = _lexical(tmp_path, _rows())
    parsed = lexical._parse(query_text(words, "words"))
    served = lexical._hits(lexical._searcher, parsed, 600)
    assert served
    ours = _score(lexical, words, [rowid for rowid, _ in served])
    # the same float32 terms; tantivy's union drops a clause whose postings ran out and
    # sums the later passages' clauses in another order, so a score may differ in its
    # last bit or two
    assert all(ours[rowid] == pytest.approx(score, rel=1e-6) for rowid, score in served)
    assert sum(ours[rowid] == score for rowid, score in served) > len(served) / 2


def test_the_second_pass_of_plain_words_reads_the_forward_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lexical = _lexical(tmp_path, _rows())
    terms = ("council", "report", "budget", "ofsted")
    query = Query(text=" ".join(terms), terms=terms)
    lexical.first_max_df = 0.5
    forward, lexical.forward = lexical.forward, None
    through_tantivy = lexical.search(query, 10)
    assert lexical.first_words is not None  # pruned: a second pass was made
    lexical.forward = forward

    def refused(*_args: Any) -> Any:
        raise AssertionError("tantivy's union was sought to the candidates")

    monkeypatch.setattr(lexical, "_among", refused)
    hits = lexical.search(query, 10)
    assert [rowid for rowid, _ in hits] == [rowid for rowid, _ in through_tantivy]
    assert [s for _, s in hits] == pytest.approx([s for _, s in through_tantivy], rel=1e-6)


def test_a_phrase_is_left_to_tantivy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lexical = _lexical(tmp_path, _rows())
    lexical.first_max_df = 0.5
    called: list[int] = []
    among = lexical._among

    def counted(*args: Any) -> Any:
        called.append(1)
        return among(*args)

    monkeypatch.setattr(lexical, "_among", counted)
    terms = ("council report", "ofsted", "budget")
    lexical.search(Query(text=" ".join(terms), terms=terms), 10)
    assert called


def test_a_candidate_missing_from_it_leaves_the_pass_to_tantivy(tmp_path: Path) -> None:
    rows = _rows()
    lexical = _lexical(tmp_path, rows)
    lexical.forward = write(tmp_path / "part", rows[:-50], generation=1)
    assert lexical._forward_among(lexical._searcher, ["council"], [1, 600], 5) is None
    assert lexical._forward_among(lexical._searcher, ["council"], [1, 2], 5) is not None


class _Store:
    def __init__(self, generation: int) -> None:
        self.value = generation

    def generation(self) -> int:
        return self.value


def test_only_a_forward_index_of_the_store_and_searcher_is_used(tmp_path: Path) -> None:
    rows = _rows()
    lexical = _lexical(tmp_path, rows)
    forward = lexical.forward
    lexical.store = _Store(1)  # type: ignore[assignment]
    assert lexical._matching(forward) is forward
    lexical.store = _Store(2)  # type: ignore[assignment]
    assert lexical._matching(forward) is None
    lexical.store = _Store(1)  # type: ignore[assignment]
    fewer = write(tmp_path / "fewer", rows[:-1], generation=1)
    assert lexical._matching(fewer) is None


def test_off_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = _rows(40)
    index = _lexical(tmp_path, rows)._index
    write(tmp_path / FOLDER, rows, generation=3)
    assert lexical_tantivy.FORWARD is False
    assert TantivyIndex(tmp_path, _Store(3), index).forward is None  # type: ignore[arg-type]
    monkeypatch.setattr(lexical_tantivy, "FORWARD", True)
    assert TantivyIndex(tmp_path, _Store(3), index).forward is not None  # type: ignore[arg-type]
