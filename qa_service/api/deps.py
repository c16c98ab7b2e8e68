"""Dependencies shared by the routes: the engine, the settings, and the admin check."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param

from index.embedder import Embedder
from qa_service.config import Settings, writes_enabled
from qa_service.retriever import Engine


def get_engine(request: Request) -> Engine:
    """The engine loaded at startup."""
    engine: Engine = request.app.state.engine
    return engine


def get_ingest_embedder(request: Request) -> Embedder:
    """The model that embeds uploads, loaded on the first write rather than at startup."""
    state = request.app.state
    with state.ingest_embedder_lock:
        if state.ingest_embedder is None:
            from qa_service.runtime import make_embedder

            state.ingest_embedder = make_embedder(state.settings)
        embedder: Embedder = state.ingest_embedder
    return embedder


def get_settings(request: Request) -> Settings:
    """The settings the app was started with."""
    settings: Settings = request.app.state.settings
    return settings


_bearer = HTTPBearer(
    auto_error=False, description="the CQA_ADMIN_TOKEN, as `Authorization: Bearer <token>`"
)


def admin_refusal(
    settings: Settings, supplied: str | None
) -> tuple[int, str, dict[str, str]] | None:
    """Why a write with bearer token ``supplied`` is refused (status, detail, headers), or None.

    With no token configured, none pass.  Used by the route dependency and, for uploads,
    by ``limits.TokenFirst`` before the body is read.
    """
    if not writes_enabled(settings):
        return (
            status.HTTP_403_FORBIDDEN,
            "writes are disabled: no CQA_ADMIN_TOKEN is configured",
            {},
        )
    expected = settings.admin_token.get_secret_value().strip() if settings.admin_token else ""
    supplied = (supplied or "").strip()
    # compare_digest: the time taken does not tell how much of a guess was right
    if not supplied or not hmac.compare_digest(supplied.encode(), expected.encode()):
        return (
            status.HTTP_401_UNAUTHORIZED,
            "a valid 'Authorization: Bearer <token>' header is required",
            {"WWW-Authenticate": "Bearer"},
        )
    return None


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header (None for other schemes)."""
    # the same reading as fastapi's HTTPBearer, which the route dependency uses
    scheme, token = get_authorization_scheme_param(authorization)
    return token if scheme.lower() == "bearer" and token else None


def require_admin(
    settings: Annotated[Settings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)] = None,
) -> None:
    """Writes need ``Authorization: Bearer <CQA_ADMIN_TOKEN>``; with no token set, none pass."""
    refusal = admin_refusal(settings, credentials.credentials if credentials else None)
    if refusal is not None:
        code, detail, headers = refusal
        raise HTTPException(code, detail, headers=headers or None)


EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
AdminDep = Annotated[None, Depends(require_admin)]
IngestEmbedderDep = Annotated[Embedder, Depends(get_ingest_embedder)]
