"""Limits applied before any route reads a request body.

``BodySizeLimit`` picks the limit by route, never by the content type a client declares:
only an upload may be large, every other body (a question, a comparison) is small.  A
declared ``Content-Length`` over the limit is answered 413 at once, without reading the
body.  Every body is also counted while it streams in (chunked transfer has no length), and
the request is cut off with 413 the moment it passes the limit: nothing is buffered here.

``TokenFirst`` refuses an upload without the admin token before a byte of its body is
read, so a client without the token cannot make the server receive or store anything.

``SettingsLimits`` puts the app's own question and ``top_k`` limits in force while a request
is handled, so that the request schemas check those (``qa_service/request_limits.py``).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from qa_service.config import Settings
from qa_service.request_limits import applying

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
# (status, detail, extra headers) or None: lets the token check live in deps.py alone
Refusal = tuple[int, str, dict[str, str]]

UPLOAD = ("POST", "/api/documents")  # the one route whose body may be large


async def _reply(send: Send, status: int, detail: str, extra: dict[str, str] | None = None) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    headers += [(k.lower().encode(), v.encode()) for k, v in (extra or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _route(scope: Scope) -> tuple[str, str]:
    return str(scope.get("method", "")).upper(), str(scope.get("path", "")).rstrip("/")


class BodySizeLimit:
    """ASGI middleware: 413 for bodies over ``max_bytes`` (uploads) or ``max_json_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_json_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_json_bytes = max_json_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the declared size, then count the body as the app reads it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes if _route(scope) == UPLOAD else self.max_json_bytes
        too_big = f"the request body is larger than the limit of {limit} bytes"
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                await _reply(send, 400, "the Content-Length header is not a number")
                return
            if size > limit:
                await _reply(send, 413, too_big)
                return
        received = 0
        started = False  # the app's response has begun: too late for our 413
        cut = False  # we answered 413: whatever the app sends after is dropped

        async def counted() -> Message:
            nonlocal received, cut
            if cut:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    cut = True
                    if not started:
                        await _reply(send, 413, too_big)
                    # the app sees a client that went away, and stops reading
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if cut and not started:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, counted, guarded)


class TokenFirst:
    """ASGI middleware: an upload without a valid token is refused before its body is read.

    ``refuse(authorization_header)`` is the same check the route's dependency makes.
    """

    def __init__(self, app: ASGIApp, refuse: Callable[[str | None], Refusal | None]) -> None:
        self.app = app
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 401/403 at once for an upload the route would refuse anyway."""
        if scope["type"] == "http" and _route(scope) == UPLOAD:
            headers = dict(scope.get("headers") or [])
            raw = headers.get(b"authorization")
            refusal = self.refuse(raw.decode("latin-1") if raw is not None else None)
            if refusal is not None:
                status, detail, extra = refusal
                await _reply(send, status, detail, extra)
                return
        await self.app(scope, receive, send)


class SettingsLimits:
    """ASGI middleware: the request schemas check ``settings``' limits, not the defaults."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle the request with the app's limits in force."""
        with applying(self.settings):
            await self.app(scope, receive, send)
