"""Locust users for the load test: each asks questions of /api/ask without pause.

Run by bench/loadtest.py (which starts the server); a response counts as a failure unless
it is a 200 with at least one passage.
"""

from __future__ import annotations

import random

from locust import HttpUser, constant, task

QUESTIONS = [
    "what did Ofsted say about thresholds",
    "children's services improvement plan scorecard",
    "agency social workers and caseloads",
    "monitoring visit feedback",
    "care leavers recommendations",
    "how many children are looked after",
    "recruitment and retention of social workers",
    "quality of assessments and management oversight",
    "early help and the front door",
    "performance against targets",
]


class Asker(HttpUser):
    """One client in a closed loop: a question, its answer, the next question."""

    wait_time = constant(0)

    @task
    def ask(self) -> None:
        """Ask one question and check the answer has passages."""
        body = {"question": random.choice(QUESTIONS), "top_k": 5}
        with self.client.post("/api/ask", json=body, catch_response=True, timeout=300) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")
            elif not r.json().get("passages"):
                r.failure("no passages")
