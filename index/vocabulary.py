"""The words of the index and its counts: the vocabulary typo correction reads, and stats.

The ``vocabulary`` table holds how many passages hold each word (lower case, as written);
the writer adds a document's words when it inserts it and takes them away when it
deletes it.  ``VocabularyStore`` is the part of ``Store`` for these.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cqa_core.text import words
from index.sqlite import StoreBase


@dataclass
class StoreStats:
    """Counts and facts about an index."""

    documents: int
    passages: int
    councils: dict[str, int] = field(default_factory=dict)
    doc_types: dict[str, int] = field(default_factory=dict)
    generation: int = 0
    model: str = ""
    dim: int = 0


def word_counts(passages: Iterable[tuple[Sequence[str], str]]) -> Counter[str]:
    """In how many of the (heading path, text) passages each word occurs."""
    counts: Counter[str] = Counter()
    for heading, text in passages:
        counts.update(set(words(" ".join(heading) + " " + text)))
    return counts


class VocabularyStore(StoreBase):
    """The vocabulary, counts and facet values (part of ``Store``)."""

    def vocabulary(self) -> dict[str, int]:
        """Every indexed word with the number of passages that hold it."""
        with self.lock:
            rows = self.conn.execute("SELECT term, df FROM vocabulary").fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    def prefix_frequencies(self, prefixes: Iterable[str]) -> dict[str, int]:
        """For each prefix, the most passages any indexed word starting with it is in (0:
        none); a range read of the table's key per prefix, not the whole table."""
        out = {}
        with self.lock:
            for prefix in prefixes:
                if not prefix:
                    continue
                # every word starting with the prefix sorts between it and the prefix with
                # its last character raised by one (SQLite compares UTF-8 bytes, in code
                # point order)
                upper = prefix[:-1] + chr(min(ord(prefix[-1]) + 1, 0x10FFFF))
                row = self.conn.execute(
                    "SELECT max(df) FROM vocabulary WHERE term >= ? AND term < ?",
                    (prefix, upper),
                ).fetchone()
                out[prefix] = int(row[0] or 0)
        return out

    def add_words(self, passages: Iterable[tuple[Sequence[str], str]]) -> None:
        """Count the words of new (heading path, text) passages (inside a transaction)."""
        self.conn.executemany(
            "INSERT INTO vocabulary(term, df) VALUES (?, ?) "
            "ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
            list(word_counts(passages).items()),
        )

    def remove_words(self, passages: Iterable[tuple[Sequence[str], str]]) -> None:
        """Take away the words of deleted (heading path, text) passages."""
        self.conn.executemany(
            "UPDATE vocabulary SET df = df - ? WHERE term = ?",
            [(n, term) for term, n in word_counts(passages).items()],
        )
        self.conn.execute("DELETE FROM vocabulary WHERE df <= 0")

    # --- facts ----------------------------------------------------------------------

    def counts(self) -> tuple[int, int]:
        """How many documents and passages the store holds: two counts SQLite takes from
        its smallest indexes, so a liveness probe stays cheap at millions of passages
        (``stats``' facets read every document's row: 1.7 s warm at 10M passages)."""
        with self.lock:
            docs = int(self.conn.execute("SELECT count(*) FROM documents").fetchone()[0])
            return docs, self.passage_count()

    def stats(self) -> StoreStats:
        """Counts of documents and passages, by council and type."""
        with self.lock:
            docs, passages = self.counts()
            councils = {
                (r[0] or "(unknown)"): int(r[1])
                for r in self.conn.execute(
                    "SELECT council, count(*) FROM documents GROUP BY council ORDER BY council"
                )
            }
            types = {
                (r[0] or "(unknown)"): int(r[1])
                for r in self.conn.execute(
                    "SELECT doc_type, count(*) FROM documents GROUP BY doc_type ORDER BY doc_type"
                )
            }
        return StoreStats(
            documents=docs,
            passages=passages,
            councils=councils,
            doc_types=types,
            generation=self.generation(),
            model=self.get_meta("model") or "",
            dim=int(self.get_meta("dim") or 0),
        )

    def facet_values(self, column: str) -> list[str]:
        """Distinct non-empty values of a document column (council, committee, doc_type)."""
        if column not in {"council", "committee", "doc_type"}:
            raise ValueError(column)
        with self.lock:
            rows = self.conn.execute(
                f"SELECT DISTINCT {column} FROM documents WHERE {column} IS NOT NULL "
                f"AND {column} != '' ORDER BY {column}"
            ).fetchall()
        return [str(r[0]) for r in rows]
