"""`/admin/keys`: the keys API over HTTP (see the README's Keys API), behind the admin keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from proxy.http.asgi_io import request_id_from
from proxy.http.routes import standard_headers
from proxy.keyring.admin import MAX_PAGE, KeyAdmin
from proxy.keyring.requests import NewKey, RotateKey
from proxy.wire.errors import GatewayError
from proxy.wire.invalid_body import invalid_request

__all__ = ["KeyRoutes"]

_IDEMPOTENCY_KEY = "idempotency-key"
M = TypeVar("M", bound=BaseModel)


class KeyRoutes:
    def __init__(self, admin: KeyAdmin | None, authorize: Callable[[Request], str]) -> None:
        """`admin`: None when the keys API is off (it needs evidence on)."""
        self._admin = admin
        self._authorize = authorize

    async def create(self, request: Request) -> Response:
        admin, who = self._open(request)
        rid = _request_id(request)
        body = await _body(request, NewKey)
        return _json(request, rid, await admin.create(body, who, rid), 201)

    async def page(self, request: Request) -> Response:
        admin, _ = self._open(request)
        query = request.query_params
        try:
            limit = int(query.get("limit", "20"))
        except ValueError:
            limit = 0
        if not 1 <= limit <= MAX_PAGE:
            raise GatewayError(400, f"limit: give 1 to {MAX_PAGE}.", param="limit")
        page = await admin.page(query.get("after") or None, limit)
        return _json(request, _request_id(request), page)

    async def get(self, request: Request) -> Response:
        admin, _ = self._open(request)
        found = await admin.get(request.path_params["key_id"])
        return _json(request, _request_id(request), found)

    async def rotate(self, request: Request) -> Response:
        admin, who = self._open(request)
        rid = _request_id(request)
        idempotency_key = request.headers.get(_IDEMPOTENCY_KEY)
        if idempotency_key is not None and not (
            16 <= len(idempotency_key) <= 255 and idempotency_key.isprintable()
        ):
            raise GatewayError(
                400,
                "Idempotency-Key: give 16 to 255 printable characters (a random UUID).",
                param="Idempotency-Key",
            )
        body = await _body(request, RotateKey)
        key_id = request.path_params["key_id"]
        answer = await admin.rotate(key_id, body, idempotency_key, who, rid)
        return _json(request, rid, answer)

    async def revoke(self, request: Request) -> Response:
        admin, who = self._open(request)
        rid = _request_id(request)
        return _json(request, rid, await admin.revoke(request.path_params["key_id"], who, rid))

    def _open(self, request: Request) -> tuple[KeyAdmin, str]:
        who = self._authorize(request)
        if self._admin is None:
            raise GatewayError(
                404,
                "The keys API needs evidence on (every change is recorded).",
                code="unknown_url",
            )
        return self._admin, who


async def _body(request: Request, model: type[M]) -> M:
    raw = await request.body()
    try:
        data: Any = orjson.loads(raw) if raw.strip() else {}
    except orjson.JSONDecodeError:
        raise GatewayError(400, "The body is not valid JSON.", code="invalid_json") from None
    if not isinstance(data, dict):
        raise GatewayError(400, "The body must be a JSON object.", code="invalid_json")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_request(exc) from None


def _request_id(request: Request) -> str:
    headers = {k.lower().encode(): v.encode("latin-1") for k, v in request.headers.items()}
    return request_id_from(headers)


def _json(request: Request, rid: str, payload: object, status: int = 200) -> Response:
    """The same request id in the answer as in the evidence of the change."""
    headers = {**standard_headers(request), "x-request-id": rid}
    return Response(orjson.dumps(payload), status, headers, media_type="application/json")
