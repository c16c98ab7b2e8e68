"""Follow-through: which later paper brings a commitment back (fake embedder)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from index.embedder import HashingEmbedder
from qa_service.api.main import create_app
from qa_service.config import Settings
from tests.conftest import build_index

# a parish council's papers name the same body differently from meeting to meeting
PARISH = """file,council,committee,meeting_date,title,doc_type,source_url,supersedes
oct.txt,Eastwold Parish Council,Full council (monthly meeting),2018-10-29,Minutes,minutes,,
may.txt,Eastwold Parish Council,Full council (Annual General Meeting and monthly meeting),2019-05-20,Minutes,minutes,,
"""
OCT = """EASTWOLD PARISH COUNCIL

Minutes of the meeting held on 29 October 2018.

2597. Any Other Business: Cllr Reed reported that the war memorial plaque is damaged.
Cllr Reed offered to get costings for repairing the war memorial plaque and report back
to the council.
"""
MAY = """EASTWOLD PARISH COUNCIL

Minutes of the meeting held on 20 May 2019.

2704. War memorial plaque: Cllr Reed reported the costings for repairing the war memorial
plaque. Councillors agreed to pay for repairing the war memorial plaque.
"""


def test_a_body_named_differently_at_a_later_meeting_still_brings_it_back(
    tmp_path: Path,
) -> None:
    """ "Full council (monthly meeting)" and "Full council (Annual General Meeting and monthly
    meeting)" are one body: its May minutes bring back what its October minutes asked for."""
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "manifest.csv").write_text(PARISH, encoding="utf-8")
    (folder / "oct.txt").write_text(OCT, encoding="utf-8")
    (folder / "may.txt").write_text(MAY, encoding="utf-8")
    index = build_index(tmp_path / "index", [folder], HashingEmbedder())
    with TestClient(create_app(Settings(index=index), HashingEmbedder())) as client:
        body = client.get("/api/commitments", params={"as_of": "2019-12-01"}).json()
    [plaque] = body["commitments"]
    assert plaque["committee"] == "Full council (monthly meeting)"
    assert plaque["status"] == "discharged" and plaque["discharged_on"] == "2019-05-20"
