"""bench.vocab_growth: the Heaps fit, the kinds of terms and the shares it reports."""

from __future__ import annotations

from bench.vocab_growth import _at, fit_heaps, measure


def _terms(raw: str) -> str:
    return raw.lower()


def test_the_heaps_fit_recovers_k_and_beta() -> None:
    curve = [(n, round(20 * n**0.5)) for n in (1000, 4000, 16000, 64000, 256000)]
    fit = fit_heaps(curve)
    assert fit is not None
    assert abs(fit["K"] - 20) < 0.5 and abs(fit["beta"] - 0.5) < 0.005
    assert _at(curve, 8000) == round(20 * 8000**0.5)


def test_terms_are_counted_by_kind_with_document_frequencies() -> None:
    texts = [
        "The council met Anne Lumb on 12 May 2016.",
        "The council noted the report of Anne Lumb.",
        "the report the report 2016",
    ]
    got = measure(texts, _terms, questions=[["council", "report", "budget"]])
    assert got["passages"] == 3 and got["tokens"] == 22
    assert got["kinds"]["number"]["terms"] == 2  # 12, 2016
    assert got["kinds"]["name"]["terms"] == 3  # anne, lumb, may (capitalized every time)
    assert got["kinds"]["word"]["terms"] == 7  # the, council, met, on, noted, report, of
    assert got["df_share_at_rank"]["1"] == 1.0  # "the" in every passage
    shares = got["question_word_df_share"]
    assert shares["n"] == 3 and shares["p50"] == round(2 / 3, 4)  # council, report 2/3; budget 0
    assert got["question_word_df_share_held"]["n"] == 2
    assert got["question_word_df"] == {"council": 2, "report": 2}
    assert measure(texts, _terms, tokens_cap=5)["passages"] == 1
