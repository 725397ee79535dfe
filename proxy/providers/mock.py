"""The `mock` backend: deterministic answers with no network, for demos and tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator
from typing import Any

import orjson

from proxy.call import Reply
from proxy.config.providers import MockProviderConfig
from proxy.providers import mock_answers
from proxy.providers.base import Health, ProviderRequest, UpstreamError
from proxy.wire.sse import DONE, json_event

__all__ = ["MockProvider"]


class MockProvider:
    def __init__(self, config: MockProviderConfig) -> None:
        self.name = config.name
        self._config = config

    def models(self) -> list[str]:
        return list(self._config.models)

    async def complete(self, request: ProviderRequest) -> Reply:
        answer = mock_answers.chat_completion(self._body(request), int(time.time()))
        return Reply(
            200, f"{self.name}/{request.model}", body=orjson.dumps(answer), usage=answer["usage"]
        )

    async def stream(self, request: ProviderRequest) -> Reply:
        chunks = mock_answers.chat_chunks(self._body(request), int(time.time()))
        return Reply(200, f"{self.name}/{request.model}", events=self._events(chunks))

    async def embed(self, request: ProviderRequest) -> Reply:
        dimensions = request.body.get("dimensions")
        if isinstance(dimensions, int) and dimensions > mock_answers.MAX_DIMENSIONS:
            # As a real backend answers a size its model cannot make.
            raise UpstreamError(
                400,
                f"dimensions: at most {mock_answers.MAX_DIMENSIONS} for this model",
                kind="status",
                retryable=False,
                code="invalid_value",
            )
        answer = mock_answers.embeddings(self._body(request))
        return Reply(
            200, f"{self.name}/{request.model}", body=orjson.dumps(answer), usage=answer["usage"]
        )

    async def health(self) -> Health:
        return Health(ok=True, detail="mock backend, always up")

    async def aclose(self) -> None:
        return None

    def _body(self, request: ProviderRequest) -> dict[str, Any]:
        return {**request.body, "model": request.model}

    async def _events(self, chunks: list[dict[str, Any]]) -> AsyncGenerator[bytes, None]:
        for chunk in chunks:
            if self._config.chunk_delay_s:
                await asyncio.sleep(self._config.chunk_delay_s)
            yield json_event(chunk)
        yield DONE
