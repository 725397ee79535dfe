"""The edge, with raw sockets against the real gateway under uvicorn: slow and silent clients
are closed, oversized heads answered 431, idle connections shed before descriptors run out,
the deep readiness probe bounded, no redirect built from `Host`, no query in the access log."""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import resource
import socket
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import openai
import pytest

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_openai import FakeOpenAI
from tests.support.gateway_process import GatewayProcess
from tests.support.servers import ServerThread

CLIENT = "sk-edge-client-0123456789"
ADMIN = "sk-edge-admin-0123456789"
# Generous: every assert below is on what happened (closed, a status), never on how fast.
PATIENCE_S = 15.0

Gateway = Callable[[str], ServerThread]


def _config_text(server: str, upstream_url: str = "http://127.0.0.1:9/v1") -> str:
    return textwrap.dedent(f"""\
        server: {{{server}}}
        providers:
          - {{name: up1, kind: openai, base_url: "{upstream_url}", models: [gpt-4o-mini]}}
          - {{name: mock, kind: mock, models: [mock-chat]}}
          - {{name: slow, kind: mock, models: [slow-chat], chunk_delay_s: 0.1}}
        keys:
          - {{key: {CLIENT}, org: acme, name: edge}}
        admin:
          keys: [{{key: {ADMIN}}}]
        """)


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[Gateway]:
    """Starts gateways with the given `server` section (and upstream), served as the CLI does."""
    started: list[ServerThread] = []

    def start(server: str, upstream_url: str = "http://127.0.0.1:9/v1") -> ServerThread:
        path = tmp_path / f"gateway-{len(started)}.yaml"
        path.write_text(_config_text(server, upstream_url))
        loaded = load_config(path)
        thread = ServerThread(create_app(loaded), server=loaded.config.server)
        started.append(thread.__enter__())
        return thread

    yield start
    for thread in started:
        thread.__exit__(None, None, None)


@contextlib.contextmanager
def _connect(port: int) -> Iterator[socket.socket]:
    sock = socket.create_connection(("127.0.0.1", port), timeout=PATIENCE_S)
    try:
        yield sock
    finally:
        sock.close()


def _read_to_close(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (a timeout fails the test)."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def _parse(answer: bytes) -> tuple[int, dict[str, str], dict[str, object]]:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, json.loads(body)


def _assert_error(answer: bytes, status: int, code: str) -> dict[str, str]:
    got, headers, body = _parse(answer)
    assert got == status
    assert body["error"]["code"] == code  # type: ignore[index]
    assert set(body["error"]) == {"message", "type", "param", "code"}  # type: ignore[arg-type]
    assert headers["connection"] == "close"
    assert headers["x-request-id"] and headers["x-metaqore-decision"] == "none"
    return headers


# -- slow and silent clients ------------------------------------------------------------------


def test_a_silent_connection_is_closed_after_the_header_timeout(gateway: Gateway) -> None:
    server = gateway("header_timeout_s: 0.3")
    with _connect(server.port) as sock:
        assert sock.recv(1) == b""  # closed by the gateway, with nothing to say


def _trickle(sock: socket.socket, piece: bytes) -> bytes:
    """Sends `piece` every 50 ms, each in time on its own, until the gateway answers; then
    everything it sends until it closes."""
    sock.settimeout(0.05)
    for _ in range(int(PATIENCE_S / 0.05)):
        try:
            first = sock.recv(65536)
            break
        except TimeoutError:
            sock.sendall(piece)
    else:
        raise AssertionError("the gateway let the request trickle on")
    sock.settimeout(PATIENCE_S)
    return first + _read_to_close(sock)


def test_a_head_that_trickles_in_is_answered_408_and_closed(gateway: Gateway) -> None:
    server = gateway("header_timeout_s: 0.5")
    with _connect(server.port) as sock:
        sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nhost: gw\r\n")
        _assert_error(_trickle(sock, b"x-slow: 1\r\n"), 408, "request_timeout")


@pytest.mark.parametrize(
    ("server", "sent"),
    [
        ("header_timeout_s: 0.3", b"POST /v1/chat/completions HTTP/1.1\r\nhost: gw\r\n"),
        (
            "body_idle_timeout_s: 0.3",
            b"POST /v1/chat/completions HTTP/1.1\r\nhost: gw\r\n"
            b"authorization: Bearer " + CLIENT.encode() + b"\r\n"
            b"content-type: application/json\r\ncontent-length: 1000\r\n\r\n"
            b'{"model": "mock-chat",',
        ),
    ],
    ids=["head", "body"],
)
def test_a_request_that_stops_is_answered_408_and_closed(
    gateway: Gateway, server: str, sent: bytes
) -> None:
    with _connect(gateway(server).port) as sock:
        sock.sendall(sent)
        _assert_error(_read_to_close(sock), 408, "request_timeout")


def test_a_body_that_trickles_is_cut_at_the_request_timeout(gateway: Gateway) -> None:
    server = gateway("body_idle_timeout_s: 5, request_timeout_s: 0.5")
    with _connect(server.port) as sock:
        sock.sendall(
            b"POST /v1/chat/completions HTTP/1.1\r\nhost: gw\r\n"
            b"content-type: application/json\r\ncontent-length: 100000\r\n\r\n"
        )
        _assert_error(_trickle(sock, b" "), 408, "request_timeout")


def test_a_kept_alive_connection_still_serves_calls(gateway: Gateway) -> None:
    """The clocks run only while a request is coming in: a streamed answer that lasts longer
    than every timeout is served, and so are later calls on the same connection."""
    server = gateway("header_timeout_s: 0.2, body_idle_timeout_s: 0.2, request_timeout_s: 0.2")
    client = openai.OpenAI(base_url=f"{server.url}/v1", api_key=CLIENT, max_retries=0)
    for _ in range(3):
        stream = client.chat.completions.create(
            model="slow-chat", messages=[{"role": "user", "content": "hi"}], stream=True
        )
        text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
        assert text == "Mock answer to: hi"
        time.sleep(0.3)  # idle longer than the head timeout, shorter than keep-alive
    client.close()


# -- head size and count ----------------------------------------------------------------------


def _send_ignoring_close(sock: socket.socket, data: bytes) -> None:
    # The gateway may answer and stop listening before all of it went.
    with contextlib.suppress(OSError):
        sock.sendall(data)


def test_a_one_megabyte_header_is_answered_431(gateway: Gateway) -> None:
    server = gateway("")
    with _connect(server.port) as sock:
        head = b"GET /healthz HTTP/1.1\r\nhost: gw\r\nx-big: " + b"a" * (1 << 20) + b"\r\n\r\n"
        _send_ignoring_close(sock, head)
        headers = _assert_error(_read_to_close(sock), 431, "request_headers_too_large")
    assert headers["content-type"] == "application/json"


def test_a_head_over_the_limit_in_one_piece_is_answered_431(gateway: Gateway) -> None:
    server = gateway("max_header_bytes: 4096")
    with _connect(server.port) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nhost: gw\r\nx-big: " + b"a" * 5000 + b"\r\n\r\n")
        _assert_error(_read_to_close(sock), 431, "request_headers_too_large")


def test_more_headers_than_the_limit_are_answered_431(gateway: Gateway) -> None:
    server = gateway("")
    lines = b"".join(b"x-h%d: v\r\n" % i for i in range(100))  # 101 with host
    with _connect(server.port) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nhost: gw\r\n" + lines + b"\r\n")
        _assert_error(_read_to_close(sock), 431, "too_many_headers")


def test_five_thousand_headers_are_answered_431(gateway: Gateway) -> None:
    server = gateway("")
    lines = b"".join(b"x-h%d: v\r\n" % i for i in range(5000))
    with _connect(server.port) as sock:
        _send_ignoring_close(sock, b"GET /healthz HTTP/1.1\r\nhost: gw\r\n" + lines + b"\r\n")
        status, _, body = _parse(_read_to_close(sock))
    assert status == 431  # too many, and too big: whichever the gateway saw first
    assert body["error"]["code"] in {"too_many_headers", "request_headers_too_large"}  # type: ignore[index]


def test_a_head_within_the_limits_is_served(gateway: Gateway) -> None:
    server = gateway("")
    headers = {f"x-h{i}": "v" * 200 for i in range(90)}
    assert httpx.get(f"{server.url}/healthz", headers=headers).status_code == 200


def test_malformed_http_is_a_400_in_openai_shape(gateway: Gateway) -> None:
    server = gateway("")
    with _connect(server.port) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nbad header line\r\n\r\n")
        _assert_error(_read_to_close(sock), 400, "invalid_http")


# -- connections past the descriptor budget ---------------------------------------------------


def _is_closed(sock: socket.socket) -> bool:
    sock.settimeout(PATIENCE_S)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def test_idle_connections_are_shed_oldest_first(gateway: Gateway) -> None:
    server = gateway("max_connections: 4")
    idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(4)]
    try:
        time.sleep(0.2)  # all four accepted, in this order
        with httpx.Client() as client:
            assert client.get(f"{server.url}/healthz").status_code == 200
            assert _is_closed(idle[0])
            # A kept-alive connection between calls is idle too, and the newest now.
            assert client.get(f"{server.url}/healthz").status_code == 200
    finally:
        for sock in idle:
            sock.close()


def test_a_full_house_of_busy_connections_refuses_with_503(gateway: Gateway) -> None:
    server = gateway("max_connections: 3")
    busy = []
    try:
        for _ in range(3):  # each mid-body: a request in progress is never shed
            sock = socket.create_connection(("127.0.0.1", server.port))
            sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\ncontent-length: 10\r\n\r\n{")
            busy.append(sock)
        time.sleep(0.2)
        with _connect(server.port) as sock:
            headers = _assert_error(_read_to_close(sock), 503, "too_many_connections")
        assert headers["retry-after"] == "1"
    finally:
        for sock in busy:
            sock.close()
    assert httpx.get(f"{server.url}/healthz").status_code == 200  # room again


def _low_descriptor_limit() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))


def test_healthz_answers_past_the_descriptor_limit(tmp_path: Path) -> None:
    """`metaqore serve` under RLIMIT_NOFILE 256, with 300 idle unauthenticated connections."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1024 <= hard:  # this process holds the 300 client sockets
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))
    config = tmp_path / "gateway.yaml"
    config.write_text(_config_text(""))
    idle: list[socket.socket] = []
    with GatewayProcess(config, preexec_fn=_low_descriptor_limit) as served:
        try:
            for _ in range(300):
                idle.append(socket.create_connection(("127.0.0.1", served.port), PATIENCE_S))
            for _ in range(5):
                assert httpx.get(f"{served.url}/healthz", timeout=PATIENCE_S).status_code == 200
            assert _is_closed(idle[0])  # the oldest idle ones made room
        finally:
            for sock in idle:
                sock.close()


# -- readiness, redirects, the access log -----------------------------------------------------


def test_deep_readiness_needs_the_admin_key_and_probes_are_bounded(
    gateway: Gateway, own_upstream: tuple[FakeOpenAI, str]
) -> None:
    fake, upstream_url = own_upstream
    server = gateway("deep_probe_cache_s: 60", f"{upstream_url}/v1")
    url = f"{server.url}/readyz?deep=1"
    anonymous = [httpx.get(url).status_code for _ in range(20)]
    assert anonymous == [401] * 20
    assert fake.model_lists == 0
    admin = {"authorization": f"Bearer {ADMIN}"}
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(lambda _: httpx.get(url, headers=admin), range(20)))
    assert {a.status_code for a in answers} == {200}
    assert answers[0].json()["probes"]["up1"]["ok"] is True
    assert fake.model_lists == 1  # one probe of the one upstream, however many calls
    assert httpx.get(f"{server.url}/readyz").status_code == 200  # the shallow one stays open


def test_a_pipelined_head_over_the_limit_is_not_served(gateway: Gateway) -> None:
    """The second head begins inside the read that ends the first request: it is measured."""
    server = gateway("max_header_bytes: 4096")
    first = b"GET /healthz HTTP/1.1\r\nhost: gw\r\n\r\n"
    second = b"GET /healthz HTTP/1.1\r\nhost: gw\r\nx-big: " + b"a" * 5000 + b"\r\n\r\n"
    with _connect(server.port) as sock:
        sock.sendall(first + second)
        answers = _read_to_close(sock)
    assert answers.count(b"HTTP/1.1 200") <= 1  # the first may be answered, never the second


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/v1/models/"), ("GET", "/healthz/"), ("POST", "/v1/chat/completions/")],
)
def test_no_redirect_is_built_from_the_host_header(
    gateway: Gateway, method: str, path: str
) -> None:
    server = gateway("")
    answer = httpx.request(
        method,
        f"{server.url}{path}",
        headers={"host": "evil.example", "authorization": f"Bearer {CLIENT}"},
        json={"model": "mock-chat", "messages": []} if method == "POST" else None,
    )
    assert answer.status_code == 404
    assert "location" not in answer.headers
    assert answer.json()["error"]["code"] in {"unknown_url", "model_not_found"}


def test_the_access_log_holds_no_query_string(tmp_path: Path) -> None:
    config = tmp_path / "gateway.yaml"
    config.write_text(_config_text("access_log: true"))
    with GatewayProcess(config) as served:
        for query in (f"api-key={CLIENT}", f"{CLIENT}", f"x=1&key={CLIENT}"):
            httpx.get(f"{served.url}/v1/models?{query}")
        assert httpx.get(f"{served.url}/v1/models", params={"api-key": CLIENT}).status_code == 401
        served.stop()
        log = served.output()
    assert '"GET /v1/models HTTP/1.1" 401' in log  # the log is on, and logs the path
    assert CLIENT not in log
    assert "api-key" not in log
