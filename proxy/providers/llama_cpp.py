"""A GGUF model in this process through llama-cpp-python, as a `locality: local` backend.

Generation runs on one dedicated thread (a llama.cpp context is not thread-safe), so the event
loop stays free; calls wait their turn in a bounded queue and get a 429 (retryable, so the
router can try another backend) when it is full. A client that hangs up stops its generation
between tokens.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
from collections.abc import AsyncGenerator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import orjson

from proxy.call import Reply
from proxy.config.providers import LlamaCppProviderConfig
from proxy.providers.base import Health, ProviderRequest, UpstreamError
from proxy.wire.sse import DONE, json_event

__all__ = ["LlamaCppProvider"]

T = TypeVar("T")
_PASSED = ("tools", "tool_choice", "temperature", "top_p", "stop", "seed", "response_format")
_END = object()


class LlamaCppProvider:
    def __init__(self, config: LlamaCppProviderConfig) -> None:
        self.name = config.name
        self._config = config
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"llama-{config.name}")
        self._llm: Any = None
        self._busy = 0

    def models(self) -> list[str]:
        return list(self._config.models)

    async def complete(self, request: ProviderRequest) -> Reply:
        started = time.perf_counter()
        kwargs = self._kwargs(request.body)
        answer = await self._run(lambda: self._model().create_chat_completion(**kwargs))
        answer["model"] = request.model
        return Reply(
            status=200,
            route=f"{self.name}/{request.model}",
            body=orjson.dumps(answer),
            usage=answer.get("usage"),
            upstream_s=time.perf_counter() - started,
        )

    async def stream(self, request: ProviderRequest) -> Reply:
        self._admit()
        kwargs = self._kwargs(request.body)
        return Reply(
            status=200,
            route=f"{self.name}/{request.model}",
            events=self._stream(kwargs, request.model, request.body),
        )

    async def embed(self, request: ProviderRequest) -> Reply:
        if not self._config.embedding:
            raise UpstreamError(
                400, f"'{request.model}' on '{self.name}' is not loaded for embeddings.",
                kind="status", retryable=False, code="unsupported_endpoint",
            )  # fmt: skip
        value = request.body.get("input")
        answer = await self._run(lambda: self._model().create_embedding(value))
        answer["model"] = request.model
        return Reply(status=200, route=f"{self.name}/{request.model}", body=orjson.dumps(answer),
                     usage=answer.get("usage"))  # fmt: skip

    async def health(self) -> Health:
        found = await asyncio.to_thread(os.path.isfile, self._config.model_path)
        state = "found" if found else "missing"
        return Health(ok=found, detail=f"{self._config.model_path} {state}")

    async def aclose(self) -> None:
        self._thread.shutdown(wait=True, cancel_futures=True)
        self._llm = None

    def _model(self) -> Any:
        if self._llm is None:
            from llama_cpp import LLAMA_POOLING_TYPE_MEAN, Llama

            config = self._config
            self._llm = Llama(
                model_path=config.model_path,
                n_ctx=config.n_ctx,
                n_gpu_layers=config.n_gpu_layers,
                chat_format=config.chat_format,
                embedding=config.embedding,
                pooling_type=LLAMA_POOLING_TYPE_MEAN if config.embedding else -1,
                n_threads=config.threads,
                verbose=False,
            )
        return self._llm

    def _kwargs(self, body: dict[str, Any]) -> dict[str, Any]:
        kwargs = {name: body[name] for name in _PASSED if body.get(name) is not None}
        kwargs["messages"] = body.get("messages") or []
        limit = body.get("max_completion_tokens") or body.get("max_tokens")
        kwargs["max_tokens"] = limit if isinstance(limit, int) else self._config.default_max_tokens
        return kwargs

    def _admit(self) -> None:
        if self._busy >= self._config.max_queue:
            raise UpstreamError(
                429, f"local model '{self.name}' is busy ({self._busy} calls queued)",
                kind="status", retryable=True, code="local_model_busy", retry_after=1.0,
                headers={"retry-after": "1"},
            )  # fmt: skip

    async def _run(self, work: Callable[[], T]) -> T:
        self._admit()
        self._busy += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._thread, work)
        except ValueError as exc:  # llama.cpp's way of saying the request does not fit
            raise UpstreamError(400, f"'{self.name}': {exc}", kind="status", retryable=False,
                                code="invalid_request") from exc  # fmt: skip
        finally:
            self._busy -= 1

    async def _stream(
        self, kwargs: dict[str, Any], model: str, body: dict[str, Any]
    ) -> AsyncGenerator[bytes, None]:
        loop = asyncio.get_running_loop()
        chunks: asyncio.Queue[Any] = asyncio.Queue()
        stop = threading.Event()

        def generate() -> None:
            try:
                pieces: Iterator[dict[str, Any]] = self._model().create_chat_completion(
                    stream=True, **kwargs
                )
                for chunk in pieces:
                    if stop.is_set():
                        break
                    loop.call_soon_threadsafe(chunks.put_nowait, chunk)
            except Exception as exc:  # handed to the event loop, raised there
                loop.call_soon_threadsafe(chunks.put_nowait, exc)
            loop.call_soon_threadsafe(chunks.put_nowait, _END)

        self._busy += 1
        job = loop.run_in_executor(self._thread, generate)
        produced = 0
        head: dict[str, Any] = {}
        try:
            while (chunk := await chunks.get()) is not _END:
                if isinstance(chunk, Exception):
                    raise UpstreamError(502, f"'{self.name}' failed mid-stream: {chunk}",
                                        kind="protocol", retryable=False) from chunk  # fmt: skip
                chunk["model"] = model
                head = {k: chunk[k] for k in ("id", "object", "created", "model") if k in chunk}
                produced += sum(
                    1 for c in chunk.get("choices") or [] if (c.get("delta") or {}).get("content")
                )
                yield json_event(chunk)
            prompt = await loop.run_in_executor(self._thread, lambda: self._prompt_tokens(body))
            usage = {"prompt_tokens": prompt, "completion_tokens": produced,
                     "total_tokens": prompt + produced}  # fmt: skip
            yield json_event({**head, "choices": [], "usage": usage})
            yield DONE
        finally:
            stop.set()
            with contextlib.suppress(Exception):
                await job
            self._busy -= 1

    def _prompt_tokens(self, body: dict[str, Any]) -> int:
        text = "\n".join(
            m["content"] for m in body.get("messages") or [] if isinstance(m.get("content"), str)
        )
        return len(self._model().tokenize(text.encode(), add_bos=True))
