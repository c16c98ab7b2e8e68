"""Labelled questions: the ``questions.jsonl`` format of the shared sets, read and checked.

One JSON object a line: ``id``, ``question``, ``type``, optional ``filters`` (council and
an inclusive meeting-date range), ``gold`` (file, evidence, PDF page) and ``answer``.

The type is open: any name is read, scored and reported on its own.  A question with no
gold is unanswerable.  The shared sets' own types are checked against their meaning (an
``unanswerable`` question has no gold, the other six have some); a type they do not use
may have gold or not, so a new set can label its own unanswerable kinds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from cqa_core.errors import InvalidQueryError

# The shared sets' types, in the order reports list them; other types follow in the order
# they first appear.
QUESTION_TYPES = (
    "factoid",
    "topical",
    "paraphrase",
    "filtered",
    "precedent",
    "compare",
    "unanswerable",
)
UNANSWERABLE = "unanswerable"
COMPARE = "compare"


@dataclass(frozen=True)
class GoldEntry:
    """One passage that answers a question: ``evidence`` is a substring of ``file``'s text."""

    file: str
    evidence: str
    page: int | None = None  # 1-based PDF page (PDF gold only)


@dataclass(frozen=True)
class Question:
    """One labelled question from a ``questions.jsonl`` file."""

    id: str
    question: str
    type: str
    filters: dict[str, Any]
    gold: list[GoldEntry]
    answer: str

    @property
    def answerable(self) -> bool:
        """True when the question has gold passages (whatever its type)."""
        return bool(self.gold)


def collapse(s: str) -> str:
    """Collapse every run of whitespace to one space and trim both ends."""
    return " ".join(s.split())


# --- loading -------------------------------------------------------------------------


def load_questions(path: str | Path) -> list[Question]:
    """Read a JSON-lines question file; blank lines are skipped.

    Raises :class:`InvalidQueryError` naming the line number and the problem for a
    malformed line, and for a file that cannot be read.
    """
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidQueryError(f"cannot read questions file {path}: {exc}") from exc
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        question = _parse_question(line, number, path)
        if question.id in seen:
            raise _bad(
                path, number, f"duplicate id {question.id!r} (first on line {seen[question.id]})"
            )
        seen[question.id] = number
        questions.append(question)
    return questions


def _bad(path: str | Path, number: int, problem: str) -> InvalidQueryError:
    return InvalidQueryError(f"{path}, line {number}: {problem}")


def _parse_question(line: str, number: int, path: str | Path) -> Question:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _bad(path, number, f"not valid JSON ({exc.msg})") from exc
    if not isinstance(raw, dict):
        raise _bad(path, number, "expected a JSON object")
    try:  # a "\ud800" escape parses to a lone surrogate, which no index or terminal can take
        json.dumps(raw, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise _bad(path, number, "a lone surrogate escape (\\ud800-\\udfff) is not text") from None
    for key in ("id", "question", "type"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            what = "missing" if value is None else "not a non-empty string:"
            raise _bad(path, number, f"{what} {key!r}")
    qtype = raw["type"].strip()
    answer = raw.get("answer", "")
    if not isinstance(answer, str):
        raise _bad(path, number, "'answer' is not a string")
    filters = _parse_filters(raw.get("filters"), number, path)
    gold = _parse_gold(raw.get("gold"), number, path)
    if qtype == UNANSWERABLE and gold:
        raise _bad(path, number, "bad 'gold': an unanswerable question must have no gold entries")
    if qtype in QUESTION_TYPES and qtype != UNANSWERABLE and not gold:
        raise _bad(path, number, f"bad 'gold': a {qtype} question needs at least one gold entry")
    return Question(raw["id"], raw["question"], qtype, filters, gold, answer)


def _parse_filters(raw: Any, number: int, path: str | Path) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _bad(path, number, "bad 'filters': expected a JSON object")
    for key in ("date_from", "date_to"):
        value = raw.get(key)
        if value is None:
            continue
        try:
            date.fromisoformat(value)
        except (TypeError, ValueError):
            raise _bad(path, number, f"bad 'filters': {key} {value!r} is not YYYY-MM-DD") from None
    if raw.get("date_from") and raw.get("date_to") and raw["date_from"] > raw["date_to"]:
        raise _bad(path, number, "bad 'filters': date_from is after date_to")
    council = raw.get("council")
    if council is not None and not isinstance(council, str):
        raise _bad(path, number, "bad 'filters': council is not a string")
    return dict(raw)


def _parse_gold(raw: Any, number: int, path: str | Path) -> list[GoldEntry]:
    if raw is None:
        raise _bad(path, number, "missing 'gold'")
    if not isinstance(raw, list):
        raise _bad(path, number, "bad 'gold': expected a list")
    gold = []
    for i, entry in enumerate(raw, start=1):
        where = f"bad 'gold' entry {i}"
        if not isinstance(entry, dict):
            raise _bad(path, number, f"{where}: expected a JSON object")
        file, evidence, page = entry.get("file"), entry.get("evidence"), entry.get("page")
        if not isinstance(file, str) or not file.strip():
            raise _bad(path, number, f"{where}: missing or empty 'file'")
        if not isinstance(evidence, str) or not collapse(evidence):
            raise _bad(path, number, f"{where}: missing or empty 'evidence'")
        if page is not None and (isinstance(page, bool) or not isinstance(page, int) or page < 1):
            raise _bad(path, number, f"{where}: 'page' must be a positive integer")
        gold.append(GoldEntry(file, evidence, page))
    return gold
