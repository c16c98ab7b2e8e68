"""Every point a trend's reader considers, with general features, for a fitted point scorer
(a bench module: the reader does not use it; it lived in ``qa_service/trend_points.py``
until stop 23).

The trend reader (``qa_service.trend``) keeps one point per meeting by hand-written rules.
This module lists every candidate point the reader could have kept: each figure of each
sentence and table row of each passage read, per meeting, with features that say nothing of
any one question (the rules' own verdicts on it, how much of the question its sentence and
its own words name, the engine's cosine of the question to its sentence, whether it is in the
asked unit, compared with a target or the national figure, dated, its rank among its meeting's
candidates, ...). ``bench/fit_trend_precision.py`` fits a logistic scorer on them across label
files and councils and measures it out of fold as a gate on the rules' points (docs/quality.md,
"Issue 16, trend points by a fitted scorer, stop 22" and "Issue 16, trend points on new
questions, stop 23": measured, not used by the reader).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from cqa_core.text import split_sentences
from qa_service.answers import Hit
from qa_service.trend_context import context
from qa_service.trend_current import change, compared, dated
from qa_service.trend_items import around, labelled
from qa_service.trend_noun import other_thing
from qa_service.trend_parts import part, rarest, wholes
from qa_service.trend_read import TIME, Figure, in_unit, readable
from qa_service.trend_sentence import (
    WINDOW,
    Asked,
    TrendPoint,
    _heading,
    _read,
    _sentence,
    _stated,
    _weight,
)
from qa_service.trend_table import rows
from qa_service.trend_words import named

FEATURES = (
    "rules_point",  # the rules keep this figure for the meeting (plotted)
    "rules_sentence",  # the rules' sentence of this passage
    "rules_figure",  # the figure the rules read from this sentence
    "stated",  # in the asked unit and not another thing's (``_stated``)
    "in_unit",  # in the asked unit (any figure when none is asked)
    "no_unit_asked",
    "unit_named",  # its unit is one the question's own words name ("five-year": years)
    "trend_unit",  # its unit is the unit of the rules' plotted points
    "compared",  # a compared value, target, bound, forecast or national figure
    "target_near",  # "target" within the words before it
    "national_near",  # "national", "England", "average" within the words before it
    "change",  # the size of a change, not a level
    "part",  # "£8.3 million of the … overspend"
    "not_whole",  # a part of a figure named before it ("made up of")
    "other_thing",  # its own noun names another thing
    "dated",  # the words after it give a date
    "about",  # its sentence, with its context, names half the question
    "sentence_named",  # the share of the question's key words (idf) its sentence names
    "own_named",  # ... its own item names
    "around_named",  # ... its WINDOW words either side name
    "rarest_near",  # its own item names the question's rarest key word
    "distance",  # characters to the nearest rarest key word, log-scaled
    "sentence_cosine",  # the engine's cosine of the question to its sentence
    "passage_cosine",  # the engine's cosine of the question to its passage
    "confidence",  # the hit's answer confidence
    "hit_rank",  # 1 / (1 + rank of its passage among those read)
    "table_row",
    "figures_in_sentence",  # how many figures its sentence states, log-scaled
    "best_named_in_meeting",  # its sentence names the most of its meeting's candidates
    "named_rank",  # 1 / (1 + rank of its sentence_named among its meeting's candidates)
)

_TARGET = re.compile(r"\b(?:target|aim|ambition|goal|threshold|benchmark)s?\b", re.I)
_NATIONAL = re.compile(
    r"\b(?:national|England|regional|statistical\s+neighbou?rs?|average|comparators?)\b", re.I
)


@dataclass
class Candidate:
    """One figure the reader could plot for a meeting, with its features."""

    meeting: tuple[str | None, str | None]  # council, meeting date
    point: TrendPoint
    x: list[float]

    @property
    def key(self) -> tuple[str, float]:
        """The paper and value a gold point is matched on."""
        return self.point.hit.passage.document.source, self.point.figure.value


def _cosine(hit: Hit, span: tuple[int, int]) -> float:
    """The engine's cosine of the question to the sentence at ``span`` (its overlapping
    sentence's; the best sentence's when the hit carries none for this passage)."""
    if hit.sentence_scores is None or not hit.sentence_spans:
        return hit.sentence
    best, overlap = hit.sentence, 0
    for s, score in zip(hit.sentence_spans, hit.sentence_scores, strict=False):
        got = min(s.end, span[1]) - max(s.start, span[0])
        if got > overlap:
            best, overlap = float(score), got
    return best


def _nearest_key(text: str, f: Figure, asked: Asked, span: tuple[int, int]) -> float:
    """Characters from ``f`` to the nearest of the question's rarest key words in its
    sentence, log-scaled (a large value when it names none)."""
    keys = rarest(asked)
    places = [
        m.start()
        for m in re.finditer(r"[A-Za-z]{3,}", text[span[0] : span[1]])
        if named(m.group(), asked.alts) & keys
    ]
    if not places:
        return math.log1p(1000)
    return math.log1p(min(abs(span[0] + p - f.start) for p in places))


def candidates(hits: list[Hit], asked: Asked, rules: list[TrendPoint]) -> list[Candidate]:
    """Every figure of every sentence and table row of ``hits`` (dated meetings only), with
    its features; ``rules`` are the rules' points (``trend.select``) for the same hits."""
    whole = sum(asked.weights.values()) or 1.0
    plotted = {
        (p.hit.passage.document.source, p.figure.value, p.hit.passage.document.meta.meeting_date)
        for p in rules
        if not p.flagged
    }
    trend_units = {p.figure.unit for p in rules if not p.flagged}
    keys = rarest(asked)
    out: list[Candidate] = []
    seen: set[tuple[int, int, int]] = set()
    for rank, hit in enumerate(hits):
        meta = hit.passage.document.meta
        if not meta.meeting_date:
            continue
        text = hit.passage.text
        heading = _heading(hit)
        chosen, _ = _sentence(hit, asked)
        spans = [(s.start, s.end) for s in split_sentences(text)]
        table = {(r.start, r.end): r for r in rows(text)}
        for span in [*spans, *table]:
            found = readable(
                text, *span, asked.counted, frozenset(asked.weights), asked.wanted == TIME
            )
            if not found and span in table and table[span].cell is not None:
                cell = table[span].cell
                assert cell is not None
                found = [cell]
            if not found:
                continue
            stated = _stated(text, *span, asked)
            unit_ok = set(map(id, in_unit(found, asked.wanted)))
            read = _read(hit, asked, span)
            kept = wholes(text, found, asked, span)
            ctx = context(text, span, True, heading)
            about = asked.about(ctx)
            sentence_named = _weight(text, span, found, asked, heading) / whole
            cos = _cosine(hit, span)
            for f in found:
                if (hit.passage.rowid, f.start, f.end) in seen:
                    continue  # the same figure of the same passage, read again
                seen.add((hit.passage.rowid, f.start, f.end))
                own = labelled(text, f, found, *span)
                before = text[max(span[0], f.start - 40) : f.start]
                point = TrendPoint(meta.meeting_date, f, hit, span)
                x = [
                    float((hit.passage.document.source, f.value, meta.meeting_date) in plotted),
                    float(span == chosen),
                    float(read is not None and span == chosen and read[0].figure == f),
                    float(f in stated),
                    float(id(f) in unit_ok),
                    float(asked.wanted is None),
                    float(asked.names_unit(f.unit)),
                    float(f.unit in trend_units),
                    float(compared(text, f)),
                    float(bool(_TARGET.search(before))),
                    float(bool(_NATIONAL.search(before))),
                    float(change(text, f)),
                    float(part(text, f, asked)),
                    float(f not in kept),
                    float(other_thing(text, f, span, asked)),
                    float(dated(text, f) is not None),
                    float(about),
                    sentence_named,
                    asked.named(own) / whole,
                    asked.named(around(text, f, *span, WINDOW)) / whole,
                    float(bool(keys & named(own, asked.alts))),
                    _nearest_key(text, f, asked, span),
                    cos,
                    hit.dense,
                    hit.confidence,
                    1.0 / (1 + rank),
                    float(span in table),
                    math.log1p(len(found)),
                    0.0,
                    0.0,
                ]
                out.append(Candidate((meta.council, meta.meeting_date), point, x))
    _meeting_ranks(out)
    return out


def _meeting_ranks(found: list[Candidate]) -> None:
    """Fill each candidate's rank features among its meeting's candidates."""
    named_at = FEATURES.index("sentence_named")
    best_at, rank_at = FEATURES.index("best_named_in_meeting"), FEATURES.index("named_rank")
    meetings: dict[tuple[str | None, str | None], list[Candidate]] = {}
    for c in found:
        meetings.setdefault(c.meeting, []).append(c)
    for group in meetings.values():
        values = sorted({c.x[named_at] for c in group}, reverse=True)
        for c in group:
            at = values.index(c.x[named_at])
            c.x[best_at] = float(at == 0)
            c.x[rank_at] = 1.0 / (1 + at)
