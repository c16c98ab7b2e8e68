"""``bench.trend_wrong``: each wrong point put to its cause."""

from __future__ import annotations

from bench.trend_wrong import cause

QUESTION = {
    "council": "Eastwold Council",
    "points": [
        {
            "file": "a.html",
            "date": "2023-03-07",
            "value": 21,
            "quote": "The agency social worker rate was 21%, against 17% a year before.",
        },
        {"file": "b.html", "date": "2023-11-14", "value": 18, "quote": "… had fallen to 18%."},
    ],
}


def test_each_cause() -> None:
    gold_sentence = "The agency social worker rate was 21%, against 17% a year before."
    assert cause("Westby", "2023-03-07", 21.0, gold_sentence, QUESTION) == "other council"
    at = ("Eastwold Council", "2023-03-07")
    assert cause(*at, 21.0, "Agency staff: 21%", QUESTION) == "gold value, another paper"
    assert cause(*at, 17.0, gold_sentence, QUESTION) == "other figure of the gold sentence"
    assert cause(*at, 9.0, "Vacancies were 9%.", QUESTION) == "other sentence at a gold meeting"
    later = ("Eastwold Council", "2024-02-13")
    assert cause(*later, 18.0, "It had been 18%.", QUESTION) == "repeated value"
    assert cause(*later, 12.0, "The vacancy rate was 12%.", QUESTION) == "no gold meeting"
