"""Cross-validation across councils: any fitted number judged on councils it never saw.

A number fitted on labelled questions (a threshold, a weight, a classifier's coefficients)
is fitted once per council on the questions of every other council and applied to the
held-out council's questions; the predictions gathered this way are *out of fold*, the
figure to expect on papers nobody tuned on.

A question belongs to every council it touches (its gold files' councils, else the council
its filters or its words name); a question that names none is grouped with the other
council-less questions of its set.  A question is predicted in the fold of the first
council it touches, by a fit that saw no question touching that council.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from evaluation.questions import Question

T = TypeVar("T")
P = TypeVar("P")
R = TypeVar("R")

NO_COUNCIL = "no council"


def question_councils(
    q: Question,
    council_of_file: Mapping[str, str],
    named: Callable[[str], Sequence[str]] = lambda _text: (),
    set_name: str = "",
) -> tuple[str, ...]:
    """The councils a question touches, its fold's council first."""
    councils = [council_of_file.get(g.file, "") for g in q.gold]
    councils = [c for c in councils if c]
    if not councils:
        given = q.filters.get("council")
        councils = [given] if isinstance(given, str) and given else list(named(q.question))
    if not councils:
        return (f"{set_name}: {NO_COUNCIL}" if set_name else NO_COUNCIL,)
    return tuple(dict.fromkeys(councils))


def out_of_fold(
    items: Sequence[T],
    groups: Sequence[Sequence[str]],
    fit: Callable[[list[T]], P],
    apply: Callable[[P, T], R],
) -> list[R]:
    """``apply(fit(training), item)`` for each item, where ``training`` holds the items that
    touch none of the councils of the item's fold (``groups[i][0]``)."""
    if len(items) != len(groups):
        raise ValueError("one group list per item is needed")
    fitted: dict[str, P] = {}
    out: list[R] = []
    for item, touched in zip(items, groups, strict=True):
        fold = touched[0]
        if fold not in fitted:
            training = [it for it, g in zip(items, groups, strict=True) if fold not in g]
            fitted[fold] = fit(training)
        out.append(apply(fitted[fold], item))
    return out


def folds(groups: Sequence[Sequence[str]]) -> list[str]:
    """The folds, in the order they first appear."""
    return list(dict.fromkeys(g[0] for g in groups))
