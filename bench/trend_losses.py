"""Where the trend reader loses its points: every missed gold point and every wrong plotted
point of the named label files, put to the first stage that loses it, and counted.

    python -m bench.trend_losses INDEX --cache FILE [--list] [--set MODULE.NAME=V] LABELS ...

Over ``bench.trend_replay``'s kept answers (a question's deeper searches are asked once and
kept too). A missed gold point (its paper, its value) is put to the first of:

- ``unreadable``: no passage of the gold paper states the value as a figure
  (``trend_read.figures`` over the whole passage);
- ``not retrieved``: no passage stating it is among the engine's passages for the question,
  at the reader's depth (``trend.CANDIDATES``) or its meeting's (``trend.PER_MEETING``);
  ``deeper`` when a search of 50 (or 20 within its meeting) reaches it; ``meeting unread``
  when no passage of its meeting is read at all;
- ``below threshold``: among them, but under the answer threshold the reader keeps;
- ``filter: NAME``: read, but its figure is dropped by a filter of ``trend_sentence._stated``
  (``other period``, ``other numbered``, ``readable``, ``counted``, ``row``, ``naming``,
  ``other thing``, ``unit``) or of ``_sentence`` / ``_read`` (``change``, ``current``,
  ``part``, ``fronted``, ``wholes/totals``);
- ``other sentence``: its sentence states it but another of the passage is chosen;
- ``not about``: its sentence is chosen but fails ``trend._is_about`` (``names whole``,
  ``other modifier``, ``half weight``);
- ``other figure``: its sentence is chosen, about the question, another of its figures read;
- ``other passage``: read from its passage, but another passage of its meeting wins;
- ``flagged``: read and kept, but in another unit than the trend's.

The stages are then summed into the coarser stages of recall (``RECALL_STAGES``: the passage
not read, another sentence chosen, its sentence not about, the figure not read, another
figure read, dropped by the unit), printed last.

A wrong plotted point is ``no gold meeting`` (its meeting has no gold point) or ``beside
gold``. ``--list`` prints every point with its stage (for development files only: never for a
batch held out).

Then a row per file (summary figures only, safe for a batch held out): its questions, those
that plot nothing, its missed points and how many of them belong to those questions, and its
gold points missed by unit kind (``unit_kind``: "%", "£", "count", "rate", and "other" for a
length of time or a measure, "km", "mm", "working days"). A new batch that loses its points
at questions plotting nothing, or in units the reader has no kind for, says so here.
``--set MODULE.NAME=V`` fixes one of the reader's numbers for the run (main's reading:
``--set qa_service.trend.EMPTY_ANY_UNIT=0 --set qa_service.trend.EMPTY_SHARE=0.5``).
"""

from __future__ import annotations

import pickle
import sys
from collections import Counter
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from bench.trend_replay import Replayed

DEEP = 50  # the deeper search's depth, for ``deeper``
DEEP_MEETING = 20


def _passages_of(engine: Any, source: str) -> list[Any]:
    """Every passage of the paper ``source``."""
    rows = engine.store.conn.execute(
        "SELECT r.id FROM passage_rows r JOIN documents d ON d.doc_rowid = r.doc_rowid "
        "WHERE d.source = ?",
        (source,),
    ).fetchall()
    return list(engine.store.passages([int(r[0]) for r in rows]).values())


def _at(found: list[Any], value: float) -> list[Any]:
    return [f for f in found if f.value == value]


def stated_stage(text: str, start: int, end: int, asked: Any, value: float) -> str | None:
    """The filter of ``trend_sentence._stated`` that drops ``value`` from the sentence at
    ``start:end`` (None: it is stated)."""
    from qa_service.trend_noun import other_thing
    from qa_service.trend_read import (
        TIME,
        counts_period,
        in_unit,
        naming,
        other_numbered,
        other_period,
        readable,
    )
    from qa_service.trend_sentence import _stated, rows

    if _at(_stated(text, start, end, asked), value):
        return None
    if asked.periods and other_period(text[start:end], asked.periods):
        return "filter: other period"
    if other_numbered(text[start:end], asked.names):
        return "filter: other numbered"
    found = readable(
        text, start, end, asked.counted, frozenset(asked.weights), asked.wanted == TIME
    )
    row = next((r for r in rows(text) if (r.start, r.end) == (start, end)), None)
    if not _at(found, value):
        return "filter: row" if row is not None else "filter: readable"
    if asked.counted:
        found = [f for f in found if f.unit != "count" or counts_period(text, f, asked.counted)]
        if not _at(found, value):
            return "filter: counted"
    found = [f for f in found if not naming(text, f, asked.names)]
    if not _at(found, value):
        return "filter: naming"
    found = [f for f in found if not other_thing(text, f, (start, end), asked)]
    if not _at(found, value):
        return "filter: other thing"
    found = found if asked.any_unit and asked.wanted is None else in_unit(found, asked.wanted)
    if not _at(found, value):
        return "filter: unit"
    return "filter: row"


def read_stage(hit: Any, asked: Any, span: tuple[int, int], value: float) -> str | None:
    """The step of ``trend_sentence._read`` that drops ``value`` (None: it is read)."""
    from qa_service.trend_current import change, current
    from qa_service.trend_parts import fronted, part, totals, wholes
    from qa_service.trend_sentence import _read, _stated

    read = _read(hit, asked, span)
    if read and read[0].figure.value == value:
        return None
    text = hit.passage.text
    found = _stated(text, *span, asked)
    if not _at(found, value):
        return stated_stage(text, *span, asked, value)
    found = current(text, found, asked.aims)
    if not _at(found, value):
        return "filter: current"
    found = [f for f in found if not part(text, f, asked)]
    if not _at(found, value):
        return "filter: part"
    found = fronted(text, found, asked, span)
    if not _at(found, value):
        return "filter: fronted"
    if not asked.change:
        found = [f for f in found if not change(text, f)]
        if not _at(found, value):
            return "filter: change"
    found = totals(text, wholes(text, found, asked, span), asked)
    if not _at(found, value):
        return "filter: wholes/totals"
    return "other figure"


def about_stage(hit: Any, asked: Any, span: tuple[int, int]) -> str | None:
    """Why ``trend._is_about`` says the sentence is not about the question (None: it is)."""
    from qa_service import trend

    if trend._is_about(hit, asked, span):
        return None
    sentence = hit.passage.text[span[0] : span[1]]
    if trend.NAMES_WHOLE and trend._names_partly(asked, sentence):
        return "not about: names whole"
    if trend.OTHER_MODIFIER and trend._modified_otherwise(asked, sentence):
        return "not about: other modifier"
    return "not about: half weight"


def _spans(text: str) -> list[tuple[int, int]]:
    from cqa_core.text import split_sentences
    from qa_service.trend_table import rows

    return [(s.start, s.end) for s in split_sentences(text)] + [
        (r.start, r.end) for r in rows(text)
    ]


def hit_stage(hit: Any, asked: Any, value: float) -> str:
    """The stage at which a read hit stating ``value`` loses it."""
    from qa_service.trend_current import change
    from qa_service.trend_read import figures
    from qa_service.trend_sentence import _sentence, _stated

    text = hit.passage.text
    span, weight = _sentence(hit, asked)
    holds = [
        (a, b)
        for a, b in _spans(text)
        if any(f.value == value for f in figures(text, a, b, frozenset(), frozenset()))
        or any(f.value == value for f in figures(text, a, b))
    ]
    if span not in holds:
        # why its own sentence does not compete: a filter drops it, else another wins
        stages = []
        for a, b in holds:
            stage = stated_stage(text, a, b, asked, value)
            if stage is None and not asked.change:
                kept = [f for f in _at(_stated(text, a, b, asked), value) if not change(text, f)]
                stage = None if kept else "filter: change"
            stages.append(stage or "other sentence")
        if not stages:
            return "filter: readable"
        return "other sentence" if "other sentence" in stages else sorted(stages)[0]
    if weight < 0:
        return stated_stage(text, *span, asked, value) or "filter: row"
    about = about_stage(hit, asked, span)
    if about:
        return about
    return read_stage(hit, asked, span, value) or "read"


def question_losses(engine: Any, q: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(kind, stage, what) for each missed gold point and each wrong plotted point."""
    from dataclasses import replace

    from index.store import Filters
    from qa_service.trend import CANDIDATES, candidates, chosen

    filters = Filters(council=(q["council"],))
    hits, asked = candidates(engine, q["question"], filters)
    points = chosen(hits, asked)
    plotted = {(p.hit.passage.document.source, p.figure.value): p for p in points if not p.flagged}
    flagged = {(p.hit.passage.document.source, p.figure.value) for p in points if p.flagged}
    gold = {(g["file"], float(g["value"])): g for g in q["points"]}
    gold_meetings = {(q["council"], g.get("date")) for g in q["points"]}
    out: list[tuple[str, str, str]] = []
    raw = engine.ask(q["question"], CANDIDATES, filters)
    threshold = engine.settings.answer_threshold
    read_meetings = {
        (h.passage.document.meta.council, h.passage.document.meta.meeting_date) for h in hits
    }
    for key in sorted(set(gold) - set(plotted)):
        source, value = key
        what = f"{q['id']} {source} {value:g}"
        if key in flagged:
            out.append(("missed", "flagged", what))
            continue
        from qa_service.trend_read import figures

        stating = [
            p
            for p in _passages_of(engine, source)
            if any(f.value == value for f in figures(p.text))
            or any(f.value == value for f in figures(p.text, 0, None, frozenset(), frozenset()))
        ]
        if not stating:
            out.append(("missed", "unreadable", what))
            continue
        ids = {p.rowid for p in stating}
        read = [h for h in hits if h.passage.rowid in ids]
        if not read:
            raw_ids = {h.passage.rowid: h for h in raw.hits}
            if ids & set(raw_ids):
                out.append(("missed", "below threshold", what))
                continue
            meta = stating[0].document.meta
            if (meta.council, meta.meeting_date) not in read_meetings:
                deep = engine.ask(q["question"], DEEP, filters)
                found = [h for h in deep.hits if h.passage.rowid in ids]
                if found:
                    ok = found[0].confidence >= threshold
                    out.append(("missed", f"deeper{'' if ok else ' (below threshold)'}", what))
                else:
                    out.append(("missed", "meeting unread", what))
                continue
            one = replace(
                raw.filters,
                council=(meta.council,) if meta.council else raw.filters.council,
                date_from=meta.meeting_date,
                date_to=meta.meeting_date,
            )
            deep = engine.ask(q["question"], DEEP_MEETING, one)
            found = [h for h in deep.hits if h.passage.rowid in ids]
            if found and found[0].confidence < threshold:
                out.append(("missed", "meeting deeper (below threshold)", what))
            elif found:
                out.append(("missed", "meeting deeper", what))
            else:
                out.append(("missed", "not retrieved", what))
            continue
        stages = [hit_stage(h, asked, value) for h in read]
        if "read" in stages:
            out.append(("missed", "other passage", what))
        else:
            order = sorted(stages, key=lambda s: (s == "other sentence", s))
            out.append(("missed", order[0], what))
    for key, p in sorted(plotted.items()):
        if key in gold:
            continue
        meta = p.hit.passage.document.meta
        near = (meta.council, meta.meeting_date) in gold_meetings
        what = f"{q['id']} {key[0]} {key[1]:g}"
        out.append(("wrong", "beside gold" if near else "no gold meeting", what))
    return out


# The stages of recall a missed point is lost at, coarser than the bench's stages, in the
# order a point passes them (docs/quality.md "Issue 16, trend recall, stop 32").
RECALL_STAGES = (
    "passage not read",  # not retrieved, or retrieved under the answer threshold
    "another sentence chosen",  # its passage read, another sentence or passage of its meeting
    "its sentence not about",  # its sentence chosen, but refused as about something else
    "figure not read",  # its sentence read, its figure not a figure (or not in the unit asked)
    "another figure read",  # its figure read, another of its sentence taken (or not current)
    "dropped by the unit",  # read and kept, but flagged: another unit than the trend's
)
_NOT_READ = frozenset(
    [
        "unreadable",
        "filter: readable",
        "filter: row",
        "filter: unit",
        "filter: other thing",
        "filter: naming",
        "filter: counted",
        "filter: other period",
        "filter: other numbered",
    ]
)


def recall_stage(stage: str) -> str:
    """The stage of recall (``RECALL_STAGES``) a missed point's bench stage belongs to."""
    if stage in ("below threshold", "not retrieved", "meeting unread") or stage.startswith(
        ("deeper", "meeting deeper")
    ):
        return RECALL_STAGES[0]
    if stage in ("other sentence", "other passage"):
        return RECALL_STAGES[1]
    if stage.startswith("not about"):
        return RECALL_STAGES[2]
    if stage in _NOT_READ:
        return RECALL_STAGES[3]
    if stage == "other figure" or stage.startswith("filter: "):
        return RECALL_STAGES[4]
    if stage == "flagged":
        return RECALL_STAGES[5]
    raise ValueError(f"unknown stage: {stage}")


def unit_kind(unit: str | None) -> str:
    """A gold point's unit as the reader's kinds: "%", "£", "count", "rate" (per 1,000 …),
    else "other" (a length of time, a measure: "km", "mm", "working days", "kg")."""
    if unit in ("%", "£", "count"):
        return unit
    return "rate" if unit and unit.startswith("per ") else "other"


@dataclass
class FileShape:
    """A label file's questions that plot nothing, and its points by unit kind."""

    questions: int = 0
    empty: int = 0  # questions with no plotted point
    gold: int = 0
    missed: int = 0
    missed_empty: int = 0  # missed points of the questions that plot nothing
    by_kind: Counter[str] = field(default_factory=Counter)  # gold points by unit kind
    missed_kind: Counter[str] = field(default_factory=Counter)

    def add(self, q: dict[str, Any], losses: list[tuple[str, str, str]]) -> None:
        """Count one question and its losses."""
        missed = {w for k, _, w in losses if k == "missed"}
        plotted = len({(g["file"], float(g["value"])) for g in q["points"]}) - len(missed)
        wrong = sum(k == "wrong" for k, _, _ in losses)
        empty = plotted + wrong == 0
        self.questions += 1
        self.empty += empty
        for g in q["points"]:
            kind = unit_kind(g.get("unit"))
            lost = f"{q['id']} {g['file']} {float(g['value']):g}" in missed
            self.gold += 1
            self.missed += lost
            self.missed_empty += lost and empty
            self.by_kind[kind] += 1
            self.missed_kind[kind] += lost

    def line(self, name: str) -> str:
        """One row of the per-file table."""
        kinds = " ".join(
            f"{k} {self.missed_kind[k]}/{self.by_kind[k]}"
            for k in ("%", "£", "count", "rate", "other")
        )
        return (
            f"{name}: questions {self.questions}, plotting nothing {self.empty}; "
            f"missed {self.missed}/{self.gold}, at those {self.missed_empty}; by kind {kinds}"
        )


def main(argv: list[str]) -> None:
    """``INDEX --cache FILE [--list] [--set MODULE.NAME=V ...] LABELS ...``."""
    import importlib
    import json

    from qa_service.config import Settings
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    index_dir = Path(argv[0])
    cache = Path(argv[argv.index("--cache") + 1])
    listing = "--list" in argv
    files = [Path(a) for a in argv[1:] if a.endswith(".json")]
    for at, flag in enumerate(argv):
        if flag == "--set":  # a reader's number fixed for the run ("trend.EMPTY_SHARE=0.5")
            target, value = argv[at + 1].split("=")
            module, name = target.rsplit(".", 1)
            mod = importlib.import_module(module)
            setattr(mod, name, type(getattr(mod, name))(float(value)))
    answers = pickle.loads(cache.read_bytes()) if cache.exists() else {}
    settings = Settings(index=index_dir)
    engine = Replayed(Engine(index_dir, make_query_embedder(settings), settings), answers)
    counts: Counter[tuple[str, str]] = Counter()
    shapes: dict[str, FileShape] = {}
    for path in files:
        shape = shapes.setdefault(path.stem, FileShape())
        for q in json.loads(path.read_text(encoding="utf-8"))["questions"]:
            losses = question_losses(engine, q)
            shape.add(q, losses)
            for kind, stage, what in losses:
                counts[(kind, stage)] += 1
                if listing:
                    print(f"{path.stem} {kind} {stage}: {what}", flush=True)
    print()
    total = FileShape()
    for name, shape in shapes.items():
        print(shape.line(name))
        for f in fields(FileShape):
            a, b = getattr(total, f.name), getattr(shape, f.name)
            setattr(total, f.name, a + b)
    print(total.line(f"all {len(shapes)} files"))
    for kind in ("missed", "wrong"):
        points = sum(n for (k, _), n in counts.items() if k == kind)
        print(f"\n{kind}: {points}")
        for (k, stage), n in counts.most_common():
            if k == kind:
                print(f"  {stage}: {n}")
    print("\nmissed, by stage of recall:")
    stages: Counter[str] = Counter()
    for (k, stage), n in counts.items():
        if k == "missed":
            stages[recall_stage(stage)] += n
    for stage in RECALL_STAGES:
        print(f"  {stage}: {stages[stage]}")
    if engine.asked:
        cache.write_bytes(pickle.dumps(engine.answers))


if __name__ == "__main__":
    main(sys.argv[1:])
