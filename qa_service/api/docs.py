"""The interactive API docs, ``/docs`` (Swagger UI) and ``/redoc``, served offline.

FastAPI's own pages load their scripts from a CDN, so they are blank without a network.
Here the scripts and styles come from the files the ``fastapi-offline`` package installs
(Swagger UI 5 and ReDoc 2 bundles), mounted under ``/static/api-docs``.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse

ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"
ASSETS_URL = "/static/api-docs"

router = APIRouter(include_in_schema=False)


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI over ``/openapi.json``, its script and style served from the package."""
    root = request.scope.get("root_path", "")
    return get_swagger_ui_html(
        openapi_url=f"{root}/openapi.json",
        title="Committee Papers QA – API",
        oauth2_redirect_url=f"{root}/docs/oauth2-redirect",
        swagger_js_url=f"{root}{ASSETS_URL}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{ASSETS_URL}/swagger-ui.css",
        swagger_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
    )


@router.get("/docs/oauth2-redirect")
def swagger_ui_redirect() -> HTMLResponse:
    """The page Swagger UI returns to after an OAuth2 sign-in."""
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    """ReDoc over ``/openapi.json``, without web fonts, its script served from the package."""
    root = request.scope.get("root_path", "")
    return get_redoc_html(
        openapi_url=f"{root}/openapi.json",
        title="Committee Papers QA – API reference",
        redoc_js_url=f"{root}{ASSETS_URL}/redoc.standalone.js",
        redoc_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
        with_google_fonts=False,
    )


def install(app: FastAPI) -> None:
    """Serve the docs pages and their assets (the app is made with docs_url=None)."""
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS), name="api-docs")
    app.include_router(router)
