"""Whether the ingest puts each PDF gold's evidence on its labelled page, with no model.

    python -m bench.page_citations [--shared ../shared] [--misses]

For every gold entry with a page (PDF gold) of ``dev-set``, ``dev-set-2`` and
``real-dev-set``, the file is ingested as the service does (``process_file``) and the
evidence is looked up in the passages holding it (whitespace collapsed, case ignored, as
``evaluation.metrics.is_hit`` reads a hit).  Three pages are compared with the gold's:

- *passage*: the page the passage starts on (``Citation.page``, what ``cqa eval``'s page
  accuracy judges, which also takes the page before);
- *evidence*: the page the evidence's first character is on (``Citation.highlight_page``
  when the highlight is the evidence);
- *loose*: ``cqa eval``'s rule, the passage's page or the one after it is the gold page.

Evidence found in no passage (cut across two) is counted apart.  This measures the pages
the index can cite; which passage ranks first is ``bench/quality_all.py``'s.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path

from ingest.models import Document
from ingest.pipeline import discover, process_file

SETS = ("dev-set", "dev-set-2", "real-dev-set")


def _folded(text: str) -> str:
    return " ".join(text.split()).lower()


def _pattern(evidence: str) -> re.Pattern[str]:
    """The evidence with any run of white space between its words."""
    return re.compile(r"\s+".join(re.escape(w) for w in evidence.split()), re.IGNORECASE)


def check(shared: Path) -> dict[str, list[dict[str, object]]]:
    """Per set, one row per PDF gold entry: gold page and the three pages."""
    out: dict[str, list[dict[str, object]]] = defaultdict(list)
    for name in SETS:
        corpus = shared / name / "corpus"
        files = dict((path.name, (path, meta)) for path, meta in discover([corpus])[0])
        docs: dict[str, Document] = {}
        for line in (shared / name / "questions.jsonl").read_text(encoding="utf-8").splitlines():
            question = json.loads(line)
            for gold in question.get("gold", []):
                if gold.get("page") is None or gold["file"] not in files:
                    continue
                if gold["file"] not in docs:
                    docs[gold["file"]] = process_file(*files[gold["file"]])
                doc = docs[gold["file"]]
                row: dict[str, object] = {"id": question["id"], "file": gold["file"],
                                          "gold": gold["page"]}  # fmt: skip
                hits = [p for p in doc.passages if _folded(gold["evidence"]) in _folded(p.text)]
                if hits:
                    p = hits[0]
                    at = _pattern(gold["evidence"]).search(doc.text, p.char_start, p.char_end)
                    row["passage"] = p.page
                    row["evidence"] = doc.page_at(at.start()) if at else None
                else:
                    at = _pattern(gold["evidence"]).search(doc.text)
                    row["passage"] = None
                    row["evidence"] = doc.page_at(at.start()) if at else None
                out[name].append(row)
    return out


def main() -> None:
    """Print, per set, how many PDF gold entries each page reading gets right."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--misses", action="store_true", help="list the rows not right")
    args = parser.parse_args()
    for name, rows in check(args.shared).items():
        cut = [r for r in rows if r["passage"] is not None]
        passage = sum(r["passage"] == r["gold"] for r in cut)
        loose = sum(r["gold"] in (r["passage"], r["passage"] + 1) for r in cut)  # type: ignore[operator]
        evidence = sum(r["evidence"] == r["gold"] for r in rows)
        print(
            f"{name}: {len(rows)} PDF gold entries, {len(rows) - len(cut)} cut across passages; "
            f"passage page {passage}/{len(cut)}, loose {loose}/{len(cut)}, "
            f"evidence page {evidence}/{len(rows)}"
        )
        if args.misses:
            for r in rows:
                if r["evidence"] != r["gold"] or r["passage"] != r["gold"]:
                    print("   ", r)


if __name__ == "__main__":
    main()
