"""Questions, passages and results shared by the evaluation tests."""

from __future__ import annotations

from evaluation.metrics import QuestionResult, Retrieved
from evaluation.questions import GoldEntry, Question

G1 = GoldEntry("a.txt", "seventy one actions were complete")
G2 = GoldEntry("b.html", "the threshold consultation line is well used")
G3 = GoldEntry("c.pdf", "Twenty-three warning notices were issued", page=3)


def question(
    gold: list[GoldEntry], qtype: str = "factoid", qid: str = "q1", text: str = "what?"
) -> Question:
    return Question(qid, text, qtype, {}, gold, "" if gold else "not in the corpus")


def hit_of(g: GoldEntry, page: int | None = None, council: str | None = None) -> Retrieved:
    """A passage that hits ``g``: its evidence with text around it."""
    return Retrieved(g.file, f"Before it. {g.evidence}. After it.", page, council)


def noise(source: str = "z.txt", n: int = 0) -> Retrieved:
    return Retrieved(source, f"an unrelated passage number {n}", None, None)


def result(
    q: Question,
    ranked: list[Retrieved],
    answered: bool = True,
    latency_ms: float = 10.0,
    compare: dict[str, list[Retrieved]] | None = None,
) -> QuestionResult:
    return QuestionResult(q, ranked, answered, latency_ms, compare)


def with_highlight(r: Retrieved, highlight: str | None) -> Retrieved:
    return Retrieved(r.source, r.text, r.page, r.council, highlight)


COUNCILS = {"a.txt": "Alpha", "b.html": "Beta", "c.pdf": "Gamma", "a2.txt": "Alpha"}


def mixed_results() -> list[QuestionResult]:
    f1 = question([G1], "factoid", "f1", "first factoid")
    f2 = question([G2], "factoid", "f2", "second factoid")
    p1 = question([G3], "paraphrase", "p1", "paraphrased")
    c1 = question([G1, G2], "compare", "c1", "compare councils")
    u1 = question([], "unanswerable", "u1", "not here")
    return [
        result(f1, [hit_of(G1)], latency_ms=10.0),
        result(f2, [noise("z.txt", 1), noise("y.txt", 2), hit_of(G2)], latency_ms=20.0),
        result(p1, [noise("x.pdf")] * 10 + [hit_of(G3, page=3)], answered=False, latency_ms=30.0),
        result(
            c1,
            [hit_of(G2), hit_of(G1)],
            latency_ms=40.0,
            compare={"Alpha": [noise()], "Beta": [hit_of(G2)]},
        ),
        result(u1, [noise()], answered=False, latency_ms=50.0),
    ]
