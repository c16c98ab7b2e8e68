"""Supersedes cycles: find them and choose the one link that breaks each.

A document that another names in ``supersedes`` stops answering by default.  When the
manifests make a cycle (a supersedes b, b supersedes c, c supersedes a) every document in
it is superseded, so all of them vanish.  The writer breaks each cycle after an ingest:
the newest document of the cycle (latest meeting date, then name) is kept as the current
version, and the one link that superseded it is dropped from the stored metadata (the
manifest's own values are kept as given, so re-ingesting an unchanged file does nothing).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    """One document's ``supersedes`` value: ``source`` replaces ``target``."""

    rowid: int
    source: str
    target: str
    meeting_date: str | None


@dataclass(frozen=True)
class Cut:
    """The link to drop for one cycle, and the warning that says so."""

    rowid: int
    warning: str


def cycle_cuts(links: list[Link]) -> list[Cut]:
    """One cut for each cycle among ``links`` (names compared as stored)."""
    by_source: dict[str, list[Link]] = {}
    dates: dict[str, str] = {}
    for link in links:
        if link.source != link.target:  # superseding itself hides nothing (store.py)
            by_source.setdefault(link.source, []).append(link)
        dates[link.source] = max(dates.get(link.source, ""), link.meeting_date or "")
    cuts: list[Cut] = []
    removed: set[int] = set()
    done: set[str] = set()
    for start in sorted(by_source):
        cycle = _cycle_from(start, by_source, removed, done)
        while cycle:
            newest = max(cycle, key=lambda name: (dates.get(name, ""), name))
            before = cycle[cycle.index(newest) - 1]  # the document that superseded it
            link = next(
                x for x in by_source[before] if x.target == newest and x.rowid not in removed
            )
            removed.add(link.rowid)
            loop = " -> ".join([*cycle, cycle[0]])
            cuts.append(
                Cut(
                    link.rowid,
                    f"supersedes cycle {loop}: {newest} is kept as the current version "
                    f"({before} no longer supersedes it)",
                )
            )
            cycle = _cycle_from(start, by_source, removed, done)
        done.add(start)
    return cuts


def _cycle_from(
    start: str, by_source: dict[str, list[Link]], removed: set[int], done: set[str]
) -> list[str]:
    """A cycle reachable from ``start`` (names in order), or []: an iterative depth-first
    search, so a chain of thousands of revisions needs no deep recursion."""
    path, on_path, finished = [start], {start}, set(done)
    pending = [iter(by_source.get(start, []))]
    while pending:
        link = next(pending[-1], None)
        if link is None:
            name = path.pop()
            on_path.discard(name)
            finished.add(name)
            pending.pop()
            continue
        if link.rowid in removed:
            continue
        if link.target in on_path:
            return path[path.index(link.target) :]
        if link.target not in finished and link.target in by_source:
            path.append(link.target)
            on_path.add(link.target)
            pending.append(iter(by_source[link.target]))
    return []
