"""ASGI middleware for the HTTP edge: a request body size limit and security headers.

Written as plain ASGI rather than Starlette's BaseHTTPMiddleware so a too-large body is
refused while it streams in (before it is held in memory), whether or not the client
sent Content-Length.
"""
from __future__ import annotations

import json
from typing import Any

Scope = dict[str, Any]

# The dashboard needs nothing from other origins; inline scripts and styles are off so
# that markup inside article text could not run even if it ever reached the page as HTML.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'none'",
    "frame-ancestors 'none'", "form-action 'self'",
])
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("ascii")),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class TooLarge(Exception):
    pass


async def _send_json(send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode("ascii"))]})
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    """Answer 413 to a request whose body is larger than `max_bytes`."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        message = (f"the request body is larger than the limit of {self.max_bytes:,} bytes; "
                   f"send fewer articles per request")
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _send_json(send, 413, message)
            return
        seen = 0
        started = False

        async def limited_receive():
            nonlocal seen
            event = await receive()
            if event["type"] == "http.request":
                seen += len(event.get("body", b""))
                if seen > self.max_bytes:
                    raise TooLarge
            return event

        async def tracking_send(event):
            nonlocal started
            if event["type"] == "http.response.start":
                started = True
            await send(event)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except TooLarge:
            if not started:
                await _send_json(send, 413, message)


class SecurityHeaders:
    """Add CSP and related headers to every HTTP response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope: Scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(event):
            if event["type"] == "http.response.start":
                names = {name.lower() for name, _ in event.get("headers", [])}
                event = {**event, "headers": [*event.get("headers", []),
                                              *[h for h in SECURITY_HEADERS if h[0] not in names]]}
            await send(event)

        await self.app(scope, receive, with_headers)
