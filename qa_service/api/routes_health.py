"""Liveness."""

from __future__ import annotations

from fastapi import APIRouter

from qa_service.api.deps import EngineDep
from qa_service.schemas.documents import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health(engine: EngineDep) -> Health:
    """Say the service is up and how much it holds."""
    engine.refresh()
    documents, passages = engine.store.counts()
    return Health(status="ok", documents=documents, passages=passages)
