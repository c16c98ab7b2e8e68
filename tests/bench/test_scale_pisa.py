"""bench.scale_pisa's impacts are tantivy's own three-field BM25 (what lets PISA rank as
served); PISA itself is not needed here."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bench import scale_pisa
from index.lexical_folder import _FIELDS, _open_index, analyzer
from index.lexical_tantivy import WEIGHTS, TantivyIndex


def test_field_norms_are_tantivys_table() -> None:
    table = scale_pisa.fieldnorm_table()
    assert len(table) == 256 and list(table[:41]) == list(range(41))
    assert (table[41], table[42], table[255]) == (42, 44, 2_013_265_944)
    assert np.all(np.diff(table) > 0)
    # a length is scored as the largest stored value not above it
    assert list(scale_pisa.stored_length(np.array([40, 41, 45, 1000]))) == [40, 40, 44, 984]


def test_impacts_sum_to_tantivys_scores(tmp_path: Path) -> None:
    words = analyzer()
    filler = " ".join(f"word{i}" for i in range(200))
    passages = [  # heading, body, context; bodies past 40 words are stored rounded
        ("Budget report", "The budget was set. " + filler[:300], "Kirkhaven Council | Cabinet"),
        ("Roads", "Potholes and the road budget budget. " + filler, "Dunhaven Council | Cabinet"),
        ("Budget", "Short body.", "Ravborough Council | Budget Committee | 2019-03-14"),
        ("Schools", "No match here. " + filler[:500], "Kirkhaven Council | Schools Forum"),
        ("Parks", "Parks and the budget for parks.", "Dunhaven Council | Cabinet"),
    ]
    index = _open_index(tmp_path / "lexical", create=True)
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    for rowid, text in enumerate(passages, start=1):
        TantivyIndex._add(writer, rowid, text, None)
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()

    tokens = [[words.analyze(field) for field in text] for text in passages]
    lengths = [np.array([len(t[f]) for t in tokens]) for f in range(3)]
    assert max(lengths[1]) > 60  # the field norms' rounding is exercised
    n = len(passages)
    for word in ("budget", "council", "cabinet", "2019"):
        expected = np.zeros(n)
        for f in range(3):
            tf = np.array([t[f].count(word) for t in tokens])
            holders = np.flatnonzero(tf)
            if not len(holders):
                continue
            term_idf = float(scale_pisa.idf(len(holders), n))
            average = float(lengths[f].mean())
            impact = scale_pisa.impacts(
                tf[holders], lengths[f][holders], average, term_idf, scale_pisa.WEIGHTS[f]
            )
            expected[holders] += impact / scale_pisa.SCALE
        query = index.parse_query(
            f'"{word}"', list(_FIELDS), field_boosts=dict(zip(_FIELDS, WEIGHTS, strict=True))
        )
        hits = searcher.search(query, n, count=False).hits
        rowids = searcher.fast_field_values("rowid", [address for _s, address in hits])
        got = np.zeros(n)
        for (score, _address), rowid in zip(hits, rowids, strict=True):
            got[int(rowid) - 1] = score
        assert np.count_nonzero(got) == np.count_nonzero(expected) > 0
        # each field's impact is rounded to 1/SCALE
        np.testing.assert_allclose(got, expected, atol=1.6 / scale_pisa.SCALE)


def test_weights_follow_the_served_ones() -> None:
    assert tuple(WEIGHTS) == scale_pisa.WEIGHTS
