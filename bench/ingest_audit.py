"""A seeded sample of ingested passages and their sentences, beside the source text.

    python -m bench.ingest_audit [--seed 24] [--docs 16] [--per-doc 3] [--counts]
                                 [CORPUS ...]   # default: real-dev-set's corpus and corpus/

Each folder is ingested as the service does (``process_file``). ``--docs`` documents are
drawn with the seed, every format present (PDF, HTML, text) at least once; from each,
``--per-doc`` passages. Every sampled passage is printed with its page, headings and table
flag, its sentences as the index stores them (``cqa_core.text.split_sentences``), each marked
with the fault kinds a rule finds in it, and then the source: the PDF's own pypdf text of the
page(s) the passage's words are on, or the lines of the text / HTML file around them.

The fault kinds (``FAULTS``) are what issue 14 names; the rules only point at candidates,
the audit's table in docs/quality.md ("Real papers' text, stop 24") is read by hand over the
printed sample. ``--counts`` prints only the candidates' table over the sample.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cqa_core.text import split_sentences
from ingest.models import Document, Passage
from ingest.pipeline import discover, process_file

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPORA = (REPO.parent / "shared" / "real-dev-set" / "corpus", REPO / "corpus")

_ABBREV_END = re.compile(
    r"(?:\b(?:Cllr|Councillor|Mr|Mrs|Ms|Dr|No|Nos|para|paras|e\.g|i\.e|approx|cf|St|Rev|"
    r"Co|Ltd|Cttee|s|ss|p|pp|ref|Ref|inc|Inc|cont|vol|fig|Fig|tel|Tel)|\b[A-Z])\.$"
)
_SOFT_HYPHEN = re.compile(r"\b([a-z]{2,})-[ \n]+([a-z]{2,})\b")
_PRIVATE = re.compile("[\ue000-\uf8ff]")
_FIGURE = re.compile(r"^[£$€(]?-?\d[\d,.]*%?[)km]?$|^[£$€]$|^-$")
_ITEM_INSIDE = re.compile(r"\n\s*(?:[•·▪◦*–-]|\(?[a-z]\)|\(?[ivx]{1,4}\)|\d{1,2}\.\s)")
_PAGE_WORDS = re.compile(r"\bpage \d+(?: of \d+)?\b", re.IGNORECASE)
# the next item's "3." at the end of the sentence before it; "3." alone (a label)
_NEXT_NUMBER = re.compile(r"\n\s*\d{1,4}(?:\.\d{1,3})*\.$")
_LONE_NUMBER = re.compile(r"\s*\d{1,4}(?:\.\d{1,3})*\.")
LONG_WORDS = 80  # a sentence this long is lists, rows or headings run together
# a field's label on the sentence's first line, the text under it after ("Minutes:\nThe ...")
_LABEL_LINE = re.compile(r"^[A-Z][\w'’()/&-]*(?:[ \t]+[\w'’()/&-]+){0,3}[ \t]*:[ \t]*\n\s*\S")


def _numeric_share(sentence: str) -> tuple[int, float]:
    tokens = sentence.split()
    figures = sum(bool(_FIGURE.match(t)) for t in tokens)
    return figures, figures / max(1, len(tokens))


def _glued_heading(sentence: str) -> bool:
    """A short first line without a closing stop, then a line of text: a heading run in."""
    if "\n" not in sentence:
        return False
    first, rest = sentence.split("\n", 1)
    first, rest = first.strip(), rest.strip()
    return (
        0 < len(first.split()) <= 10
        and not re.search(r"[.!?:;,]$", first)
        and bool(rest[:1].isupper())
        and len(rest.split()) >= 4
        and not first[:1].islower()
    )


@dataclass(frozen=True)
class Context:
    """What a rule needs besides the sentence: its passage, the document, its vocabulary."""

    passage: Passage
    document: Document
    vocabulary: frozenset[str]
    furniture: frozenset[str]  # lines that stand on three or more pages of the raw PDF


def _soft_hyphen(sentence: str, ctx: Context) -> bool:
    return any(
        (m.group(1) + m.group(2)).lower() in ctx.vocabulary for m in _SOFT_HYPHEN.finditer(sentence)
    )


def _furniture(sentence: str, ctx: Context) -> bool:
    if _PAGE_WORDS.search(sentence):
        return True
    lines = {" ".join(line.split()) for line in sentence.split("\n")}
    return bool(lines & ctx.furniture)


def _table_sentence(sentence: str, ctx: Context) -> bool:
    figures, share = _numeric_share(sentence)
    return not ctx.passage.is_table and figures >= 4 and share >= 0.4


FAULTS: dict[str, Callable[[str, Context], bool]] = {
    "split after an abbreviation or initial": lambda s, c: bool(_ABBREV_END.search(s)),
    "next item's number closing a sentence": lambda s, c: bool(_NEXT_NUMBER.search(s)),
    "item number as a sentence of its own": lambda s, c: bool(_LONE_NUMBER.fullmatch(s)),
    "run-on (over 80 words)": lambda s, c: len(s.split()) > LONG_WORDS,
    "list items run together": lambda s, c: bool(_ITEM_INSIDE.search(s)),
    "heading glued to its sentence": lambda s, c: _glued_heading(s),
    "field label glued to its sentence": lambda s, c: bool(_LABEL_LINE.match(s)),
    "hard line break inside": lambda s, c: bool(re.search(r"[a-z,]\n\s*[a-z]", s)),
    "line-break hyphenation": _soft_hyphen,
    "header/footer/page number": _furniture,
    "table row as prose sentence": _table_sentence,
    "private-use glyph": lambda s, c: bool(_PRIVATE.search(s)),
}


def _raw_pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def _folded(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _furniture_lines(pages: Sequence[str]) -> frozenset[str]:
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({" ".join(line.split()) for line in page.split("\n") if line.strip()})
    return frozenset(line for line, n in counts.items() if n >= 3 and len(line) > 3)


def page_of_words(passage: Passage, pages: Sequence[str], words: int = 8) -> int | None:
    """The raw PDF page whose text holds the passage's first ``words`` words (None: not found)."""
    folded = _folded(passage.text).split()
    for take in (words, 5, 3):
        probe = " ".join(folded[:take])
        if not probe:
            return None
        found = [n for n, page in enumerate(pages, start=1) if probe in _folded(page)]
        if len(found) == 1:
            return found[0]
        if found:  # several pages: the first at or after the cited one is the fair reading
            after = [n for n in found if passage.page is None or n >= passage.page]
            return after[0] if after else found[0]
    return None


def _source_excerpt(passage: Passage, path: Path, pages: Sequence[str] | None) -> str:
    if pages is not None:
        start = page_of_words(passage, pages) or passage.page or 1
        return "\n".join(
            f"--- pypdf page {n} ---\n{pages[n - 1]}"
            for n in range(start, min(start + 1, len(pages)) + 1)
        )
    raw = path.read_text(encoding="utf-8", errors="replace")
    probe = passage.text.split()[:4]
    pattern = r"\W+(?:<[^>]*>\W*)*".join(re.escape(w) for w in probe)
    match = re.search(pattern, raw) if probe else None
    at = match.start() if match else 0
    return raw[max(0, at - 200) : at + len(passage.text) + 400]


def _load(corpora: Sequence[Path]) -> list[tuple[Path, Document]]:
    files, _ = discover(list(corpora))
    out = []
    for path, meta in files:
        try:
            out.append((path, process_file(path, meta)))
        except Exception as exc:  # an audit reads what ingests; a refusal is reported
            print(f"# {path.name}: {exc}", file=sys.stderr)
    return out


def sample(
    documents: Sequence[tuple[Path, Document]], seed: int, docs: int, per_doc: int
) -> list[tuple[Path, Document, list[Passage]]]:
    """``docs`` documents (each format at least once), ``per_doc`` passages of each, seeded."""
    rng = random.Random(seed)
    by_format: dict[str, list[tuple[Path, Document]]] = {}
    for path, document in documents:
        by_format.setdefault(path.suffix.lower(), []).append((path, document))
    chosen = [rng.choice(group) for _, group in sorted(by_format.items())]
    rest = [d for d in documents if d not in chosen]
    rng.shuffle(rest)
    chosen += rest[: max(0, docs - len(chosen))]
    out = []
    for path, document in sorted(chosen, key=lambda d: d[0].name):
        passages = list(document.passages)
        out.append((path, document, sorted(rng.sample(passages, min(per_doc, len(passages))),
                                           key=lambda p: p.ordinal)))  # fmt: skip
    return out


def audit(
    sampled: Sequence[tuple[Path, Document, list[Passage]]], show: bool = True
) -> tuple[Counter[str], int, int, Counter[str]]:
    """Candidates per fault kind over the sampled sentences; also prints the sample."""
    faults: Counter[str] = Counter()
    pages_checked = 0
    sentences = 0
    formats: Counter[str] = Counter()
    for path, document, passages in sampled:
        formats[path.suffix.lower()] += 1
        raw = _raw_pdf_pages(path) if path.suffix.lower() == ".pdf" else None
        vocab = frozenset(re.findall(r"[a-z]+", document.text.lower()))
        furniture = _furniture_lines(raw) if raw else frozenset()
        for passage in passages:
            ctx = Context(passage, document, vocab, furniture)
            head = " > ".join(passage.heading_path)
            if show:
                print(f"\n=== {path.name} #{passage.ordinal} page={passage.page} "
                      f"table={passage.is_table} [{head}]")  # fmt: skip
            for span in split_sentences(passage.text):
                sentence = passage.text[span.start : span.end]
                sentences += 1
                kinds = [name for name, rule in FAULTS.items() if rule(sentence, ctx)]
                faults.update(kinds)
                if show:
                    flag = f"  <<{'; '.join(kinds)}>>" if kinds else ""
                    print(f"  | {sentence!r}{flag}")
            if raw is not None:
                pages_checked += 1
                found = page_of_words(passage, raw)
                if found is not None and found != passage.page:
                    faults["page of the passage's first words"] += 1
                    if show:
                        print(f"  << cited page {passage.page}, its first words on {found} >>")
            if show:
                print("  --- source ---")
                print("  " + _source_excerpt(passage, path, raw).replace("\n", "\n  ")[:3000])
    return faults, sentences, pages_checked, formats


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", type=Path, default=list(DEFAULT_CORPORA))
    parser.add_argument("--seed", type=int, default=24)
    parser.add_argument("--docs", type=int, default=16)
    parser.add_argument("--per-doc", type=int, default=3)
    parser.add_argument("--counts", action="store_true", help="only the table of candidates")
    args = parser.parse_args(argv)
    sampled = sample(_load(args.corpora), args.seed, args.docs, args.per_doc)
    faults, sentences, pages, formats = audit(sampled, show=not args.counts)
    passages = sum(len(p) for _, _, p in sampled)
    print(f"\n{len(sampled)} documents ({dict(formats)}), {passages} passages, "
          f"{sentences} sentences, {pages} PDF passages page-checked")  # fmt: skip
    print("| fault kind (rule's candidates) | count |\n| --- | ---: |")
    for name in [*FAULTS, "page of the passage's first words"]:
        print(f"| {name} | {faults[name]} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
