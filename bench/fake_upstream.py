"""A fast fake OpenAI upstream for the benchmark: raw ASGI, precomputed answers.

Non-stream calls get a chat.completion with usage; `"stream": true` calls get CHUNKS SSE chunks
(`--chunks`, default 20) with `--chunk-delay-ms` (default 1) between them, then usage and [DONE].
"""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

import uvicorn

USAGE = {"prompt_tokens": 20, "completion_tokens": 20, "total_tokens": 40}


def _completion() -> bytes:
    return json.dumps(
        {
            "id": "chatcmpl-bench",
            "object": "chat.completion",
            "created": 1700000000,
            "model": "gpt-4o-mini",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": "bench " * 20, "refusal": None},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": USAGE,
        }
    ).encode()


def _chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
    body = {
        "id": "chatcmpl-bench",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
    }
    return b"data: " + json.dumps(body).encode() + b"\n\n"


class FakeUpstream:
    def __init__(self, chunks: int, delay_s: float) -> None:
        self._json = _completion()
        self._delay = delay_s
        first = _chunk({"role": "assistant", "content": ""})
        self._events = [
            first,
            *[_chunk({"content": "bench "}) for _ in range(chunks)],
            _chunk({}, "stop"),
        ]
        usage = {
            "id": "chatcmpl-bench",
            "object": "chat.completion.chunk",
            "created": 1700000000,
            "model": "gpt-4o-mini",
            "choices": [],
            "usage": USAGE,
        }
        self._usage = b"data: " + json.dumps(usage).encode() + b"\n\n"

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        if b'"stream":true' not in body.replace(b" ", b""):
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(self._json)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": self._json})
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/event-stream")],
            }
        )
        for event in self._events:
            await send({"type": "http.response.body", "body": event, "more_body": True})
            if self._delay:
                await asyncio.sleep(self._delay)
        if b'"include_usage":true' in body.replace(b" ", b""):
            await send({"type": "http.response.body", "body": self._usage, "more_body": True})
        await send({"type": "http.response.body", "body": b"data: [DONE]\n\n"})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--chunks", type=int, default=20)
    parser.add_argument("--chunk-delay-ms", type=float, default=1.0)
    args = parser.parse_args()
    app = FakeUpstream(args.chunks, args.chunk_delay_ms / 1000)
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        loop="uvloop",
        http="httptools",
        log_level="warning",
        access_log=False,
        lifespan="off",
    )


if __name__ == "__main__":
    main()
