"""`GET` and `DELETE /v1/responses/{id}` and `GET /v1/responses/{id}/input_items`: a stored
response read back, deleted or listed, only by the principal that made it (anyone else, like
an expired or unknown id, gets a 404). `POST /v1/responses/{id}/cancel` answers as OpenAI does
for a response not made with `background: true` (the gateway makes none).

Each of these calls is one evidence record (`responses.get`, `.delete`, `.input_items`,
`.cancel`): who asked, for which id (in `route`), and the outcome; never content."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from governance.evidence import EvidenceRecord, utc_now
from governance.failure_log import describe_failure
from proxy.call import Principal
from proxy.http.asgi_io import credential_from, request_id_from
from proxy.http.routes import json_response
from proxy.middleware.auth import unauthorized
from proxy.middleware.evidence import base_record, outcome_of
from proxy.response_store import Conversation, ResponseState
from proxy.response_store.state import owner_of
from proxy.translate.responses_response import items_from_messages
from proxy.wire.errors import GatewayError, bad_request

__all__ = ["ResponsesRoutes"]

log = logging.getLogger("metaqore")
_MAX_LIMIT = 100
# The gateway's own response ids; anything else a client puts in the path is not recorded.
_RESPONSE_ID = re.compile(r"resp_[0-9a-f]{48}")
Record = Callable[[EvidenceRecord], Awaitable[object]]
Serve = Callable[[Request, Principal], Awaitable[Response]]


class ResponsesRoutes:
    def __init__(
        self,
        state: ResponseState | None,
        principal_for: Callable[[str | None], Principal | None],
        record: Record | None = None,
    ) -> None:
        """`principal_for` is the auth stage's own lookup (config keys, then the keys API);
        `record` writes an evidence record (None: evidence is off)."""
        self._state = state
        self._principal_for = principal_for
        self._record = record

    async def get(self, request: Request) -> Response:
        return await self._recorded(request, "get", self._get)

    async def delete(self, request: Request) -> Response:
        return await self._recorded(request, "delete", self._delete)

    async def input_items(self, request: Request) -> Response:
        return await self._recorded(request, "input_items", self._input_items)

    async def cancel(self, request: Request) -> Response:
        return await self._recorded(request, "cancel", self._cancel)

    async def _recorded(self, request: Request, what: str, serve: Serve) -> Response:
        """`serve` answered, and its evidence record written; the same request id in both."""
        started = time.perf_counter()
        headers = {k.lower().encode(): v.encode("latin-1") for k, v in request.headers.items()}
        request_id = request_id_from(headers)
        principal: Principal | None = None
        try:
            principal = self._principal(headers)
            response = await serve(request, principal)
        except GatewayError as error:
            error.headers["x-request-id"] = request_id
            await self._write(request, what, request_id, principal, started, error)
            raise
        response.headers["x-request-id"] = request_id
        await self._write(request, what, request_id, principal, started, None)
        return response

    async def _write(
        self, request: Request, what: str, request_id: str, principal: Principal | None,
        started: float, error: GatewayError | None,
    ) -> None:  # fmt: skip
        if self._record is None:
            return
        status = error.status if error is not None else 200
        outcome = outcome_of(status) if error is not None else "completed"
        record = base_record(
            request_id, utc_now(), f"responses.{what}", principal, status, outcome
        )
        response_id = request.path_params["response_id"]
        record.route = response_id if _RESPONSE_ID.fullmatch(response_id) else "unknown"
        record.error_code = error.code if error is not None else None
        record.latency_ms = round((time.perf_counter() - started) * 1000, 3)
        await self._record(record)

    async def _get(self, request: Request, principal: Principal) -> Response:
        conversation = await self._conversation(request, principal)
        return json_response(request, conversation.response)

    async def _cancel(self, request: Request, principal: Principal) -> Response:
        await self._conversation(request, principal)  # an id this key cannot see is a 404
        raise bad_request(
            "Only responses created with background=true can be cancelled.", "response_id"
        )

    async def _delete(self, request: Request, principal: Principal) -> Response:
        response_id = request.path_params["response_id"]
        state, owner = self._state, owner_of(principal)
        deleted = False
        if state is not None:
            try:
                deleted = await state.delete(response_id, owner)
            except Exception as exc:
                raise _unavailable(exc) from None
        if not deleted:
            raise _not_found(response_id)
        return json_response(
            request, {"id": response_id, "object": "response.deleted", "deleted": True}
        )

    async def _input_items(self, request: Request, principal: Principal) -> Response:
        conversation = await self._conversation(request, principal)
        query = request.query_params
        order = query.get("order", "desc")
        limit_text = query.get("limit", "20")
        if order not in ("asc", "desc"):
            raise bad_request("Invalid 'order': expected 'asc' or 'desc'.", "order")
        if not limit_text.isdigit() or not 1 <= int(limit_text) <= _MAX_LIMIT:
            raise bad_request(f"Invalid 'limit': expected 1 to {_MAX_LIMIT}.", "limit")
        messages = conversation.context[conversation.input_from : conversation.input_to]
        items = items_from_messages(messages, conversation.response["id"].removeprefix("resp_"))
        if order == "desc":
            items.reverse()
        after = query.get("after")
        if after is not None:
            ids = [item["id"] for item in items]
            items = items[ids.index(after) + 1 :] if after in ids else []
        page = items[: int(limit_text)]
        return json_response(
            request,
            {
                "object": "list",
                "data": page,
                "first_id": page[0]["id"] if page else None,
                "last_id": page[-1]["id"] if page else None,
                "has_more": len(items) > len(page),
            },
        )

    async def _conversation(self, request: Request, principal: Principal) -> Conversation:
        response_id = request.path_params["response_id"]
        owner = owner_of(principal)
        conversation = None
        if self._state is not None:
            try:
                conversation = await self._state.load(response_id, owner)
            except Exception as exc:
                raise _unavailable(exc) from None
        if conversation is None:
            raise _not_found(response_id)
        return conversation

    def _principal(self, headers: dict[bytes, bytes]) -> Principal:
        credential = credential_from(headers)
        principal = self._principal_for(credential)
        if principal is None:
            raise unauthorized(credential)
        return principal


def _not_found(response_id: str) -> GatewayError:
    return GatewayError(
        404, f"Response with id '{response_id}' not found.", code="response_not_found",
        param="response_id",
    )  # fmt: skip


def _unavailable(exc: Exception) -> GatewayError:
    log.error("response store failed: %s", describe_failure(exc))
    return GatewayError(
        503, "Stored responses are unavailable right now.", code="response_store_unavailable"
    )
