"""Clients calling the gateway from threads, each call under a request id of its own, keeping
the ids of the calls that were answered whole: the full body of a non-streamed answer (any
status), or a stream that reached `data: [DONE]`."""

from __future__ import annotations

import threading
import time
import uuid

import httpx

__all__ = ["CallLoad"]


class CallLoad:
    def __init__(self, url: str, key: str, *, threads: int = 6, model: str = "mock-chat") -> None:
        self._url = f"{url}/v1/chat/completions"
        self._key = key
        self._model = model
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.answered: dict[str, int] = {}  # request id -> status
        self._threads = [
            threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(threads)
        ]

    def __enter__(self) -> CallLoad:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def wait_answered(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while len(self.answered) < count:
            assert time.monotonic() < deadline, f"only {len(self.answered)} calls answered"
            time.sleep(0.02)

    def statuses(self) -> dict[int, int]:
        with self._lock:
            counts: dict[int, int] = {}
            for status in self.answered.values():
                counts[status] = counts.get(status, 0) + 1
            return counts

    def _run(self, worker: int) -> None:
        with httpx.Client(timeout=30) as client:
            n = 0
            while not self._stop.is_set():
                n += 1
                request_id = f"load-{worker}-{n}-{uuid.uuid4().hex[:8]}"
                try:
                    status = self._call(client, request_id, stream=n % 3 == 0)
                except httpx.HTTPError:
                    time.sleep(0.01)  # the gateway is down or restarting
                    continue
                if status is not None:
                    with self._lock:
                        self.answered[request_id] = status

    def _call(self, client: httpx.Client, request_id: str, stream: bool) -> int | None:
        body = {
            "model": self._model,
            "messages": [{"role": "user", "content": f"call {request_id}"}],
            "stream": stream,
        }
        headers = {"authorization": f"Bearer {self._key}", "x-request-id": request_id}
        with client.stream("POST", self._url, json=body, headers=headers) as response:
            data = response.read()
        if stream and response.status_code == 200:
            return 200 if data.rstrip().endswith(b"data: [DONE]") else None
        return response.status_code
