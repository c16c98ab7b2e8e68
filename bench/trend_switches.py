"""The trend reader's stop-25 switches, each judged alone, over replayed answers.

    python -m bench.trend_switches INDEX --cache FILE [--less-one] [--stop26|--stop27|--stop28]
        LABELS ...

Every switch below defaults on. The label files are scored (as ``bench.trend_replay`` scores
them, the engine's answers kept in ``FILE``) with every switch off (stop 24's reader), with
each switch on alone, and with all on (``--less-one``: each switched off alone, the others
on, then all on); one line per configuration and file, right of plotted
for gold, then the pooled line. Name the label files one by one (a blind batch is never
scored here by default). ``--stop26``: stop 26's switches (``SWITCHES_26``) instead, stop
25's left on, so that "all off" is stop 25's reader; ``--stop27``: stop 27's
(``SWITCHES_27``), the earlier ones left on, so that "all off" is stop 26's reader;
``--stop28``: stop 28's (``SWITCHES_28``), so that "all off" is stop 27's.
"""

from __future__ import annotations

import argparse
import importlib
import pickle
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.records_quality import TrendScores
from bench.trend_replay import Replayed, line, score

# (module, name): each a rule of stop 25, on by default (docs/quality.md "Issue 16, trend
# reader, stop 25")
SWITCHES = (
    ("qa_service.trend_read", "MONEY_BY_NAME"),
    ("qa_service.trend_sentence", "MONEY_IS_THE_UNIT"),
    ("qa_service.trend_read", "MINUTE_NUMBERS"),
    ("qa_service.trend_read", "AGE_BOUNDS"),
    ("qa_service.trend_read", "GLUED_NAMES"),
    ("qa_service.trend_noun", "ALL_IS_WHOLE"),
    ("qa_service.trend_noun", "FROM_A_NAME"),
    ("qa_service.trend_sentence", "UNIT_LESS_COUNTED"),
    ("qa_service.trend_items", "AND_CLAUSES"),
    ("qa_service.trend_parts", "BRACKETED_PARTS"),
    ("qa_service.trend", "NAMES_WHOLE"),
)
# stop 26's (docs/quality.md "Issue 16, trend reader, stop 26"), each on by default
SWITCHES_26 = (
    ("qa_service.trend_current", "BOUNDS_STATED"),
    ("qa_service.trend_current", "TARGET_ASKED"),
    ("qa_service.trend_current", "AIMED_PAST"),
    ("qa_service.trend", "OTHER_MODIFIER"),
    ("qa_service.trend_current", "THINGS_COMPARED"),
    ("qa_service.trend_head", "IRREGULAR_ENDS"),
)

# stop 27's (docs/quality.md "Issue 16, trend reader, stop 27"), each on by default
SWITCHES_27 = (
    ("qa_service.trend_read", "PER_BASE"),
    ("qa_service.trend_read", "VALUE_IS_MONEY"),
    ("qa_service.trend_read", "COUNTED_THINGS"),
    ("qa_service.trend_sentence", "VERBS_FREE"),
    ("qa_service.trend_parts", "FRONTED_WHOLE"),
    ("qa_service.trend_sentence", "ROW_AMOUNTS"),
)

# stop 28's (docs/quality.md "Issue 16, trend reader, stop 28"), each on by default
SWITCHES_28 = (
    ("qa_service.trend_read", "DATE_RANGES"),
    ("qa_service.trend_read", "TITLE_NUMBERS"),
    ("qa_service.trend_read", "WORDS_ADDED"),
    ("qa_service.trend_head", "MORE_PARTICIPLES"),
)


@contextmanager
def switched(on: set[str], switches: tuple[tuple[str, str], ...] = SWITCHES) -> Iterator[None]:
    """Every switch of ``switches`` set on when its name is in ``on``, else off (the others
    as they are); restored after."""
    saved = []
    for module, name in switches:
        mod = importlib.import_module(module)
        saved.append((mod, name, getattr(mod, name)))
        setattr(mod, name, name in on)
    _clear()
    try:
        yield
    finally:
        for mod, name, value in saved:
            setattr(mod, name, value)
        _clear()


def _clear() -> None:
    """Caches that hold figures read under the switches (a passage's table rows)."""
    from qa_service.trend_table import _rows

    _rows.cache_clear()  # keyed by the table switches too, but not by every earlier one


def run(
    engine: Any,
    files: list[Path],
    on: set[str],
    label: str,
    switches: tuple[tuple[str, str], ...] = SWITCHES,
) -> TrendScores:
    """Each file's line and the pooled one, with the switches ``on`` (of ``switches``)."""
    total = TrendScores()
    with switched(on, switches):
        for path in files:
            s = score(engine, path)
            print(f"{label} | {line(path.stem, s)}", flush=True)
            total.gold += s.gold
            total.plotted += s.plotted
            total.right += s.right
    print(f"{label} | {line(f'all {len(files)} files', total)}", flush=True)
    return total


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line: ``INDEX --cache FILE [--less-one] [--stop26|--stop27|--stop28]
    LABELS ...``."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.trend_switches",
        description="The trend reader's switches, each judged alone, over replayed answers.",
    )
    parser.add_argument("index", type=Path, help="the index folder the questions are asked of")
    parser.add_argument(
        "--cache", type=Path, required=True, help="the engine's answers, kept between runs"
    )
    parser.add_argument(
        "--less-one", action="store_true", help="each switch off alone, the others on"
    )
    stop = parser.add_mutually_exclusive_group()
    stop.add_argument("--stop26", action="store_true", help="stop 26's switches (SWITCHES_26)")
    stop.add_argument("--stop27", action="store_true", help="stop 27's switches (SWITCHES_27)")
    stop.add_argument("--stop28", action="store_true", help="stop 28's switches (SWITCHES_28)")
    parser.add_argument(
        "labels", type=Path, nargs="+", help="the trend label files, named one by one"
    )
    return parser.parse_intermixed_args(argv)


def main(argv: list[str]) -> None:
    """``INDEX --cache FILE LABELS ...``."""
    from qa_service.config import Settings
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    args = parse_args(argv)
    index_dir, cache, files = args.index, args.cache, args.labels
    answers = pickle.loads(cache.read_bytes()) if cache.exists() else {}
    settings = Settings(index=index_dir)
    engine = Replayed(Engine(index_dir, make_query_embedder(settings), settings), answers)
    # --stop26: stop 26's switches, stop 25's left on; --stop27: stop 27's, stop 25's and
    # 26's left on; --stop28: stop 28's, every earlier one left on (main's reader as "all off")
    switches = (
        SWITCHES_28
        if args.stop28
        else SWITCHES_27
        if args.stop27
        else SWITCHES_26
        if args.stop26
        else SWITCHES
    )
    names = [name for _, name in switches]
    if args.less_one:  # each switched off alone, the others on
        for name in names:
            run(engine, files, set(names) - {name}, f"all but {name}", switches)
    else:
        run(engine, files, set(), "all off", switches)
        for name in names:
            run(engine, files, {name}, f"{name} alone", switches)
    run(engine, files, set(names), "all on", switches)
    if engine.asked:
        cache.write_bytes(pickle.dumps(engine.answers))


if __name__ == "__main__":
    main(sys.argv[1:])
