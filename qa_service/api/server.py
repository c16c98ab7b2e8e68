"""Run the app under uvicorn with limits for slow and many clients.

uvicorn closes an idle kept-alive connection after ``timeout_keep_alive``, but it has no
limit on how long a client may take to send a request's headers: 5,000 connections that
each sent half a request line stayed open for good, and about 20,000 used up the file
descriptors, after which every ``/health`` failed.  So ``cqa serve`` runs with:

- a header-read timeout (``CQA_HEADER_TIMEOUT``, 10 s): a connection whose request headers
  are not complete that long after it opened (or after the request began) is closed;
- ``CQA_KEEP_ALIVE_TIMEOUT`` (5 s) for idle kept-alive connections;
- ``CQA_LIMIT_CONCURRENCY`` (4,096) open connections and tasks, beyond which new requests get
  503 at once rather than the server running out of descriptors; and the process's soft
  limit on open files raised to fit it (up to the hard limit).
"""

from __future__ import annotations

import asyncio
import logging
import resource
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from qa_service.config import Settings

logger = logging.getLogger("qa_service")
SPARE_FILES = 256  # descriptors beyond the connections: index files, the model, logs


class HeaderTimeoutProtocol(HttpToolsProtocol):
    """uvicorn's HTTP protocol, closing a connection whose headers arrive too slowly."""

    header_timeout: float = 10.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock: the first request's headers are due within the timeout."""
        self._header_timer: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._arm()

    def on_message_begin(self) -> None:
        """A new request on a kept-alive connection: its headers are due in turn."""
        super().on_message_begin()
        if self._header_timer is None:
            self._arm()

    def on_headers_complete(self) -> None:
        """The headers are in: the request is the app's to time from here."""
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clock with the connection."""
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._header_timer = self.loop.call_later(self.header_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()


def protocol_with_timeout(seconds: float) -> type[HeaderTimeoutProtocol]:
    """The protocol class with ``seconds`` as its header-read timeout."""
    return type("HeaderTimeout", (HeaderTimeoutProtocol,), {"header_timeout": seconds})


def allow_open_files(wanted: int) -> int:
    """Raise this process's soft limit on open files towards ``wanted``; returns the limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft


def server_options(settings: Settings) -> dict[str, Any]:
    """The uvicorn options for these settings, with the open-files limit raised to fit."""
    files = allow_open_files(settings.limit_concurrency + SPARE_FILES)
    limit = settings.limit_concurrency
    if files != resource.RLIM_INFINITY and files - SPARE_FILES < limit:
        limit = max(1, files - SPARE_FILES)
        logger.warning("only %d open files allowed: limit_concurrency lowered to %d", files, limit)
    return {
        "http": protocol_with_timeout(settings.header_timeout),
        "timeout_keep_alive": settings.keep_alive_timeout,
        "limit_concurrency": limit,
    }


def run(app: Any, host: str, port: int, settings: Settings) -> None:
    """Serve ``app`` on ``host:port`` with the limits above."""
    uvicorn.run(app, host=host, port=port, log_level="warning", **server_options(settings))
