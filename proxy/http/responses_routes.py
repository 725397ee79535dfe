"""`GET` and `DELETE /v1/responses/{id}` and `GET /v1/responses/{id}/input_items`: a stored
response read back, deleted or listed, only by the principal that made it (anyone else, like
an expired or unknown id, gets a 404)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response

from governance.failure_log import describe_failure
from proxy.call import Principal
from proxy.http.asgi_io import credential_from
from proxy.http.errors import GatewayError, bad_request
from proxy.http.routes import json_response
from proxy.middleware.auth import unauthorized
from proxy.response_store import Conversation, ResponseState
from proxy.response_store.state import owner_of
from proxy.translate.responses_response import items_from_messages

__all__ = ["ResponsesRoutes"]

log = logging.getLogger("metaqore")
_MAX_LIMIT = 100


class ResponsesRoutes:
    def __init__(
        self, state: ResponseState | None, principal_for: Callable[[str | None], Principal | None]
    ) -> None:
        """`principal_for` is the auth stage's own lookup (config keys, then the keys API)."""
        self._state = state
        self._principal_for = principal_for

    async def get(self, request: Request) -> Response:
        conversation = await self._conversation(request)
        return json_response(request, conversation.response)

    async def delete(self, request: Request) -> Response:
        response_id = request.path_params["response_id"]
        state, owner = self._state, self._owner(request)
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

    async def input_items(self, request: Request) -> Response:
        conversation = await self._conversation(request)
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

    async def _conversation(self, request: Request) -> Conversation:
        response_id = request.path_params["response_id"]
        owner = self._owner(request)
        conversation = None
        if self._state is not None:
            try:
                conversation = await self._state.load(response_id, owner)
            except Exception as exc:
                raise _unavailable(exc) from None
        if conversation is None:
            raise _not_found(response_id)
        return conversation

    def _owner(self, request: Request) -> str:
        headers = {k.lower().encode(): v.encode("latin-1") for k, v in request.headers.items()}
        credential = credential_from(headers)
        principal = self._principal_for(credential)
        if principal is None:
            raise unauthorized(credential)
        return owner_of(principal)


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
