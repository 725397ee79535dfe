"""A fake OpenAI-compatible upstream that speaks the exact wire format, SSE included.

What it answers depends on the model asked for, so tests need no shared switches:
`fail-429`, `fail-500`, `fail-401`, `bad-request`, `garbage`, `reset-mid-stream`, `no-done`,
`hang`, `slow-stream` (counts client hang-ups in `disconnects`), `fake-gzip`,
`fake-split` (bytes cut at random places, `\\r\\n` line ends, events coalesced),
`sse-for-json` (answers SSE to a non-stream call), `echo` (answers the last message's text,
its text parts joined, streamed three characters a chunk), `leaky` (answers with an SSN and an
email of its own), `filtered` (Azure's 400 content_filter), `flaky` (fails with 500 while
`flaky_down` is True, or names the failing path's prefix), `tool-once` (calls a tool, then
answers text once the last message is a tool result: an agent's loop ends; a tool forced by
`tool_choice` is always called), `refusal` (refuses: message.refusal, or delta.refusal
streamed). Token log probabilities come when `logprobs` asks for them
(tests/support/fake_chat_extras.py).
Anything else answers normally; `/v1/completions` answers in the legacy text-completions
format (tests/support/fake_text_completions.py), `/v1/responses` in the Responses API's
(tests/support/fake_responses.py). With `api_key`, a request without
`Bearer <api_key>` gets OpenAI's 401, as the real one answers a wrong key.
Every request is recorded (path, headers, parsed body) so tests can check what went upstream.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
import random
import struct
import zlib
from dataclasses import dataclass
from typing import Any

from tests.support.fake_chat_extras import refusal_pieces, token_logprobs
from tests.support.fake_responses import response_events, response_object
from tests.support.fake_text_completions import text_chunks, text_completion
from tests.support.servers import request_body

TEXT_PIECES = ["Hel", "lo ", "wörld ", "😀", "!"]
TEXT = "".join(TEXT_PIECES)
TOOL_ARGS = '{"city": "Paris", "unit": "celsius"}'
USAGE = {"prompt_tokens": 11, "completion_tokens": 5, "total_tokens": 16}
# A model whose answers carry no usage, whole or streamed (as servers that ignore
# stream_options.include_usage send them).
NO_USAGE = "no-usage"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    query: str = ""
    raw: bytes = b""  # the bytes as they arrived, for what a parser other than json's reads


class FakeOpenAI:
    def __init__(self, seed: int = 7, api_key: str | None = None) -> None:
        self.api_key = api_key
        self.received: list[Received] = []
        self.flaky_down: bool | str = False
        # Path prefix → seconds to wait before answering (a slow backend).
        self.delays: dict[str, float] = {}
        # Path prefix → Retry-After of one 429 the next call there gets.
        self.limit_next: dict[str, str] = {}
        self.disconnects = 0
        self.model_lists = 0  # GET /models: how providers' health is probed
        self._random = random.Random(seed)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        raw = await request_body(scope, receive, send)
        if raw is None:
            return
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        path = scope["path"]
        if self.api_key is not None and headers.get("authorization") != f"Bearer {self.api_key}":
            error = _error("Incorrect API key provided", "invalid_request_error", "invalid_api_key")
            await _send_json(send, 401, error)
            return
        if scope["method"] == "GET" and path.endswith("/models"):
            self.model_lists += 1
            await _send_json(send, 200, {"object": "list", "data": []})
            return
        body = json.loads(raw)
        self.received.append(Received(path, headers, body, scope["query_string"].decode(), raw))
        if body.get("model") == "slow-stream":
            await self._slow_stream(body, receive, send)
            return
        await self._answer(path, body, send)

    async def _slow_stream(self, body: dict[str, Any], receive: Any, send: Any) -> None:
        """Streams for about 10 s unless the gateway hangs up, which is counted."""

        async def watch() -> None:
            if (await receive())["type"] == "http.disconnect":
                self.disconnects += 1

        watcher = asyncio.create_task(watch())
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/event-stream")],
            }
        )
        for _ in range(200):
            if watcher.done():
                return
            chunk = chunks(body)[1]
            await send(
                {
                    "type": "http.response.body",
                    "more_body": True,
                    "body": b"data: " + json.dumps(chunk).encode() + b"\n\n",
                }
            )
            await asyncio.sleep(0.05)
        watcher.cancel()
        await send({"type": "http.response.body", "body": b"data: [DONE]\n\n"})

    async def _answer(self, path: str, body: dict[str, Any], send: Any) -> None:
        model = body.get("model", "")
        for prefix, seconds in self.delays.items():
            if path.startswith(prefix):
                await asyncio.sleep(seconds)
        for prefix in [p for p in self.limit_next if path.startswith(p)]:
            wait = self.limit_next.pop(prefix)
            error = _error("Rate limit reached", "requests", "rate_limit_exceeded")
            await _send_json(send, 429, error, [(b"retry-after", wait.encode())])
            return
        if model == "fail-429":
            await _send_json(
                send,
                429,
                _error("Rate limit reached", "requests", "rate_limit_exceeded"),
                [(b"retry-after", b"7")],
            )
        elif model == "fail-500" or (model == "flaky" and self._flaky_fails(path)):
            await _send_json(send, 500, _error("The server had an error", "server_error", None))
        elif model == "fail-401":
            await _send_json(
                send, 401, _error("Incorrect API key", "invalid_request_error", "invalid_api_key")
            )
        elif model == "bad-request":
            await _send_json(
                send, 400, _error("Invalid 'temperature'", "invalid_request_error", "invalid_value")
            )
        elif model == "filtered":  # Azure's content filter refusing the prompt
            error = _error("The prompt was filtered.", "invalid_request_error", "content_filter")
            error["error"]["innererror"] = {"code": "ResponsibleAIPolicyViolation"}
            await _send_json(send, 400, error)
        elif model == "garbage":
            await _send_raw(send, 200, b"<html>definitely not json", b"text/html")
        elif model == "hang":
            await asyncio.sleep(30)
        elif path.endswith("/embeddings"):
            await _send_json(send, 200, _embeddings(body))
        elif path.endswith("/responses"):
            await self._responses(body, send)
        elif path.endswith("/completions") and not path.endswith("/chat/completions"):
            await self._text_completion(body, send)
        elif body.get("stream") or model == "sse-for-json":
            await self._stream(body, send)
        else:
            await self._complete(body, send)

    async def _text_completion(self, body: dict[str, Any], send: Any) -> None:
        if not body.get("stream"):
            await _send_json(send, 200, text_completion(body))
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/event-stream")]})  # fmt: skip
        for chunk in text_chunks(body):
            data = b"data: " + json.dumps(chunk).encode() + b"\n\n"
            await send({"type": "http.response.body", "body": data, "more_body": True})
        await send({"type": "http.response.body", "body": b"data: [DONE]\n\n"})

    async def _responses(self, body: dict[str, Any], send: Any) -> None:
        if not body.get("stream"):
            status = "failed" if body["model"] == "failed" else "completed"
            await _send_json(send, 200, response_object(body, status))
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/event-stream")]})  # fmt: skip
        for event in response_events(body):
            await send({"type": "http.response.body", "body": event, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    def _flaky_fails(self, path: str) -> bool:
        down = self.flaky_down
        return down is True or (isinstance(down, str) and path.startswith(down))

    async def _complete(self, body: dict[str, Any], send: Any) -> None:
        answer = completion(body)
        if body["model"] == "fake-gzip":
            data = gzip.compress(json.dumps(answer).encode())
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-encoding", b"gzip"),
                        (b"content-length", str(len(data)).encode()),
                        (b"openai-organization", b"org-secret"),
                        (b"x-ratelimit-remaining-requests", b"99"),
                        (b"set-cookie", b"session=abc"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": data})
            return
        await _send_json(
            send,
            200,
            answer,
            [
                (b"openai-organization", b"org-secret"),
                (b"x-ratelimit-remaining-requests", b"99"),
                (b"set-cookie", b"session=abc"),
            ],
        )

    async def _stream(self, body: dict[str, Any], send: Any) -> None:
        model = body["model"]
        events = [
            b"data: " + json.dumps(c, ensure_ascii=False).encode() + b"\n\n" for c in chunks(body)
        ]
        events.append(b"data: [DONE]\n\n")
        headers = [(b"content-type", b"text/event-stream")]
        if model == "fake-gzip":
            headers.append((b"content-encoding", b"gzip"))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        if model == "reset-mid-stream":
            for event in events[:3]:
                await send({"type": "http.response.body", "body": event, "more_body": True})
            raise RuntimeError("fake upstream drops the connection mid-stream")
        if model == "no-done":
            for event in events[:3]:
                await send({"type": "http.response.body", "body": event, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        if model == "fake-gzip":
            compressor = zlib.compressobj(wbits=31)
            for event in events:
                data = compressor.compress(event) + compressor.flush(zlib.Z_SYNC_FLUSH)
                await send({"type": "http.response.body", "body": data, "more_body": True})
            await send(
                {"type": "http.response.body", "body": compressor.flush(), "more_body": False}
            )
            return
        payload = b"".join(events)
        pieces = self._split(payload) if model == "fake-split" else events
        for piece in pieces:
            await send({"type": "http.response.body", "body": piece, "more_body": True})
            await asyncio.sleep(0.002 if model == "fake-split" else 0)
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    def _split(self, payload: bytes) -> list[bytes]:
        """CRLF line ends, cuts at random byte offsets (inside JSON, inside a UTF-8 character,
        between \\r and \\n), and some pieces long enough to hold several events."""
        payload = payload.replace(b"\n", b"\r\n")
        cuts = sorted(self._random.sample(range(1, len(payload)), k=min(40, len(payload) - 1)))
        crlf = payload.index(b"\r\n") + 1  # between \r and \n
        emoji = payload.find("😀".encode())  # cut inside this 4-byte character when present
        cuts = sorted({*cuts[::2], crlf, *([emoji + 2] if emoji >= 0 else [])})
        return [payload[a:b] for a, b in zip([0, *cuts], [*cuts, len(payload)], strict=True)]


def completion(body: dict[str, Any]) -> dict[str, Any]:
    n = body.get("n") or 1
    text, pieces = _answer_text(body)
    message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None}
    logprobs = token_logprobs(body, pieces)
    finish = "stop"
    if body["model"] == "refusal":
        message, logprobs = {**message, "content": None, "refusal": "".join(pieces)}, None
    elif _calls_a_tool(body):
        name = _tool_name(body)
        message = {
            "role": "assistant",
            "content": None,
            "refusal": None,
            "tool_calls": [
                {
                    "id": "call_fake1",
                    "type": "function",
                    "function": {"name": name, "arguments": TOOL_ARGS},
                }
            ],
        }
        finish = "tool_calls"
    return {
        "id": "chatcmpl-fake1",
        "object": "chat.completion",
        "created": 1700000000,
        "model": body["model"],
        "system_fingerprint": "fp_fake",
        "choices": [
            {"index": i, "message": message, "logprobs": logprobs, "finish_reason": finish}
            for i in range(n)
        ],
        **({} if body["model"] == NO_USAGE else {"usage": USAGE}),
    }


def chunks(body: dict[str, Any]) -> list[dict[str, Any]]:
    head = {
        "id": "chatcmpl-fake1",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": body["model"],
        "system_fingerprint": "fp_fake",
    }

    def chunk(
        delta: dict[str, Any], finish: str | None = None, logprobs: Any = None
    ) -> dict[str, Any]:
        choice = {"index": 0, "delta": delta, "logprobs": logprobs, "finish_reason": finish}
        return {**head, "choices": [choice]}

    out: list[dict[str, Any]] = []
    if _calls_a_tool(body):
        name = _tool_name(body)
        out.append(chunk({"role": "assistant", "content": None, "refusal": None}))
        out.append(
            chunk(
                {
                    "tool_calls": [
                        {
                            "index": 0,
                            "id": "call_fake1",
                            "type": "function",
                            "function": {"name": name, "arguments": ""},
                        }
                    ]
                }
            )
        )
        for i in range(0, len(TOOL_ARGS), 7):
            out.append(
                chunk(
                    {"tool_calls": [{"index": 0, "function": {"arguments": TOOL_ARGS[i : i + 7]}}]}
                )
            )
        out.append(chunk({}, "tool_calls"))
    elif body["model"] == "refusal":
        out.append(chunk({"role": "assistant", "content": None, "refusal": ""}))
        out.extend(chunk({"refusal": piece}) for piece in _answer_text(body)[1])
        out.append(chunk({}, "stop"))
    else:
        out.append(chunk({"role": "assistant", "content": "", "refusal": None}))
        out.extend(
            chunk({"content": piece}, logprobs=token_logprobs(body, [piece]))
            for piece in _answer_text(body)[1]
        )
        out.append(chunk({}, "stop"))
    if (body.get("stream_options") or {}).get("include_usage") and body["model"] != NO_USAGE:
        out.append({**head, "choices": [], "usage": USAGE})
    return out


def _calls_a_tool(body: dict[str, Any]) -> bool:
    """Tools offered call the first one, unless the last message is a tool's result; a tool
    forced by `tool_choice` (`required`, or one named) is called whatever came last."""
    last = body["messages"][-1] if body.get("messages") else {}
    choice = body.get("tool_choice", "auto")
    forced = choice not in ("auto", "none")
    return bool(body.get("tools")) and choice != "none" and (forced or last.get("role") != "tool")


def _tool_name(body: dict[str, Any]) -> str:
    """The tool `tool_choice` names, else the first offered."""
    choice = body.get("tool_choice")
    if isinstance(choice, dict) and "function" in choice:
        return str(choice["function"]["name"])
    return str(body["tools"][0]["function"]["name"])


LEAK = "Sure: John's SSN is 123-45-6789, mail john@example.com"


def _answer_text(body: dict[str, Any]) -> tuple[str, list[str]]:
    if body["model"] == "leaky":
        return LEAK, [LEAK[i : i + 5] for i in range(0, len(LEAK), 5)]
    if body["model"] == "refusal":
        pieces = refusal_pieces(body)
        return "".join(pieces), pieces
    if body["model"] != "echo":
        return TEXT, TEXT_PIECES
    content = body["messages"][-1]["content"]
    text = content if isinstance(content, str) else _parts_text(content)
    return text, [text[i : i + 3] for i in range(0, len(text), 3)]


def _parts_text(parts: list[dict[str, Any]]) -> str:
    """Text parts joined; anything else (an image, audio) as its JSON."""
    if all(p.get("type") == "text" for p in parts):
        return "".join(p["text"] for p in parts)
    return json.dumps(parts)


def _embeddings(body: dict[str, Any]) -> dict[str, Any]:
    inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
    vector = [0.25, -0.5, 0.75]
    data = []
    for i, _ in enumerate(inputs):
        embedding: Any = vector
        if body.get("encoding_format") == "base64":
            embedding = base64.b64encode(struct.pack("<3f", *vector)).decode()
        data.append({"object": "embedding", "index": i, "embedding": embedding})
    return {
        "object": "list",
        "data": data,
        "model": body["model"],
        "usage": {"prompt_tokens": 3, "total_tokens": 3},
    }


def _error(message: str, type_: str, code: str | None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": None, "code": code}}


async def _send_json(
    send: Any, status: int, payload: Any, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    await _send_raw(send, status, json.dumps(payload).encode(), b"application/json", extra)


async def _send_raw(
    send: Any,
    status: int,
    data: bytes,
    ctype: bytes,
    extra: list[tuple[bytes, bytes]] | None = None,
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", ctype),
                (b"content-length", str(len(data)).encode()),
                *(extra or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})
