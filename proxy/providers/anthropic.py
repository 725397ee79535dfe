"""Anthropic's Messages API behind the provider protocol. The translation is pure functions in
proxy/translate/; this class only moves bytes (over the same aiohttp transport, timeouts and
error mapping as every OpenAI-compatible upstream)."""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator
from typing import Any

import aiohttp
import orjson

from proxy.call import Reply
from proxy.config.providers import AnthropicProviderConfig
from proxy.http.sse import DONE, SSEFramer, event_data, json_event
from proxy.providers.base import ProviderRequest, UpstreamError
from proxy.providers.eager_upload import eager_upload
from proxy.providers.openai_compatible import OpenAICompatibleProvider
from proxy.providers.transport_failures import TRANSPORT_FAILURES, mid_stream_failure
from proxy.providers.upstream_errors import forwarded_headers, unreadable_event
from proxy.translate.anthropic_request import to_messages_request
from proxy.translate.anthropic_response import StreamError, StreamTranslator, to_completion

__all__ = ["AnthropicProvider"]


class AnthropicProvider(OpenAICompatibleProvider):
    def __init__(self, config: AnthropicProviderConfig) -> None:
        super().__init__(config)
        self._anthropic = config
        self._headers = {
            "content-type": "application/json",
            "anthropic-version": config.anthropic_version,
        }
        if config.api_key is not None:
            self._headers["x-api-key"] = config.api_key.get_secret_value()

    def url(self, path: str, model: str) -> str:
        return f"{self._base}/v1/models" if path == "/models" else f"{self._base}/v1/messages"

    async def complete(self, request: ProviderRequest) -> Reply:
        started = time.perf_counter()
        response = await self._post("/chat/completions", request, self._body(request))
        message = _message(await self._read(response))
        if message is None:
            raise self._not_messages("answered 200 with a body that is not a Messages reply")
        completion = to_completion(message, request.model, _json_mode(request.body))
        return Reply(
            status=200,
            route=f"{self.name}/{request.model}",
            headers=forwarded_headers(response.raw_headers),
            body=orjson.dumps(completion),
            usage=completion["usage"],
            upstream_s=time.perf_counter() - started,
        )

    async def stream(self, request: ProviderRequest) -> Reply:
        started = time.perf_counter()
        with eager_upload():
            response = await self._post("/chat/completions", request, self._body(request))
        try:
            await self._raise_for_status(response)
            if "text/event-stream" not in response.headers.get("content-type", ""):
                raise self._not_messages("answered a stream request without an SSE stream")
        except BaseException:
            response.close()
            raise
        translator = StreamTranslator(request.model, _json_mode(request.body))
        return Reply(
            status=200,
            route=f"{self.name}/{request.model}",
            headers=forwarded_headers(response.raw_headers),
            events=self._translated(response, translator),
            upstream_s=time.perf_counter() - started,
        )

    async def embed(self, request: ProviderRequest) -> Reply:
        raise UpstreamError(
            400,
            f"'{request.model}' on '{self.name}' (Anthropic) has no embeddings endpoint.",
            kind="status",
            retryable=False,
            code="unsupported_endpoint",
        )

    def _body(self, request: ProviderRequest) -> bytes:
        return orjson.dumps(
            to_messages_request(request.body, request.model, self._anthropic.default_max_tokens)
        )

    async def _translated(
        self, response: aiohttp.ClientResponse, translator: StreamTranslator
    ) -> AsyncGenerator[bytes, None]:
        framer = SSEFramer()
        idle_s = self._anthropic.read_timeout_s
        try:
            async for data in response.content.iter_any():
                events = framer.feed(data)
                if not events and framer.waiting_s() > idle_s:
                    raise self._no_whole_event()
                for event in events:
                    payload = event_data(event)
                    if payload is None:
                        continue
                    for chunk in translator.feed(self._message_event(event, payload)):
                        yield json_event(chunk)
                if translator.finished:
                    break
        except StreamError as exc:
            retryable = exc.kind == "overloaded_error"
            raise UpstreamError(
                503 if retryable else 502,
                f"upstream '{self.name}' failed mid-stream: {exc.kind}: {exc.message}",
                kind="status",
                retryable=False,
                code=exc.kind,
            ) from exc
        except TRANSPORT_FAILURES as exc:
            raise mid_stream_failure(self.name, exc) from exc
        finally:
            response.release()
        if not translator.finished:
            raise UpstreamError(
                502,
                f"upstream '{self.name}' ended the stream before message_stop",
                kind="protocol",
                retryable=False,
                code="upstream_stream_incomplete",
            )
        yield DONE

    def _message_event(self, event: bytes, payload: bytes) -> dict[str, Any]:
        try:
            parsed = orjson.loads(payload)
        except orjson.JSONDecodeError:
            raise unreadable_event(self.name, event) from None
        if not isinstance(parsed, dict):
            raise unreadable_event(self.name, event, "is not a JSON object")
        return parsed

    def _not_messages(self, what: str) -> UpstreamError:
        return UpstreamError(
            502,
            f"upstream '{self.name}' {what}",
            kind="protocol",
            retryable=True,
            code="bad_upstream_response",
        )


def _json_mode(body: dict[str, Any]) -> bool:
    fmt = body.get("response_format")
    return isinstance(fmt, dict) and fmt.get("type") == "json_schema"


def _message(data: bytes) -> dict[str, Any] | None:
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    if isinstance(parsed, dict) and parsed.get("type") == "message":
        return parsed
    return None
