"""SIGTERM with calls in flight: a real `metaqore serve` process stops accepting, and the calls
still running when its grace period (`server.shutdown_grace_s`) ends are ended by the gateway
itself: an OpenAI stream gets an error event and `[DONE]`, an Anthropic-dialect stream its
`event: error`, a whole answer a 503; the process exits and the ledger records each as
cut by the server, and the upstream requests are cancelled."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import uuid
from pathlib import Path

import anthropic
import openai
import pytest

from tests.support.fault_upstream import FaultyUpstream
from tests.support.ledger import records_for
from tests.support.servers import ServerThread, eventually, free_port, is_up

KEY = "sk-shutdown-0123456789"
HELLO = [{"role": "user", "content": "hi"}]


class Calls:
    """Three calls in flight, each on a thread of its own, keeping what ended it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.ids = {
            name: f"{name}-{uuid.uuid4().hex[:8]}" for name in ("chat", "messages", "whole")
        }
        self.ended: dict[str, BaseException] = {}
        self.chunks: dict[str, int] = {"chat": 0, "messages": 0}
        self._threads = [threading.Thread(target=self._run, args=(n,)) for n in self.ids]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def join(self) -> None:
        for thread in self._threads:
            thread.join(timeout=30)

    def _run(self, name: str) -> None:
        headers = {"x-request-id": self.ids[name]}
        try:
            if name == "messages":
                client = anthropic.Anthropic(base_url=self.url, api_key=KEY, max_retries=0)
                with client.messages.stream(
                    model="long-stream", max_tokens=5, messages=HELLO, extra_headers=headers
                ) as stream:  # type: ignore[arg-type]
                    for _ in stream.text_stream:
                        self.chunks[name] += 1
                return
            chat = openai.OpenAI(base_url=f"{self.url}/v1", api_key=KEY, max_retries=0)
            if name == "whole":
                chat.chat.completions.create(model="hold", messages=HELLO, extra_headers=headers)  # type: ignore[arg-type]
                return
            for _ in chat.chat.completions.create(
                model="long-stream", messages=HELLO, stream=True, extra_headers=headers
            ):  # type: ignore[arg-type]
                self.chunks[name] += 1
        except BaseException as exc:  # kept for the test to judge
            self.ended[name] = exc


@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_ends_calls_in_flight_with_an_error_and_records_them(
    tmp_path: Path, workers: int
) -> None:
    fake = FaultyUpstream(hold_s=60)
    with ServerThread(fake) as upstream:
        config = tmp_path / "gateway.yaml"
        config.write_text(
            textwrap.dedent(f"""\
                server: {{shutdown_grace_s: 2}}
                providers:
                  - {{name: up, kind: openai, base_url: "{upstream.url}/v1", api_key: k,
                      models: [hold, long-stream]}}
                keys: [{{key: {KEY}, org: acme, name: app}}]
                evidence: {{store: "sqlite:///evidence.db", hmac_key: shutdown-key-0123456789}}
            """)
        )
        port = free_port()
        command = [sys.executable, "-m", "proxy.cli", "serve", "--config", str(config),
                   "--port", str(port), "--workers", str(workers)]  # fmt: skip
        env = {k: v for k, v in os.environ.items() if k != "METAQORE_CONFIG"}
        process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
        try:
            url = f"http://127.0.0.1:{port}"
            eventually(lambda: is_up(url), seconds=20)
            calls = Calls(url)
            calls.start()
            eventually(lambda: fake.arrived["hold"] == 1 and min(calls.chunks.values()) > 0)
            process.send_signal(signal.SIGTERM)
            # uvicorn stops gracefully, then raises the signal again for its default action.
            assert process.wait(timeout=30) in (0, -signal.SIGTERM)
            calls.join()
        finally:
            process.kill()
            _, stderr = process.communicate(timeout=10)
        assert "Traceback" not in stderr
        eventually(lambda: fake.closed["hold"] == 1 and fake.closed["long-stream"] == 2)

    chat, messages, whole = (calls.ended.get(n) for n in ("chat", "messages", "whole"))
    assert type(chat) is openai.APIError and chat.code == "server_shutdown"
    assert isinstance(messages, anthropic.APIStatusError)
    assert messages.body["error"]["type"] == "api_error"  # type: ignore[index]
    assert isinstance(whole, openai.InternalServerError)
    assert (whole.status_code, whole.code) == (503, "server_shutdown")
    records = records_for(tmp_path / "evidence.db", set(calls.ids.values()))
    assert {r["request_id"]: (r["outcome"], r["status"]) for r in records.values()} == {
        request_id: ("server_shutdown", 503) for request_id in calls.ids.values()
    }
