"""One-line messages for the CLI's failures that do not come from the domain errors.

Pydantic's own wording names internal fields (``date_from``), prefixes ``Value error, ``
and leaves the location blank for a rule over several fields, so the CLI rewrites it in
the words the user typed: option names for request fields, ``CQA_*`` variables for
settings.  A port that cannot be listened on is found before the server says it serves.
"""

from __future__ import annotations

import errno
import re
import socket

from pydantic import ValidationError

# request fields -> the argument or option the user typed
_OPTIONS = {
    "question": "QUESTION",
    "top_k": "--top-k",
    "council": "--council",
    "committee": "--committee",
    "date_from": "--date-from",
    "date_to": "--date-to",
    "doc_type": "--doc-type",
    "kind": "--kind",
    "sort": "--sort",
}
# field names written inside a message ("date_from must not be after date_to")
_FIELD_WORD = re.compile(r"\b(" + "|".join(k for k in _OPTIONS if "_" in k) + r")\b")


def _reason(error: dict[str, object]) -> str:
    """Pydantic's message without its prefix, in lower case, numbers in plain words."""
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    ctx = error.get("ctx")
    limits = ctx if isinstance(ctx, dict) else {}
    kind = error.get("type")
    if kind == "string_too_long":
        message = f"must be at most {limits.get('max_length')} characters"
    elif kind == "string_too_short":
        message = "must not be empty"
    elif kind in ("greater_than_equal", "less_than_equal"):
        bound = limits.get("ge", limits.get("le"))
        message = f"must be {'at least' if kind == 'greater_than_equal' else 'at most'} {bound}"
    return message[:1].lower() + message[1:]


def validation_message(exc: ValidationError) -> str:
    """A pydantic error as one line, naming what the user set (an option or a variable)."""
    settings = exc.title == "Settings"
    parts: list[str] = []
    for error in exc.errors():
        names = [str(part) for part in error.get("loc", ()) if not isinstance(part, int)]
        field = names[-1] if names else ""
        if settings:
            where = f"CQA_{field.upper()}" if field else ""
        else:
            where = _OPTIONS.get(field, field.replace("_", "-"))
        reason = _reason(dict(error))
        if not settings:
            reason = _FIELD_WORD.sub(lambda m: _OPTIONS[m.group(1)], reason)
        line = f"{where}: {reason}" if where else reason
        if line not in parts:
            parts.append(line)
    return "; ".join(parts) or "invalid input"


def check_port(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be listened on, or None when it can (it is left free).

    Like the server (asyncio's ``create_server``), every address the host name resolves to
    is tried, with SO_REUSEADDR, so a port a stopped server left in TIME_WAIT counts as free.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError):
        return f"cannot listen on {host}: not a host name or address this machine knows"
    for family, kind, proto, _, address in dict.fromkeys(infos):
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                return _bind_problem(exc, host, port)
    return None


def _bind_problem(exc: OSError, host: str, port: int) -> str:
    """A failed bind in the user's terms."""
    if exc.errno == errno.EADDRINUSE:
        return (
            f"port {port} on {host} is already in use: stop the other server "
            "or choose another with --port"
        )
    if exc.errno == errno.EACCES:
        return f"no permission to listen on port {port} (ports below 1024 need root)"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on {host}: it is not an address of this machine"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
