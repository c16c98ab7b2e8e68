"""Every shared file's sentences as this checkout cuts them, and the sentences two dumps cut apart.

    python -m bench.sentence_cuts dump OUT.json [--shared ../shared]
    python -m bench.sentence_cuts diff BEFORE.json AFTER.json [--show FILTER]

``dump`` ingests every file of ``dev-set``, ``dev-set-2``, ``real-dev-set`` and ``seeds``
(``process_file``, no index, no model) and writes, per file, each passage's sentences as the
index stores them (``cqa_core.text.split_sentences``).  ``diff`` lists every run of sentences
one dump cuts otherwise than the other (the sentences before ``-`` and after ``+``, for the
files whose name holds ``--show``, all by default) and counts them per set.  Run ``dump``
from two checkouts (or before and after a change) to read what a change of the sentence
rules does to real text (``bench.ingest_cuts`` does the same for passages).
"""

from __future__ import annotations

import argparse
import difflib
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from cqa_core.text import split_sentences

SETS = ("dev-set", "dev-set-2", "real-dev-set", "seeds")
Dump = dict[str, list[list[str]]]  # "set/file" -> per passage, its sentences


def dump(shared: Path) -> Dump:
    """Per ``set/file``: each passage's sentences."""
    from ingest.pipeline import discover, process_file

    out: Dump = {}
    for name in SETS:
        folder = shared / name / "corpus"
        files, _ = discover([folder if folder.is_dir() else shared / name])
        for path, meta in files:
            document = process_file(path, meta)
            out[f"{name}/{path.name}"] = [
                [p.text[s.start : s.end] for s in split_sentences(p.text)]
                for p in document.passages
            ]
    return out


def changes(before: Dump, after: Dump) -> list[tuple[str, int, list[str], list[str]]]:
    """Every run of sentences cut otherwise: (file, passage's ordinal, before, after)."""
    out = []
    for name, passages in before.items():
        others = after.get(name, [])
        for ordinal, (old, new) in enumerate(zip(passages, others, strict=False)):
            if old == new:
                continue
            matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                if tag != "equal":
                    out.append((name, ordinal, old[i1:i2], new[j1:j2]))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    f = sub.add_parser("diff")
    f.add_argument("before", type=Path)
    f.add_argument("after", type=Path)
    f.add_argument("--show", default="")
    args = parser.parse_args(argv)
    if args.command == "dump":
        args.out.write_text(json.dumps(dump(args.shared)), encoding="utf-8")
        return 0
    before = json.loads(args.before.read_text(encoding="utf-8"))
    after = json.loads(args.after.read_text(encoding="utf-8"))
    found = changes(before, after)
    per_set: Counter[str] = Counter()
    for name, ordinal, old, new in found:
        per_set[name.split("/", 1)[0]] += 1
        if args.show in name:
            print(f"{name} #{ordinal}")
            print("\n".join([f"  - {s!r}" for s in old] + [f"  + {s!r}" for s in new]))
    total = sum(len(s) for p in before.values() for s in p)
    total_after = sum(len(s) for p in after.values() for s in p)
    print(f"{len(found)} runs changed {dict(per_set)}; sentences {total} -> {total_after}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
