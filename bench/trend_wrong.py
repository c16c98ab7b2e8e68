"""Where the trend reader's wrong plotted points come from, counted by cause.

    python -m bench.trend_wrong INDEX --cache FILE [--list] [--set MODULE.NAME=V] LABELS ...

Over ``bench.trend_replay``'s kept answers. Every plotted point (not flagged) that is no gold
point (its paper and value, as ``bench.records_quality`` scores) is put to the first of:

- ``other council``: its meeting is another council's than the question's;
- ``gold value, another paper``: its meeting has a gold point of the same value, read from
  another of the meeting's papers;
- ``other figure of the gold sentence``: its meeting has a gold point whose quote is in the
  point's sentence (or the reverse), another figure of it read;
- ``other sentence at a gold meeting``: its meeting has a gold point, stated elsewhere;
- ``repeated value``: its meeting has no gold point, but its value is one of another
  meeting's (a figure repeated at a later meeting);
- ``no gold meeting``: its meeting has no gold point (another quantity worded like the
  question, at a meeting that does not state the one asked).

Each is also counted when its unit is none of the question's gold units (``other unit``).
``--list`` prints every wrong point with its cause and sentence (for development files only:
never for a batch held out); without it, only the counts are printed, file by file.
``--set MODULE.NAME=V`` fixes one of the reader's numbers for the run
(``--set qa_service.trend.SERIES_SHARE=0``: stop 31's reading).
"""

from __future__ import annotations

import importlib
import json
import pickle
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from bench.trend_replay import Replayed

CAUSES = (
    "other council",
    "gold value, another paper",
    "other figure of the gold sentence",
    "other sentence at a gold meeting",
    "repeated value",
    "no gold meeting",
)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def cause(
    council: str | None, date: str | None, value: float, sentence: str, q: dict[str, Any]
) -> str:
    """The cause of one wrong point of question ``q`` (a label question): its meeting's
    council and date, its value and its sentence's text."""
    if council != q["council"]:
        return "other council"
    gold = q["points"]
    here = [g for g in gold if g["date"] == date]
    said = _norm(sentence)
    if any(float(g["value"]) == value for g in here):
        return "gold value, another paper"
    if any(_norm(g["quote"])[:60] in said or said[:60] in _norm(g["quote"]) for g in here):
        return "other figure of the gold sentence"
    if here:
        return "other sentence at a gold meeting"
    if any(float(g["value"]) == value for g in gold):
        return "repeated value"
    return "no gold meeting"


def wrong_points(engine: Any, path: Path) -> list[tuple[str, bool, str]]:
    """Each wrong plotted point of a label file: (cause, in another unit, a line for
    ``--list``)."""
    from index.store import Filters
    from qa_service.trend import trend

    out = []
    for q in json.loads(path.read_text(encoding="utf-8"))["questions"]:
        gold = {(g["file"], float(g["value"])) for g in q["points"]}
        units = {g["unit"] for g in q["points"]}
        for p in trend(engine, q["question"], Filters(council=(q["council"],))):
            source = p.hit.passage.document.source
            if p.flagged or (source, p.figure.value) in gold:
                continue
            meta = p.hit.passage.document.meta
            sentence = p.hit.passage.text[p.sentence[0] : p.sentence[1]]
            why = cause(meta.council, meta.meeting_date, p.figure.value, sentence, q)
            other_unit = p.figure.unit not in units
            said = _norm(sentence)[:160]
            out.append(
                (
                    why,
                    other_unit,
                    f"{q['id']} | {why} | {q['question']} | {source} {meta.meeting_date} | "
                    f"{p.figure.value:g} {p.figure.unit} | {said}",
                )
            )
    return out


def main(argv: list[str]) -> None:
    """``INDEX --cache FILE [--list] [--set M.N=V] LABELS ...``."""
    from qa_service.config import Settings
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    index_dir = Path(argv[0])
    cache = Path(argv[argv.index("--cache") + 1])
    listing = "--list" in argv
    for i, a in enumerate(argv):
        if a == "--set":
            target, value = argv[i + 1].split("=")
            module, name = target.rsplit(".", 1)
            mod = importlib.import_module(module)
            setattr(mod, name, type(getattr(mod, name))(float(value)))
    files = [Path(a) for a in argv[1:] if a.endswith(".json")]
    answers = pickle.loads(cache.read_bytes()) if cache.exists() else {}
    settings = Settings(index=index_dir)
    engine = Replayed(Engine(index_dir, make_query_embedder(settings), settings), answers)
    total: Counter[str] = Counter()
    units: Counter[str] = Counter()
    for path in files:
        found = wrong_points(engine, path)
        here = Counter(why for why, _, _ in found)
        total.update(here)
        units.update(why for why, other, _ in found if other)
        print(f"{path.stem}: {len(found)} wrong; " + ", ".join(f"{c} {here[c]}" for c in CAUSES))
        if listing:
            print("\n".join(f"  {text}" for _, _, text in found))
    print(f"\nall {len(files)} files: {sum(total.values())} wrong")
    print("| cause | wrong points | of them in another unit than the gold's |")
    print("| --- | ---: | ---: |")
    for c in CAUSES:
        print(f"| {c} | {total[c]} | {units[c]} |")
    if engine.asked:
        cache.write_bytes(pickle.dumps(engine.answers))


if __name__ == "__main__":
    main(sys.argv[1:])
