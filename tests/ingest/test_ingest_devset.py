"""End-to-end checks over the shared dev set and seeds: offsets, sizes, evidence, furniture."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ingest.models import Document
from ingest.pipeline import IngestLimits


def _collapse(text: str) -> str:
    return " ".join(text.split())


def test_every_document_is_ingested(ingested: dict[str, Document]) -> None:
    assert len([n for n in ingested if not n.endswith(".md")]) == 27 + 5  # seeds/README.md too
    assert all(doc.passages for doc in ingested.values())


def test_passages_are_exact_ordered_non_overlapping_slices(
    ingested: dict[str, Document],
) -> None:
    for name, doc in ingested.items():
        end = 0
        for i, p in enumerate(doc.passages):
            assert doc.text[p.char_start : p.char_end] == p.text, (name, i)
            assert p.text == p.text.strip(), (name, i)
            assert p.char_start >= end, (name, i)
            assert p.ordinal == i
            end = p.char_end


def test_passage_word_counts_within_limits(ingested: dict[str, Document]) -> None:
    limits = IngestLimits()
    counts = [len(p.text.split()) for d in ingested.values() for p in d.passages]
    # the cap bends only to keep a sentence broken by a page break in one passage
    assert max(counts) <= limits.max_words + limits.max_words // 2
    assert sum(c > limits.max_words for c in counts) <= len(counts) // 50
    # short passages are whole sections (a minute item, a short report section)
    assert sorted(counts)[len(counts) // 2] >= limits.min_words


def test_passage_ids_are_unique_and_stable(ingested: dict[str, Document]) -> None:
    ids = [p.passage_id for d in ingested.values() for p in d.passages]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[0-9a-f]{20}", i) for i in ids)


def _gold(shared_dir: Path) -> list[tuple[str, dict]]:
    out = []
    for name in ("questions.jsonl", "seed-questions.jsonl"):
        for line in (shared_dir / "dev-set" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                question = json.loads(line)
                out.extend((question["id"], gold) for gold in question["gold"])
    return out


def test_evidence_coverage(ingested: dict[str, Document], shared_dir: Path) -> None:
    gold = _gold(shared_dir)
    assert len(gold) > 100
    misses = []
    for qid, entry in gold:
        evidence = _collapse(entry["evidence"])
        hits = [p for p in ingested[entry["file"]].passages if evidence in _collapse(p.text)]
        page = entry.get("page")
        if not hits or (page is not None and not any(p.page in (page, page - 1) for p in hits)):
            misses.append(qid)
    assert misses == []


def test_pdf_running_header_and_footer_removed(ingested: dict[str, Document]) -> None:
    doc = ingested["northmoor-cabinet-2019-03-12-placement-sufficiency-report.pdf"]
    assert not re.search(r"Page \d+ of \d+", doc.text)
    header = "Northmoor County Council - Placement Sufficiency Strategy"
    assert header not in doc.text
    assert doc.page_starts is not None and len(doc.page_starts) == 4


def test_agenda_pack_furniture_and_stamps(ingested: dict[str, Document]) -> None:
    doc = ingested["northmoor-cyp-scrutiny-2023-09-19-agenda-pack.pdf"]
    assert "intentionally left blank" not in doc.text
    assert not re.search(r"^Page \d+$", doc.text, re.M)
    paths = {p.heading_path[0] for p in doc.passages if p.heading_path}
    assert {"Agenda Item 5", "Agenda Item 7", "Agenda Item 9"} <= paths


def test_pdf_paragraph_across_page_break(ingested: dict[str, Document]) -> None:
    doc = ingested["northmoor-cabinet-2019-03-12-placement-sufficiency-report.pdf"]
    assert doc.page_starts is not None
    hits = [
        p for p in doc.passages if "difficulties. Children aged 13 and over" in _collapse(p.text)
    ]
    assert len(hits) == 1
    passage = hits[0]
    assert "2017/18, compared with 31% in 2014/15" in _collapse(passage.text)  # page 2
    assert passage.page == 1
    assert passage.char_start < doc.page_starts[1] < passage.char_end


def test_html_boilerplate_removed(ingested: dict[str, Document]) -> None:
    doc = ingested["ravensholt-cyp-scrutiny-2023-11-28-minutes.html"]
    for furniture in (
        "Cookies on our website",
        "Skip to main content",
        "Search this site",
        "Libraries and culture",  # main navigation
        "Council and democracy",  # breadcrumb
        "Calendar of meetings",  # side navigation
        "Accessibility statement",  # footer
        "addEventListener",  # script
        "font-family",  # style
    ):
        assert furniture not in doc.text, furniture
    assert "Inspectors had made five recommendations" in doc.text
    assert doc.meta.title is not None
    heading_paths = [p.heading_path for p in doc.passages]
    assert any("Minutes:" in path for path in heading_paths)


def test_html_blocks_read_like_get_text(ingested: dict[str, Document]) -> None:
    doc = ingested["ravensholt-cyp-scrutiny-2023-11-28-minutes.html"]
    assert "Meeting: Children and Young People Scrutiny Committee - Tuesday" in doc.text
    assert "Overall effectiveness | Requires improvement to be good" in doc.text


def test_docx_automatic_numbering_rebuilt(ingested: dict[str, Document]) -> None:
    doc = ingested[
        "ravensholt-corporate-parenting-board-2019-11-21-virtual-school-annual-report.docx"
    ]
    assert "1. Purpose of the report" in doc.text
    assert "1.1 This is the annual report" in doc.text
    assert any(p.heading_path[-1:] == ("3. Background",) for p in doc.passages)


def test_meta_from_manifest(ingested: dict[str, Document]) -> None:
    doc = ingested["quarrington-cyp-scrutiny-2023-03-07-performance-report_v2.pdf"]
    assert doc.meta.council == "Quarrington Metropolitan Borough Council"
    assert doc.meta.supersedes == "quarrington-cyp-scrutiny-2023-03-07-performance-report.pdf"
    seed = ingested["003_cc14c0716361c74e.txt"]
    assert seed.meta.meeting_date is None and seed.meta.committee == "Social Care Services Board"


def test_long_upper_case_item_heads_its_passages(ingested: dict[str, Document]) -> None:
    """The 2015 Ofsted item's passages are under its own heading, not the declarations'."""
    doc = ingested["northmoor-cyp-scrutiny-2015-06-23-minutes.txt"]
    held = [p for p in doc.passages if "212 contacts were awaiting" in p.text]
    assert held
    assert held[0].heading_path[-1].startswith("19. OFSTED INSPECTION OF SERVICES")
    (ofsted,) = [d for d in doc.decisions if "findings of the Ofsted" in d.text]
    assert ofsted.item == "19"
    assert ofsted.subject is not None and ofsted.subject.endswith("OUTCOME AND RESPONSE")
