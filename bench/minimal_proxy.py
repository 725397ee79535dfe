"""The floor: a minimal Starlette pass-through proxy (about 40 lines), with an httpx or an
aiohttp upstream client. What a Python ASGI gateway costs before it does anything useful."""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route


def build(upstream: str, client_kind: str) -> Starlette:
    state: dict[str, Any] = {}

    async def proxy(request: Request) -> Response:
        body = await request.body()
        headers = {"content-type": "application/json"}
        url = f"{upstream}/v1/chat/completions"
        if client_kind == "httpx":
            client: httpx.AsyncClient = state.get("c") or state.setdefault(
                "c", httpx.AsyncClient(timeout=60)
            )
            upstream_request = client.build_request("POST", url, content=body, headers=headers)
            answer = await client.send(upstream_request, stream=True)

            async def httpx_chunks() -> AsyncIterator[bytes]:
                async for chunk in answer.aiter_raw():
                    yield chunk
                await answer.aclose()

            return StreamingResponse(
                httpx_chunks(),
                status_code=answer.status_code,
                media_type=answer.headers.get("content-type"),
            )
        session: aiohttp.ClientSession = state.get("s") or state.setdefault(
            "s", aiohttp.ClientSession()
        )
        reply = await session.post(url, data=body, headers=headers)

        async def aiohttp_chunks() -> AsyncIterator[bytes]:
            async for chunk in reply.content.iter_any():
                yield chunk
            reply.release()

        return StreamingResponse(
            aiohttp_chunks(), status_code=reply.status, media_type=reply.headers.get("content-type")
        )

    return Starlette(routes=[Route("/v1/chat/completions", proxy, methods=["POST"])])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--client", choices=["httpx", "aiohttp"], required=True)
    args = parser.parse_args()
    uvicorn.run(
        build(args.upstream, args.client),
        host="127.0.0.1",
        port=args.port,
        loop="uvloop",
        http="httptools",
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
