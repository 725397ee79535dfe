"""Who may call `/admin/*`: the admin keys of the config's `admin` section."""

from __future__ import annotations

import hmac

from starlette.requests import Request

from proxy.config.keys import digest_of, digest_of_ref
from proxy.config.sections import AdminConfig
from proxy.http.asgi_io import credential_from
from proxy.wire.errors import GatewayError

__all__ = ["AdminKeys"]


class AdminKeys:
    def __init__(self, admin: AdminConfig | None) -> None:
        # (digest, who): evidence of a key change names the admin key that made it.
        self._admins = [
            (digest_of_ref(k), f"admin:{k.name or position}")
            for position, k in enumerate(admin.keys if admin is not None else [], 1)
        ]

    @property
    def enabled(self) -> bool:
        return bool(self._admins)

    def authorize(self, request: Request) -> str:
        """Who is asking (`admin:<name>`), or a 404 (no admin keys) or 401 error."""
        if not self._admins:
            raise GatewayError(
                404, "Admin endpoints are off: the config has no 'admin' keys.", code="unknown_url"
            )
        headers = {k.lower().encode(): v.encode("latin-1") for k, v in request.headers.items()}
        credential = credential_from(headers)
        presented = digest_of(credential) if credential else b""
        who = None
        for digest, name in self._admins:
            if hmac.compare_digest(presented, digest):  # every digest compared: no early exit
                who = who or name
        if who is None:
            raise GatewayError(401, "This endpoint needs an admin key.", code="invalid_api_key")
        return who
