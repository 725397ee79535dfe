"""Local GPU-class backends, for real: a tiny random-weight GGUF written at test time, loaded
by llama-cpp-python in process (kind: llama_cpp) and served by `python -m llama_cpp.server`
behind the `openai` kind. Answers are gibberish; the tests assert their shape, not their text."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.servers import ServerThread

REPO = Path(__file__).resolve().parents[2]


def _require_llama() -> None:
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        if os.environ.get("METAQORE_REQUIRE_SERVICES") == "1":
            pytest.fail("llama-cpp-python is not installed (make installs '.[dev,local]')")
        pytest.skip("llama-cpp-python is not installed: pip install '.[local]'")


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _require_llama()
    path = tmp_path_factory.mktemp("gguf") / "tiny.gguf"
    # Written and first loaded in a child: a malformed file aborts the whole process.
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.tiny_gguf", str(path)],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return path


@pytest.fixture(scope="module")
def gateway(model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("local")
    (root / "gateway.yaml").write_text(
        textwrap.dedent(f"""\
            providers:
              - {{name: gguf, kind: llama_cpp, model_path: "{model}", n_ctx: 256,
                  models: [tiny], default_max_tokens: 8}}
              - {{name: gguf-embed, kind: llama_cpp, model_path: "{model}", n_ctx: 256,
                  models: [tiny-embed], embedding: true}}
            evidence: {{enabled: false}}
        """)
    )
    with ServerThread(create_app(load_config(root / "gateway.yaml"))) as server:
        yield server.url


def client(url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{url}/v1", api_key="any", max_retries=0, timeout=60)


def test_in_process_chat_stream_and_embeddings(gateway: str) -> None:
    ask = [{"role": "user", "content": "hello world"}]
    answer = client(gateway).chat.completions.create(model="tiny", messages=ask)  # type: ignore[arg-type]
    choice = answer.choices[0]
    assert choice.message.role == "assistant" and isinstance(choice.message.content, str)
    assert choice.finish_reason in ("stop", "length")
    assert answer.usage is not None and answer.usage.prompt_tokens > 0
    stream = client(gateway).chat.completions.create(
        model="tiny", messages=ask, stream=True, max_tokens=6,  # type: ignore[arg-type]
        stream_options={"include_usage": True},
    )  # fmt: skip
    chunks = list(stream)
    assert chunks and chunks[-1].usage is not None
    assert any(c.choices and c.choices[0].finish_reason for c in chunks)
    vectors = client(gateway).embeddings.create(model="tiny-embed", input=["a", "the model"])
    assert len(vectors.data) == 2 and len(vectors.data[0].embedding) == 64
    with pytest.raises(openai.BadRequestError):
        client(gateway).embeddings.create(model="tiny", input="not loaded for embeddings")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_llama_cpp_server_behind_the_openai_kind(model: Path, tmp_path: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "256", "--model_alias", "tiny"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/v1/models").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "llama_cpp.server did not come up"
            time.sleep(0.2)
        (tmp_path / "gateway.yaml").write_text(
            textwrap.dedent(f"""\
                providers:
                  - {{name: local, kind: openai, base_url: "http://127.0.0.1:{port}/v1",
                      models: [tiny], locality: local}}
                evidence: {{enabled: false}}
            """)
        )
        with ServerThread(create_app(load_config(tmp_path / "gateway.yaml"))) as gw:
            ask = [{"role": "user", "content": "hello"}]
            answer = client(gw.url).chat.completions.create(
                model="tiny",
                messages=ask,
                max_tokens=6,  # type: ignore[arg-type]
            )
            assert answer.choices[0].message.role == "assistant"
            stream = client(gw.url).chat.completions.create(
                model="tiny",
                messages=ask,
                max_tokens=6,
                stream=True,  # type: ignore[arg-type]
            )
            assert any(c.choices and c.choices[0].finish_reason for c in stream)
    finally:
        server.terminate()
        server.wait(timeout=20)
