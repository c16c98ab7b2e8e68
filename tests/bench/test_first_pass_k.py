"""bench/first_pass_k.py: which recorded calls are first passes, and a bench run at a share
(stop 31)."""

from __future__ import annotations

import json
from pathlib import Path

from bench.first_pass_k import recorded_calls, run_with_share
from index import lexical_tantivy


def test_the_calls_at_three_times_k_are_the_multiword_first_passes(tmp_path: Path) -> None:
    stages = tmp_path / "stages.full.json"
    rows = [
        {"calls": [{"k": 180, "lists": {"care": [10, 1], "children": [20, 2]}}]},
        {"calls": [{"k": 60, "lists": {"care": [10, 1]}}]},
        {"calls": [{"k": 135, "lists": {"care": [10, 1]}}]},  # a filter's over-fetch
        {"calls": [{"k": 60, "lists": {"absent": [5, 1]}}]},  # no list here: dropped
        {},
    ]
    stages.write_text(json.dumps({"per_question": rows}), encoding="utf-8")
    calls = recorded_calls(stages, {"care": 0, "children": 1}, 60)
    assert [(dict(c), k, first) for c, k, first in calls] == [
        ({0: 1, 1: 2}, 180, True),
        ({0: 1}, 60, False),
        ({0: 1}, 135, False),
    ]


def test_a_bench_runs_at_the_share_given_and_the_share_is_put_back(tmp_path: Path) -> None:
    script = tmp_path / "probe.py"
    out = tmp_path / "seen.json"
    script.write_text(
        "import json, sys\n"
        "from index import lexical_tantivy\n"
        "json.dump([lexical_tantivy.RESCORE_FETCH, sys.argv[1:]], open(sys.argv[2], 'w'))\n"
        "raise SystemExit(3)\n",
        encoding="utf-8",
    )
    assert run_with_share(1.5, script, ["--out", str(out)]) == 3
    assert json.loads(out.read_text(encoding="utf-8")) == [1.5, ["--out", str(out)]]
    assert lexical_tantivy.RESCORE_FETCH == 3
