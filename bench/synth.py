"""A synthetic corpus of committee papers, deterministic by seed, in any quantity.

Minutes (plain text or a council web page) and officers' reports (PDF or plain text) are
built from the templates and vocabulary of ``bench.synth_vocab``: numbered minutes,
"RESOLVED: That ...", recommendation lists, officers, pound figures, percentages and
dates between 2012 and 2026, for fictional councils and committees.  Each document has its
own random generator seeded from ``(seed, number)``, so a document's bytes depend only on
the seed and its number; the corpus stops when the project's own chunker has counted the
passages asked for.

    python -m bench.synth OUT --passages 10000 --seed 0 [--formats txt,html,pdf]
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench import synth_vocab as V  # noqa: E402
from bench.synth_render import Block, render_html, render_pdf, render_text  # noqa: E402
from ingest.chunker import chunk  # noqa: E402
from ingest.manifest import MANIFEST_NAME  # noqa: E402
from ingest.models import DocMeta  # noqa: E402
from ingest.structure import find_blocks  # noqa: E402

FORMATS = ("txt", "html", "pdf")
MANIFEST_COLUMNS = (
    "file", "council", "committee", "meeting_date", "title", "doc_type", "source_url",
    "supersedes",
)  # fmt: skip
FIRST_DAY = date(2012, 1, 2)
DAYS = (date(2026, 12, 18) - FIRST_DAY).days
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class SynthDocument:
    """One generated paper: its file name, format, manifest metadata and plain-text body."""

    filename: str
    fmt: str
    meta: DocMeta
    text: str  # the plain text body (for txt it is the file content)
    blocks: tuple[Block, ...] = ()  # the body's structure, for the HTML and PDF renderers
    passages: int = 0  # what the project's chunker makes of ``text``


def councils(seed: int, count: int) -> list[str]:
    """``count`` distinct fictional council names for a seed."""
    rng = random.Random(f"councils:{seed}")
    names: dict[str, None] = {}
    while len(names) < count:
        place = rng.choice(V.PLACE_STEMS) + rng.choice(V.PLACE_ENDS)
        names[f"{place} {rng.choice(V.COUNCIL_KINDS)}"] = None
    return list(names)


def council_count(passages: int) -> int:
    """How many councils a corpus of this size spreads over (20 to 200)."""
    return max(20, min(200, passages // 500))


def slug(text: str) -> str:
    """A file-name-safe lower-case form of ``text``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _uk_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


class _Slots(dict[str, str]):
    """Template slots, each drawn from the document's generator when a template asks."""

    def __init__(self, rng: random.Random, meeting: date, people: list[str]) -> None:
        super().__init__()
        self.rng, self.meeting, self.people = rng, meeting, people

    def __missing__(self, key: str) -> str:
        r, year = self.rng, self.meeting.year
        if key in ("pct", "pct2"):
            return f"{r.uniform(8, 98):.1f}%"
        if key == "pct_small":
            return f"{r.uniform(1, 12):.1f}%"
        if key in ("money", "money2"):
            return f"£{r.uniform(0.3, 48):.1f} million"
        if key in ("money_small", "money_small2"):
            return f"£{r.randrange(450, 9800):,}"
        if key == "num":
            return f"{r.randrange(120, 4800):,}"
        if key in ("small", "small2"):
            return str(r.randrange(3, 40))
        if key in ("rate", "rate2"):
            return str(r.randrange(45, 110))
        if key == "n":
            return str(r.randrange(3, 12))
        if key == "year":
            return str(year - r.randrange(0, 2))
        if key == "year_next":
            return str(year + 1)
        if key == "fy":
            start = year - r.randrange(0, 2)
            return f"{start}/{(start + 1) % 100:02d}"
        if key == "month":
            return r.choice(MONTHS)
        if key == "quarter":
            return str(r.randrange(1, 5))
        if key in ("prev_date", "next_date"):
            step = timedelta(days=r.randrange(28, 90))
            return _uk_date(self.meeting - step if key == "prev_date" else self.meeting + step)
        if key == "role":
            return r.choice(V.OFFICER_ROLES)
        if key == "member":
            return r.choice(self.people).split()[-1]
        if key == "grade":
            return r.choice(V.GRADES)
        if key == "quality":
            return r.choice(V.QUALITIES)
        if key == "band":
            return str(r.randrange(1, 4))
        if key == "appendix":
            return r.choice("ABCD")
        raise KeyError(key)


@dataclass
class _Draft:
    """A document being written: its generator, slots and blocks."""

    rng: random.Random
    slots: _Slots
    blocks: list[Block]

    def fill(self, template: str) -> str:
        return template.format_map(self.slots)

    def add(self, kind: str, text: str) -> None:
        self.blocks.append(Block(kind, text))

    def paragraph(self, topic: dict[str, tuple[str, ...]], sentences: int) -> str:
        pool = topic["sentences"] + V.GENERIC_SENTENCES[:2]
        return " ".join(self.sentence(s) for s in self.rng.sample(pool, min(sentences, len(pool))))

    def sentence(self, template: str) -> str:
        """A filled template; one without slots (or one in three) gets a lead-in."""
        text = self.fill(template)
        if "{" in template and self.rng.random() > 0.33:
            return text
        if text.startswith("The "):
            text = "the " + text[4:]
        return self.fill(self.rng.choice(V.LEAD_INS)) + text


def _people(rng: random.Random, count: int) -> list[str]:
    return [f"{rng.choice(V.FIRST_NAMES)} {rng.choice(V.SURNAMES)}" for _ in range(count)]


def _minutes(d: _Draft, council: str, committee: str, meeting: date) -> str:
    rng = d.rng
    members = d.slots.people
    d.add("title", council)
    d.add("title", committee)
    d.add(
        "p",
        f"Minutes of a meeting held at {rng.choice(V.VENUES)} on "
        f"{meeting.strftime('%A')} {_uk_date(meeting)} at {rng.choice(V.TIMES)}",
    )
    d.add("p", f"Present: Councillor {members[0]} (Chair), Councillors " + ", ".join(members[1:]))
    officers = _people(rng, 3)
    roles = rng.sample(V.OFFICER_ROLES, 3)
    d.add("p", "Officers: " + ", ".join(f"{o} ({r})" for o, r in zip(officers, roles, strict=True)))
    minute = rng.randrange(1, 90)
    d.slots["minute_next"] = str(minute + 3)
    for heading, body in V.STANDING_ITEMS:
        d.add("h1", f"{minute}. {heading}")
        d.add("p", d.fill(body))
        minute += 1
    topics = rng.sample(sorted(V.TOPICS), rng.randrange(2, 5))
    titles = []
    for name in topics:
        topic = V.TOPICS[name]
        title = d.fill(rng.choice(topic["titles"]))
        titles.append(title)
        d.add("h1", f"{minute}. {title}")
        for _ in range(rng.randrange(2, 5)):
            d.add("p", d.paragraph(topic, rng.randrange(3, 6)))
        if rng.random() < 0.7:
            d.add("p", "Members raised the following issues:")
            for point in rng.sample(topic["points"], min(3, len(topic["points"]))):
                who = d.fill("(Councillor {member})")
                d.add("li", f"- {point[0].upper()}{point[1:]} {who}")
        resolved = [d.fill(r) for r in rng.sample(topic["resolutions"], rng.randrange(1, 3))]
        if len(resolved) == 1:
            d.add("p", f"RESOLVED: That {resolved[0]}.")
        else:
            d.add("p", "RESOLVED: That")
            for i, item in enumerate(resolved, start=1):
                d.add("li", f"({i}) {item};" if i < len(resolved) else f"({i}) {item}.")
        minute += 1
    return "Minutes: " + "; ".join(titles)


def _report(d: _Draft, council: str, committee: str, meeting: date) -> str:
    rng = d.rng
    name = rng.choice(sorted(V.TOPICS))
    topic = V.TOPICS[name]
    title = d.fill(rng.choice(topic["titles"]))
    role = rng.choice(V.OFFICER_ROLES)
    d.add("title", council)
    d.add("title", f"{committee} - {_uk_date(meeting)}")
    d.add("title", title)
    d.add("p", f"Report of the {role}")
    d.add("h1", "1. Purpose of the Report")
    d.add("p", f"1.1 This report updates the {committee} on {title[0].lower()}{title[1:]}.")
    d.add("h1", "2. Recommendations")
    d.add("p", "2.1 That the Committee:")
    for item in rng.sample(topic["resolutions"], min(2, len(topic["resolutions"]))):
        d.add("li", "- " + d.fill(item).replace(" be ", " is ", 1) + ";")
    d.add("li", f"- agrees to receive a further report in {d.fill('{month} {year_next}')}.")
    sections = ("Background", "Current Position", "Performance", "Financial Implications",
                "Risks and Mitigation", "Consultation")  # fmt: skip
    for number, heading in enumerate(sections[: rng.randrange(3, 7)], start=3):
        d.add("h1", f"{number}. {heading}")
        for para in range(1, rng.randrange(2, 5)):
            d.add("p", f"{number}.{para} " + d.paragraph(topic, rng.randrange(2, 5)))
    contact = _people(rng, 1)[0]
    email = f"{slug(contact)}@{slug(council)}.gov.uk"
    d.add("p", f"Contact officer: {contact}, {role}. Email: {email}.")
    return title


def make_document(number: int, seed: int, fmt: str, pool: Sequence[str]) -> SynthDocument:
    """Document ``number`` of the corpus for ``seed`` (its bytes depend on nothing else)."""
    rng = random.Random(f"doc:{seed}:{number}")
    council = pool[rng.randrange(len(pool))]
    committee = rng.choice(V.COMMITTEES)
    meeting = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    if meeting.weekday() > 4:  # committees meet on weekdays
        meeting -= timedelta(days=meeting.weekday() - 4)
    draft = _Draft(rng, _Slots(rng, meeting, _people(rng, rng.randrange(5, 9))), [])
    kind = "report" if fmt == "pdf" or (fmt == "txt" and rng.random() < 0.3) else "minutes"
    title = (_report if kind == "report" else _minutes)(draft, council, committee, meeting)
    text = render_text(draft.blocks)
    filename = f"{number:07d}-{slug(council)}-{slug(committee)}-{meeting.isoformat()}-{kind}.{fmt}"
    meta = DocMeta(
        council=council,
        committee=committee,
        meeting_date=meeting.isoformat(),
        title=title,
        doc_type=kind,
        source_url=f"https://democracy.{slug(council)}.gov.uk/ieListDocuments.aspx?MId={number}",
    )
    blocks = find_blocks(text)
    count = len(chunk(text, blocks, "count"))
    return SynthDocument(filename, fmt, meta, text, tuple(draft.blocks), count)


def documents(
    passages: int, seed: int = 0, formats: Sequence[str] = FORMATS
) -> Iterator[SynthDocument]:
    """Documents until the chunker has counted about ``passages`` passages in them."""
    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        raise ValueError(f"formats must be among {', '.join(FORMATS)}; got {list(formats)}")
    pool = councils(seed, council_count(passages))
    total = 0
    number = 0
    while total < passages:
        doc = make_document(number, seed, formats[number % len(formats)], pool)
        # stop at whichever side of the target is nearer
        if total and total + doc.passages - passages > passages - total:
            return
        total += doc.passages
        number += 1
        yield doc


def file_bytes(doc: SynthDocument) -> bytes:
    """The file as written: the text itself, a council web page, or a PDF."""
    if doc.fmt == "html":
        return render_html(doc.blocks, doc.meta).encode("utf-8")
    if doc.fmt == "pdf":
        return render_pdf(doc.blocks, doc.meta)
    return doc.text.encode("utf-8")


def write_corpus(out: Path, passages: int, seed: int = 0, formats: Sequence[str] = FORMATS) -> int:
    """Write the documents and their ``manifest.csv`` into ``out``; returns the file count."""
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    with (out / MANIFEST_NAME).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(MANIFEST_COLUMNS)
        for doc in documents(passages, seed, formats):
            (out / doc.filename).write_bytes(file_bytes(doc))
            m = doc.meta
            row = [m.council, m.committee, m.meeting_date, m.title, m.doc_type, m.source_url]
            writer.writerow([doc.filename, *row, ""])
            count += 1
    return count


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: write a corpus of about ``--passages`` passages."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the files and manifest.csv to")
    parser.add_argument("--passages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--formats", default=",".join(FORMATS), help="e.g. txt,html,pdf")
    args = parser.parse_args(argv)
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    files = write_corpus(args.out, args.passages, args.seed, formats)
    print(f"{files} files written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
