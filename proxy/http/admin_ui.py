"""`/admin/ui`: the dashboard's static files (ES modules, CSS, one HTML page) from
proxy/admin_ui/, served by the gateway itself: no CDN, nothing built at install. The files hold
no data; every number on the page comes from the admin API, which wants the admin key."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from proxy.wire.errors import GatewayError

__all__ = ["AdminUI"]

FILES = Path(__file__).resolve().parent.parent / "admin_ui"
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}
# Only the gateway's own scripts and styles run on the page; no frame may hold it.
_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-cache",
}


class AdminUI:
    """The files are read once, at start-up: a handful of small texts."""

    def __init__(self, enabled: bool, folder: Path = FILES) -> None:
        self._enabled = enabled
        self._files = {
            path.name: (path.read_bytes(), _TYPES[path.suffix])
            for path in sorted(folder.iterdir())
            if path.suffix in _TYPES
        }

    def routes(self) -> list[Route]:
        return [
            Route("/admin/ui", self.page, methods=["GET"]),
            Route("/admin/ui/{name}", self.file, methods=["GET"]),
        ]

    async def page(self, request: Request) -> Response:
        return self._serve("index.html")

    async def file(self, request: Request) -> Response:
        return self._serve(request.path_params["name"])

    def _serve(self, name: str) -> Response:
        found = self._files.get(name) if self._enabled else None
        if found is None:
            raise GatewayError(404, f"Unknown path: GET /admin/ui/{name}", code="unknown_url")
        body, media_type = found
        return Response(body, media_type=media_type, headers=_HEADERS)
