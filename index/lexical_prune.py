"""Which of a question's words the lexical first pass searches (issue 18).

tantivy-py scores every passage holding any word of a question (``index.lexical_tantivy``),
so a search costs the postings of its words, and a word held by a large share of the
passages ("council", "report") is most of them.  With ``TantivyIndex.first_max_df`` set,
``rescore``'s first pass searches only the question's words held by at most that share of
the passages (the largest share over the first pass's fields); its best ``pruned_fetch *
k`` passages are then scored by the whole query, so a candidate's served score is exact.
A question whose words are all that common keeps its ``KEEP`` rarest.  The share is
relative to the index, so one value reads the same at any corpus size.  Off: at 1M
passages the candidates the rarer words choose held too little of the served top 10
(docs/performance.md, "A first pass without the commonest words, stop 21").
"""

from __future__ import annotations

from collections.abc import Sequence

# A question whose words are all above the share keeps this many of them, the rarest.
KEEP = 1


def first_words(
    words: Sequence[str], shares: Sequence[float], max_share: float, keep: int = KEEP
) -> list[str]:
    """The words of ``words`` (each held by ``shares`` of the passages) the first pass
    searches: those at or under ``max_share``, or, when fewer than ``keep`` are, those and
    the rarest others up to ``keep`` (ties: the question's order); in the question's order."""
    if len(words) != len(shares):
        raise ValueError("one share a word")
    chosen = {i for i, share in enumerate(shares) if share <= max_share}
    if len(chosen) < keep:
        rest = sorted((i for i in range(len(words)) if i not in chosen), key=lambda i: shares[i])
        chosen.update(rest[: keep - len(chosen)])
    return [words[i] for i in sorted(chosen)]
