"""The Responses API's stored state, as two stages of that endpoint's chain.

`ResponseHistoryStage` (after auth, before the scan) puts the conversation a
`previous_response_id` names in front of the new input, so every prior turn is judged again
with it; another principal's id, or an expired one, is a 404. `ResponseKeepStage` (after the
judging stages) sees the request as governance let it through and the answer before
pseudonyms are restored, and stores that: a whole answer before it is returned, a stream
before its last event, so a follow-up on any replica finds it at once.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator, Mapping
from typing import Any

import orjson

from governance.failure_log import describe_failure
from governance.sensitivity import EntityType, Level
from proxy.call import Call, Next, Reply
from proxy.middleware.output_scan import mask_answer, output_actions
from proxy.response_store import Conversation, ResponseState
from proxy.response_store.state import owner_of
from proxy.translate.responses_request import ResponseTurn
from proxy.translate.responses_response import output_of
from proxy.translate.responses_stream import ChatAssembly
from proxy.wire.errors import GatewayError
from proxy.wire.sse import event_data

__all__ = ["ResponseHistoryStage", "ResponseKeepStage"]

log = logging.getLogger("metaqore")


def _turn(call: Call) -> ResponseTurn:
    turn = call.turn
    assert turn is not None, "only the Responses endpoint's chain has these stages"
    return turn


def _unavailable(call: Call, exc: Exception) -> GatewayError:
    log.error("request %s: response store failed: %s", call.request_id, describe_failure(exc))
    return GatewayError(
        503, "Stored responses are unavailable right now.", code="response_store_unavailable"
    )


class ResponseHistoryStage:
    def __init__(self, state: ResponseState | None) -> None:
        self._state = state

    async def __call__(self, call: Call, next_: Next) -> Reply:
        turn = _turn(call)
        previous = turn.previous_response_id
        if previous is not None:
            conversation = await self._load(call, previous)
            messages = call.body["messages"]
            at = 1 if turn.instructed else 0
            call.body = {
                **call.body,
                "messages": [*messages[:at], *conversation.context, *messages[at:]],
            }
            turn.history = len(conversation.context)
        return await next_(call)

    async def _load(self, call: Call, response_id: str) -> Conversation:
        conversation = None
        if self._state is not None:
            try:
                conversation = await self._state.load(response_id, owner_of(call.principal))
            except Exception as exc:
                raise _unavailable(call, exc) from None
        if conversation is None:
            raise GatewayError(
                404,
                f"Previous response with id '{response_id}' not found.",
                code="previous_response_not_found",
                param="previous_response_id",
            )
        return conversation


class ResponseKeepStage:
    def __init__(
        self, state: ResponseState | None, output_levels: Mapping[EntityType, Level] | None = None
    ) -> None:
        """`output_levels`: with `governance.scan_responses`, the stored answer is masked as
        the client's whole answer is (a streamed one too, which the client got unmasked)."""
        self._state = state
        self._output_levels = output_levels

    async def __call__(self, call: Call, next_: Next) -> Reply:
        turn = _turn(call)
        # What the answer repeats of the request, as governance left it.
        if "metadata" in call.body:
            body = dict(call.body)
            turn.echo["metadata"] = body.pop("metadata")  # stored and repeated, never sent on
            call.body = body
        if turn.instructed:
            turn.echo["instructions"] = call.body["messages"][0]["content"]
        if self._state is None or not turn.store:
            turn.store = False
            return await next_(call)
        messages = call.body["messages"]
        reply = await next_(call)
        if reply.status != 200:
            return reply
        if reply.events is not None:
            reply.events = self._kept_stream(call, turn, messages, reply.events)
        elif reply.body is not None:
            await self._save(call, turn, messages, orjson.loads(reply.body))
        return reply

    async def _kept_stream(
        self, call: Call, turn: ResponseTurn, messages: list[dict[str, Any]],
        events: AsyncGenerator[bytes, None],
    ) -> AsyncGenerator[bytes, None]:  # fmt: skip
        assembly = ChatAssembly()
        try:
            async for event in events:
                data = event_data(event)
                if data is not None and data.startswith(b"{"):
                    assembly.feed(orjson.loads(data))
                elif data is not None and data.startswith(b"[DONE]"):
                    await self._save(call, turn, messages, assembly.completion())
                yield event
        finally:
            await events.aclose()

    async def _save(
        self, call: Call, turn: ResponseTurn, messages: list[dict[str, Any]],
        completion: dict[str, Any],
    ) -> None:  # fmt: skip
        assert self._state is not None
        if self._output_levels is not None and call.verdict is not None:
            mask_answer(completion, output_actions(call, self._output_levels))
        start = 1 if turn.instructed else 0
        choice = (completion.get("choices") or [{}])[0]
        message = choice.get("message") or {}
        # A refusal is what the model said, as a refusal part of a client's input item is.
        said = "".join(message.get(k) or "" for k in ("content", "refusal"))
        answer: dict[str, Any] = {"role": "assistant", "content": said or None}
        if message.get("tool_calls"):
            answer["tool_calls"] = message["tool_calls"]
        conversation = Conversation(
            response=output_of(turn, completion),
            context=[*messages[start:], answer],
            input_from=turn.history,
            input_to=len(messages) - start,
        )
        try:
            await self._state.save(owner_of(call.principal), conversation)
        except Exception as exc:
            raise _unavailable(call, exc) from None
