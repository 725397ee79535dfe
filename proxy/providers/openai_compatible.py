"""Any OpenAI-compatible upstream (OpenAI, vLLM, llama.cpp's server, Ollama's /v1).

The fast path: the client's bytes go up unchanged when nothing changed them, and the upstream's
bytes come back as they arrive; only usage and errors are parsed. aiohttp is the client here
because it was measured cheapest per proxied call; httpx serves the off-path health probe.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Callable
from typing import Any

import aiohttp
import httpx
import orjson

from proxy.call import Reply
from proxy.config.providers import OpenAIProviderConfig
from proxy.providers.base import Health, ProviderRequest, UpstreamError
from proxy.providers.connection_slots import ConnectionSlots
from proxy.providers.eager_upload import eager_upload
from proxy.providers.event_check import CHUNK, END
from proxy.providers.event_check import kind as event_kind
from proxy.providers.transport_failures import (
    TRANSPORT_FAILURES,
    mid_stream_failure,
    timed_out,
    upstream_failure,
)
from proxy.providers.upstream_errors import (
    error_from_status,
    error_in_stream,
    forwarded_headers,
    unreadable_event,
)
from proxy.wire.sse import STREAM_END, SSEFramer, event_json

__all__ = ["OpenAICompatibleProvider", "json_object"]

_MAX_ERROR_BODY = 64 * 1024
ReadEvents = Callable[[aiohttp.ClientResponse], AsyncGenerator[bytes, None]]


class OpenAICompatibleProvider:
    serves_text_completions = True

    def __init__(self, config: OpenAIProviderConfig) -> None:
        self.name = config.name
        self._config = config
        self._base = config.base_url.rstrip("/")
        self._headers = {"content-type": "application/json"}
        if config.api_key is not None:
            self._headers["authorization"] = f"Bearer {config.api_key.get_secret_value()}"
        self._timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=config.connect_timeout_s, sock_read=config.read_timeout_s
        )
        self._session: aiohttp.ClientSession | None = None
        self._slots = ConnectionSlots(config.max_connections, config.pool_timeout_s)
        self.speaks_responses = config.responses == "native"

    def models(self) -> list[str]:
        return list(self._config.models)

    async def complete(self, request: ProviderRequest) -> Reply:
        return await self._whole("/chat/completions", request, "choices")

    async def embed(self, request: ProviderRequest) -> Reply:
        return await self._whole("/embeddings", request, "data")

    async def stream(self, request: ProviderRequest) -> Reply:
        return await self._stream_at("/chat/completions", request)

    async def text_completion(self, request: ProviderRequest, stream: bool) -> Reply:
        if stream:
            return await self._stream_at("/completions", request)
        return await self._whole("/completions", request, "choices")

    async def responses(self, request: ProviderRequest, stream: bool) -> Reply:
        body = {**request.body, "model": self.upstream_model(request.model)}
        sent = ProviderRequest(request.request_id, request.model, body, None, request.headers)
        if not stream:
            return await self._whole("/responses", sent, "output")
        return await self._stream_at("/responses", sent, orjson.dumps(body), self._typed_events)

    def _typed_events(self, response: aiohttp.ClientResponse) -> AsyncGenerator[bytes, None]:
        return self._events(response, typed=True)

    def upstream_model(self, model: str) -> str:
        """What this backend calls `model` (Azure: its deployment), for a body that names it
        where the URL does not (a Responses call)."""
        return model

    async def _stream_at(
        self, path: str, request: ProviderRequest, body: bytes | None = None,
        read: ReadEvents | None = None,
    ) -> Reply:  # fmt: skip
        """`body` and `read`: by default a chat or text completion stream's (usage asked
        for, ending at `data: [DONE]`)."""
        body = self._stream_body(request) if body is None else body
        read = self._events if read is None else read
        started = time.perf_counter()
        with eager_upload():  # a stream's first token waits on this request leaving
            response = await self._post(path, request, body)
        try:
            await self._raise_for_status(response)
            if "text/event-stream" not in response.headers.get("content-type", ""):
                raise UpstreamError(
                    502,
                    f"upstream '{self.name}' answered a stream request without an SSE stream",
                    kind="protocol",
                    retryable=True,
                    code="bad_upstream_response",
                )
        except BaseException:
            response.close()
            raise
        return Reply(
            status=200,
            route=f"{self.name}/{request.model}",
            headers=forwarded_headers(response.raw_headers),
            events=read(response),
            upstream_s=time.perf_counter() - started,
        )

    def url(self, path: str, model: str) -> str:
        """Where a call for `model` goes; `path` is `/chat/completions`, `/completions`,
        `/embeddings`, `/responses` or `/models`."""
        del model
        return self._base + path

    async def health(self) -> Health:
        headers = {k: v for k, v in self._headers.items() if k != "content-type"}
        try:
            async with httpx.AsyncClient(timeout=self._config.connect_timeout_s) as client:
                answer = await client.get(self.url("/models", ""), headers=headers)
        except httpx.HTTPError as exc:
            return Health(ok=False, detail=f"{type(exc).__name__}: {exc}")
        return Health(
            ok=answer.status_code == 200,
            detail=f"GET /models answered {answer.status_code}",
            status=answer.status_code,
        )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _stream_body(self, request: ProviderRequest) -> bytes:
        # Usage is wanted for every call (limits, evidence, metrics): ask for it even when the
        # client did not; the gateway strips that chunk again for such clients.
        options = request.body.get("stream_options")
        has_usage = isinstance(options, dict) and options.get("include_usage") is True
        if has_usage or not self._config.stream_usage:
            return request.raw if request.raw is not None else orjson.dumps(request.body)
        merged = dict(options) if isinstance(options, dict) else {}
        merged["include_usage"] = True
        return orjson.dumps({**request.body, "stream_options": merged})

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._config.max_connections),
                timeout=self._timeout,
            )
        return self._session

    async def _post(
        self, path: str, request: ProviderRequest, body: bytes
    ) -> aiohttp.ClientResponse:
        # OpenAI's header for a caller's request id; `x-request-id` itself is refused by some
        # servers (llama.cpp's Python server answers 400 to one that is not a UUID). The
        # backend's own headers (credentials) win over any passed on from the client.
        headers = {**request.headers, **self._headers, "x-client-request-id": request.request_id}
        if not await self._slots.take():
            raise self._pool_busy()
        try:
            response = await self._send(self.url(path, request.model), body, headers)
        except BaseException:
            self._slots.give_back()
            raise
        self._slots.hold(response)
        return response

    async def _send(self, url: str, body: bytes, headers: dict[str, str]) -> aiohttp.ClientResponse:
        try:
            return await self._client().post(url, data=body, headers=headers)
        except TRANSPORT_FAILURES as exc:
            raise upstream_failure(self.name, exc, "waiting for the answer", sent=False) from exc

    async def _whole(self, path: str, request: ProviderRequest, key: str) -> Reply:
        body = request.raw if request.raw is not None else orjson.dumps(request.body)
        started = time.perf_counter()
        response = await self._post(path, request, body)
        data = await self._read(response)
        parsed = json_object(data)
        if parsed is None or not isinstance(parsed.get(key), list):
            raise UpstreamError(
                502,
                f"upstream '{self.name}' answered 200 with a body that is not OpenAI JSON",
                kind="protocol",
                retryable=True,
                code="bad_upstream_response",
            )
        usage = parsed.get("usage")
        return Reply(
            status=200,
            route=f"{self.name}/{request.model}",
            headers=forwarded_headers(response.raw_headers),
            body=data,
            usage=usage if isinstance(usage, dict) else None,
            upstream_s=time.perf_counter() - started,
        )

    async def _read(self, response: aiohttp.ClientResponse) -> bytes:
        """A whole answer's body, or the error its status or a broken read stands for."""
        try:
            await self._raise_for_status(response)
            return await response.read()
        except TRANSPORT_FAILURES as exc:
            raise upstream_failure(self.name, exc, "waiting for the answer", sent=True) from exc
        finally:
            response.release()

    async def _raise_for_status(self, response: aiohttp.ClientResponse) -> None:
        if response.status < 400:
            return
        try:
            data = await response.content.read(_MAX_ERROR_BODY)
        except TRANSPORT_FAILURES:
            data = b""
        raise error_from_status(
            self.name, response.status, data, response.headers.get("retry-after")
        )

    async def _events(
        self, response: aiohttp.ClientResponse, typed: bool = False
    ) -> AsyncGenerator[bytes, None]:
        """Whole events as they complete. `typed`: a Responses stream's, passed as they are
        until the upstream ends it (what they mean, and whether the stream was complete, is
        its reader's to judge); else chat or text completion chunks, up to `[DONE]`."""
        framer = SSEFramer()
        idle_s = self._config.read_timeout_s
        done = False
        try:
            async for data in response.content.iter_any():
                events = framer.feed(data)
                if not events and framer.waiting_s() > idle_s:
                    raise self._no_whole_event()
                for event in events:
                    # Only what a client can read is passed on: the native check answers for
                    # nearly every event, the exact path below for the rest.
                    kind = CHUNK if typed else event_kind(event)
                    if kind != CHUNK:
                        done = kind == END or self._judge(event)
                    yield event
                    if done:
                        break
                if done:
                    break
        except TRANSPORT_FAILURES as exc:
            raise mid_stream_failure(self.name, exc) from exc
        finally:
            response.release()  # back to the pool if fully read, else the connection is closed
        if not done and not typed:
            raise UpstreamError(
                502,
                f"upstream '{self.name}' ended the stream before [DONE]",
                kind="protocol",
                retryable=False,
                code="upstream_stream_incomplete",
            )

    def _judge(self, event: bytes) -> bool:
        """An event the native check left to Python: True if it ends the stream; raises if a
        client could not read it (not UTF-8, not JSON, not an object), or if it is an error."""
        try:
            chunk = event_json(event)
        except ValueError:
            raise unreadable_event(self.name, event) from None
        if isinstance(chunk, dict):
            if "error" in chunk:
                raise error_in_stream(self.name, chunk)
        elif chunk is not None and chunk is not STREAM_END:
            raise unreadable_event(self.name, event, "is not a JSON object")
        return chunk is STREAM_END

    def _no_whole_event(self) -> UpstreamError:
        seconds = self._config.read_timeout_s
        return timed_out(self.name, f"mid-stream (no whole event in {seconds:g} s)", False)

    def _pool_busy(self) -> UpstreamError:
        slots = self._slots
        return UpstreamError(
            503,
            f"all {slots.size} connections to upstream '{self.name}' stayed busy for "
            f"{slots.wait_s:g} s (max_connections, pool_timeout_s)",
            kind="pool",
            retryable=True,
            code="upstream_busy",
            headers={"retry-after": "1"},
        )


def json_object(data: bytes) -> dict[str, Any] | None:
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, dict) else None
