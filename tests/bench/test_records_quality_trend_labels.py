"""bench/records_quality.py: every trend label file is scored, and every gold point is whole."""

from __future__ import annotations

import json
import re

from bench.records_quality import REPO, TREND_BATCHES

POINT_FIELDS = {"set", "file", "date", "value", "unit", "quote"}


def test_every_trend_label_file_is_a_batch_once() -> None:
    on_disk = sorted((REPO / "tests" / "labels").glob("trend_*.json"))
    scored = [path for _, path in TREND_BATCHES]
    assert sorted(scored) == on_disk
    assert len({name for name, _ in TREND_BATCHES}) == len(TREND_BATCHES)


def test_each_gold_point_names_its_paper_date_value_and_sentence() -> None:
    ids: list[str] = []
    for _, path in TREND_BATCHES:
        questions = json.loads(path.read_text(encoding="utf-8"))["questions"]
        for q in questions:
            ids.append(q["id"])
            assert q["question"].strip() and q["council"].strip() and q["points"], q["id"]
            for p in q["points"]:
                assert set(p) >= POINT_FIELDS, (q["id"], p)
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", p["date"]), (q["id"], p["date"])
                assert isinstance(p["value"], int | float), (q["id"], p["value"])
                assert p["quote"].strip(), q["id"]
    assert len(ids) == len(set(ids))
