"""Every shared file's passages as this checkout cuts them, and the files two dumps cut apart.

    python -m bench.ingest_cuts dump OUT.json [--shared ../shared]
    python -m bench.ingest_cuts diff BEFORE.json AFTER.json

``dump`` ingests every file of ``dev-set``, ``dev-set-2``, ``real-dev-set`` and ``seeds``
(``process_file``, no index, no model) and writes, per file, its passages (offsets, page,
heading path, table flag, text) and its decisions' offsets.  ``diff`` lists, per set, the
files whose passages or decisions differ, with the passage counts before and after.  Run
``dump`` from two checkouts (or before and after a change) to see what an ingest change
cuts differently.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ingest.pipeline import discover, process_file

SETS = ("dev-set", "dev-set-2", "real-dev-set", "seeds")


def _folder(shared: Path, name: str) -> Path:
    corpus = shared / name / "corpus"
    return corpus if corpus.is_dir() else shared / name


def dump(shared: Path) -> dict[str, dict[str, object]]:
    """Per ``set/file``: passages and decisions as plain data."""
    out: dict[str, dict[str, object]] = {}
    for name in SETS:
        files, _ = discover([_folder(shared, name)])
        for path, meta in files:
            document = process_file(path, meta)
            out[f"{name}/{path.name}"] = {
                "passages": [
                    [p.char_start, p.char_end, p.page, list(p.heading_path), p.is_table, p.text]
                    for p in document.passages
                ],
                "decisions": [[d.char_start, d.char_end] for d in document.decisions],
            }
    return out


def diff(before: dict[str, dict[str, list]], after: dict[str, dict[str, list]]) -> list[str]:
    """One line per file cut differently: ``set/file: passages N -> M[, decisions moved]``."""
    lines = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if old is None or new is None:
            lines.append(f"{key}: only {'after' if old is None else 'before'}")
            continue
        note = f"{key}: passages {len(old['passages'])} -> {len(new['passages'])}"
        if old["passages"] == new["passages"]:
            note += " (same passages)"
        if old["decisions"] != new["decisions"]:
            note += ", decisions moved"
        lines.append(note)
    return lines


def main() -> None:
    """Command line: ``dump`` or ``diff``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("dump")
    one.add_argument("out", type=Path)
    one.add_argument("--shared", type=Path, default=Path("../shared"))
    two = sub.add_parser("diff")
    two.add_argument("before", type=Path)
    two.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        args.out.write_text(json.dumps(dump(args.shared)), encoding="utf-8")
        return
    before = json.loads(args.before.read_text(encoding="utf-8"))
    after = json.loads(args.after.read_text(encoding="utf-8"))
    lines = diff(before, after)
    print("\n".join(lines) if lines else "no file cut differently")
    counts = {name: sum(line.startswith(name + "/") for line in lines) for name in SETS}
    print(", ".join(f"{name}: {n}" for name, n in counts.items()))


if __name__ == "__main__":
    main()
