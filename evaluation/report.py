"""Reports of scored figures: JSON-ready data, a readable table with the misses, and one
Markdown row per set for several sets."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any

from evaluation.questions import collapse
from evaluation.scoring import EvalReport, Figures


def report_to_dict(report: EvalReport) -> dict[str, Any]:
    """The report as plain JSON-ready data."""
    return asdict(report)


_COLUMNS: list[tuple[str, str, Callable[[float], str]]] = [
    ("R@1", "recall_at_1", "{:.2f}".format),
    ("R@5", "recall_at_5", "{:.2f}".format),
    ("MRR@10", "mrr_at_10", "{:.3f}".format),
    ("nDCG@10", "ndcg_at_10", "{:.3f}".format),
    ("Ans@1", "answer_at_1", "{:.2f}".format),
    ("Abstain", "abstention_accuracy", "{:.2f}".format),
    ("FalseAbst", "false_abstention", "{:.2f}".format),
    ("Compare", "compare_coverage", "{:.2f}".format),
    ("PageAcc", "page_accuracy", "{:.2f}".format),
    ("p50 ms", "latency_p50_ms", "{:.1f}".format),
    ("p95 ms", "latency_p95_ms", "{:.1f}".format),
]


def _row(label: str, f: Figures) -> list[str]:
    cells = [label, str(f.questions)]
    for _, attr, fmt in _COLUMNS:
        value = getattr(f, attr)
        cells.append("-" if value is None else fmt(value))
    return cells


def format_report(report: EvalReport) -> str:
    """A readable text table: overall, per question type, then the misses with ranks."""
    header = ["type", "n"] + [name for name, _, _ in _COLUMNS]
    rows = [_row("overall", report.overall)]
    rows += [_row(t, f) for t, f in report.by_type.items()]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest])

    out = [line(header), line(["-" * w for w in widths]), line(rows[0]), *map(line, rows[1:])]
    out.append("")
    # Columns as wide as the longest id and type (any type name), never narrower than before.
    iw = max([10] + [len(m.id) for m in report.misses])
    tw = max([11] + [len(m.type) for m in report.misses])
    wrong = [m for m in report.misses if m.rank != 1]
    out.append(f"Missed at rank 1: {len(wrong)} of {report.overall.answerable} answerable")
    for m in wrong:
        rank = "none" if m.rank is None else str(m.rank)
        out.append(
            f"  {m.id:<{iw}} {m.type:<{tw}} rank {rank:>4}  top-1 {m.top1_source}  {m.question}"
        )
        if m.highlight is not None:
            out.append(f"  {'':<{iw}} highlight: {_short(m.highlight)}")
    shown = [m for m in report.misses if m.rank == 1]
    if shown:
        out.append("")
        out.append(f"Right passage, highlight not the answer: {len(shown)}")
        for m in shown:
            out.append(f"  {m.id:<{iw}} {m.type:<{tw}} {m.question}")
            out.append(f"  {'':<{iw}} highlight: {_short(m.highlight or '')}")
    return "\n".join(out)


def _short(text: str, limit: int = 160) -> str:
    text = collapse(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


SET_COLUMNS: tuple[tuple[str, str], ...] = (
    ("R@1", "recall_at_1"),
    ("R@5", "recall_at_5"),
    ("MRR@10", "mrr_at_10"),
    ("answer@1", "answer_at_1"),
    ("abstains", "abstention_accuracy"),
    ("false abst.", "false_abstention"),
    ("compare", "compare_coverage"),
)


def format_sets(figures: Mapping[str, Figures]) -> str:
    """One Markdown table row per set: the figures the targets are set on."""
    head = "| set | questions | " + " | ".join(n for n, _ in SET_COLUMNS) + " |"
    rule = "| --- | ---: | " + " | ".join("---:" for _ in SET_COLUMNS) + " |"
    rows = [head, rule]
    for name, f in figures.items():
        cells = [name, str(f.questions)]
        for _, attr in SET_COLUMNS:
            value = getattr(f, attr)
            cells.append("-" if value is None else f"{value:.2f}")
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)
