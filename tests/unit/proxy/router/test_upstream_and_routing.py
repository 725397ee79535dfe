"""Upstream error mapping, fallback order and the off-path health probe (httpx, via respx)."""

from __future__ import annotations

import httpx
import orjson
import pytest
import respx

from proxy.call import Call, Reply
from proxy.config.gateway_config import GatewayConfig, OpenAIProviderConfig
from proxy.config.keys import KeyRing, digest_of
from proxy.providers.base import Health, ProviderRequest, UpstreamError
from proxy.providers.openai_compatible import OpenAICompatibleProvider
from proxy.providers.upstream_errors import error_from_status, forwarded_headers
from proxy.router.dispatch import Dispatcher
from proxy.router.targets import TargetTable
from proxy.wire.errors import GatewayError


@pytest.mark.parametrize(
    ("status", "mapped", "retryable", "code"),
    [
        (400, 400, False, "bad_param"),
        (422, 400, False, "bad_param"),
        (429, 429, True, "bad_param"),
        (401, 502, True, "upstream_auth_failed"),
        (500, 502, True, "upstream_error"),
        (503, 502, True, "upstream_error"),
        (504, 504, True, "upstream_timeout"),
    ],
)
def test_error_mapping(status: int, mapped: int, retryable: bool, code: str) -> None:
    body = orjson.dumps({"error": {"message": "no", "type": "t", "code": "bad_param"}})
    error = error_from_status("up", status, body, "3")
    assert (error.status, error.retryable, error.code) == (mapped, retryable, code)
    if status == 429:
        assert error.retry_after == 3.0 and error.headers == {"retry-after": "3"}


def test_error_body_that_is_not_json_is_quoted_briefly() -> None:
    error = error_from_status("up", 500, b"<html>" + b"x" * 1000, None)
    assert error.message.startswith("upstream 'up' answered 500: <html>")
    assert len(error.message) < 260


def test_forwarded_headers_allow_list() -> None:
    raw = (
        (b"X-RateLimit-Remaining-Tokens", b"5"),
        (b"Set-Cookie", b"a=b"),
        (b"OpenAI-Organization", b"org"),
        (b"Connection", b"keep-alive"),
        (b"x-request-id", b"up-1"),
        (b"Content-Encoding", b"gzip"),
    )
    assert forwarded_headers(raw) == [
        (b"x-ratelimit-remaining-tokens", b"5"),
        (b"x-upstream-request-id", b"up-1"),
    ]


class _Scripted:
    """A provider that fails in a scripted way, recording the requests it got."""

    def __init__(self, name: str, error: UpstreamError | None) -> None:
        self.name = name
        self.error = error
        self.requests: list[ProviderRequest] = []

    async def complete(self, request: ProviderRequest) -> Reply:
        self.requests.append(request)
        if self.error is not None:
            raise self.error
        return Reply(200, f"{self.name}/{request.model}", body=b"{}")

    stream = embed = complete

    def models(self) -> list[str]:
        return ["m"]

    async def health(self) -> Health:
        return Health(True, "")

    async def aclose(self) -> None:
        return None


def _dispatcher(*providers: _Scripted) -> Dispatcher:
    config = GatewayConfig.model_validate(
        {
            "providers": [
                {"name": p.name, "kind": "mock", "models": ["m", "x"]} for p in providers
            ],
            "aliases": {"both": [f"{p.name}/x" for p in providers]},
        }
    )
    table = TargetTable(config, {p.name: p for p in providers}, {})
    return Dispatcher(table, lambda provider, kind: None)


def _call(model: str) -> Call:
    body = {"model": model, "messages": []}
    return Call("r", "chat", body, orjson.dumps(body), model, False)


def _timeout() -> UpstreamError:
    return UpstreamError(504, "slow", kind="timeout", retryable=True)


def _limited(after: float) -> UpstreamError:
    return UpstreamError(429, "busy", kind="status", retryable=True, retry_after=after)


async def test_fallback_rewrites_model_and_keeps_raw_when_unchanged() -> None:
    first, second = _Scripted("a", _timeout()), _Scripted("b", None)
    dispatcher = _dispatcher(first, second)
    reply = await dispatcher(_call("m"))
    assert reply.route == "b/m" and reply.attempts == ["a/m: 504 slow"]
    assert second.requests[0].raw is not None  # same model: the client's bytes go up
    await dispatcher(_call("both"))
    assert second.requests[-1].raw is None and second.requests[-1].body["model"] == "x"


@pytest.mark.parametrize(
    ("errors", "status", "retry_after"),
    [
        ([_limited(9), _limited(4)], 429, "4"),
        ([_limited(9), _timeout()], 504, None),
        ([_timeout(), UpstreamError(502, "x", kind="connect", retryable=True)], 502, None),
    ],
)
async def test_exhausted_status(
    errors: list[UpstreamError], status: int, retry_after: str | None
) -> None:
    dispatcher = _dispatcher(_Scripted("a", errors[0]), _Scripted("b", errors[1]))
    with pytest.raises(GatewayError) as info:
        await dispatcher(_call("m"))
    assert info.value.status == status
    assert info.value.headers.get("retry-after") == retry_after
    assert "a/m" in info.value.message and "b/m" in info.value.message


async def test_client_error_does_not_fall_back() -> None:
    bad = UpstreamError(400, "bad", kind="status", retryable=False)
    second = _Scripted("b", None)
    with pytest.raises(UpstreamError):
        await _dispatcher(_Scripted("a", bad), second)(_call("m"))
    assert second.requests == []


def test_keyring() -> None:
    config = GatewayConfig.model_validate(
        {
            "providers": [{"name": "a", "kind": "mock", "models": ["m"]}],
            "keys": [
                {"key": "k1", "org": "o", "team": "t", "name": "one"},
                {"key_sha256": digest_of("k2").hex(), "org": "o", "name": "two"},
            ],
        }
    )
    ring = KeyRing.from_config(config.keys)
    assert ring.principal_for("k1") is not None and ring.principal_for("k1").key_id == "one"  # type: ignore[union-attr]
    assert ring.principal_for("k2").team == "default"  # type: ignore[union-attr]
    assert ring.principal_for("k3") is None and ring.principal_for(None) is None
    assert KeyRing.from_config(None).principal_for(None) is not None  # auth off: anonymous


@respx.mock
async def test_health_probe_uses_httpx_off_the_hot_path() -> None:
    config = OpenAIProviderConfig(
        name="up", kind="openai", base_url="http://up.test/v1", api_key="sk-x", models=["m"]
    )  # type: ignore[arg-type]
    route = respx.get("http://up.test/v1/models").mock(return_value=httpx.Response(200))
    provider = OpenAICompatibleProvider(config)
    assert (await provider.health()).ok
    assert route.calls.last.request.headers["authorization"] == "Bearer sk-x"
    respx.get("http://up.test/v1/models").mock(side_effect=httpx.ConnectError("refused"))
    down = await provider.health()
    assert not down.ok and "ConnectError" in down.detail
