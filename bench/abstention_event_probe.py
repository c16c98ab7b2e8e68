"""Another event of the same thing (docs/quality.md, "Abstention, stop 24"): a probe, not a
piece of evidence.

    python bench/abstention_event_probe.py --cache PICKLE

real-dev-set's rdev-029 asks when the A466 "actually reopened" and is shown the date the
works "commenced"; the date in the shown sentence is another event's.  The nearest general
reading: a question asking for a date names its event by the verb after its auxiliary and
subject ("When did Oakhaven *decide* to adopt ...", "On what date did ... *reopen*"), and
the shown sentence does not write that verb (by its first five letters, an ending taken
off).  This lists where it fires (unanswerable / answerable / withheld rows per set) on
bench/abstention_modes.py's capture (``--withheld``), to show why it is not a reading to
fit: the papers state the answering event by another verb as often as not ("agree" is
answered by "approved", "resolved", "be noted"; "sign off" by "approved").
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import sys
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.abstention_modes import Row  # noqa: E402
from bench.quality_all import SETS  # noqa: E402
from qa_service.answer_kind import Kind, answer_kinds  # noqa: E402

# A date asked by "did / does / do / will" + subject + verb: the verb is the first
# lower-case word, not an adverb (-ly, "last", "first", "ever", "actually" ...) nor a word of
# the subject's name, after at most eight words, before a determiner, a preposition, a
# particle or "to" (or the end).
_ASKED_EVENT = re.compile(
    r"\b(?:did|does|do|will)\s+(?:\S+\s+){0,8}?(?!(?:last|first|ever|most|also|then)\b)"
    r"([a-z]{3,}(?<!ly))\s+(?=(?:the|a|an|its|their|to|on|off|up|in|at|for|of|after|before|"
    r"from|with|by|across|into|out)\b|[^\w\s]|$)"
)


def event_asked(question: str) -> str:
    """The verb a date question names its event by ("" when it asks for no date or none is
    found)."""
    if Kind.DATE not in answer_kinds(question):
        return ""
    m = _ASKED_EVENT.search(question)
    return m.group(1) if m else ""


def _stem(word: str) -> str:
    return re.sub(r"(?:ed|ing|es|s|e)$", "", word.lower())[:5]


def event_unwritten(question: str, shown: str) -> bool:
    """Whether a date question's event verb is not written in the shown sentence."""
    verb = event_asked(question)
    if not verb or not shown:
        return False
    return _stem(verb) not in {_stem(w) for w in re.findall(r"[A-Za-z]+", shown)}


def main(argv: Sequence[str] | None = None) -> int:
    """Print the fire counts and every unanswerable and answerable row it fires on."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, required=True, help="abstention_modes' capture")
    args = parser.parse_args(argv)
    rows: list[Row] = pickle.loads(args.cache.read_bytes())
    cells = []
    for name in SETS:
        part = [r for r in rows if r.set_name == name and r.evidence is not None]
        u = sum(event_unwritten(r.question, r.shown) for r in part if not r.answerable)
        a = sum(event_unwritten(r.question, r.shown) for r in part if r.answerable)
        w = sum(
            event_unwritten(r.withheld.question, r.withheld.shown)
            for r in part
            if r.withheld is not None and r.withheld.evidence is not None
        )
        cells.append(f"u{u} a{a} w{w}")
    print("fires: " + " / ".join(cells))
    for r in rows:
        if r.evidence is not None and event_unwritten(r.question, r.shown):
            label = "answerable" if r.answerable else "unanswerable"
            print(f"  {r.qid} {label} [{event_asked(r.question)}] {r.question}")
            print(f"      shown: {r.shown[:140]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
