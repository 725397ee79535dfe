"""Bad input and failing upstreams: each gives the OpenAI error the SDK maps to the right class."""

from __future__ import annotations

import httpx
import openai
import pytest

from tests.conftest import CLIENT_KEY

HELLO = [{"role": "user", "content": "hi"}]
AUTH = {"authorization": f"Bearer {CLIENT_KEY}"}


@pytest.fixture
def client(gateway_url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{gateway_url}/v1", api_key=CLIENT_KEY, max_retries=0)


def _post(url: str, content: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.post(
        f"{url}/v1/chat/completions",
        content=content,
        headers={**AUTH, "content-type": "application/json", **(headers or {})},
        timeout=30,
    )


def _error(response: httpx.Response) -> dict[str, object]:
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert response.headers["x-request-id"]
    return dict(error)


@pytest.mark.parametrize(
    ("body", "param", "code"),
    [
        (b'{"model": "gpt-4o-mini", "messages": [', None, "invalid_json"),
        (b"", None, "invalid_json"),
        (b"[1, 2]", None, "invalid_json"),
        (b'{"model": "gpt-4o-mini"}', "messages", "missing_required_parameter"),
        (b'{"model": "gpt-4o-mini", "messages": []}', "messages", "invalid_value"),
        (b'{"model": 5, "messages": [{"role": "user", "content": "x"}]}', "model", "invalid_type"),
        (
            b'{"model": "m", "messages": [{"role": "robot", "content": "x"}]}',
            "messages[0].role",
            "invalid_value",
        ),
        (
            b'{"model": "m", "messages": [{"role": "user", "content": "x"}], "temperature": "hot"}',
            "temperature",
            "invalid_type",
        ),
        (
            b'{"model": "m", "messages": [{"role": "user", "content": "x"}], "n": 0}',
            "n",
            "invalid_value",
        ),
        (
            b'{"model": "m", "messages": [{"role": "user", "content": "x"}], '
            b'"stream_options": {"include_usage": true}}',
            None,
            "invalid_value",
        ),
    ],
)
def test_invalid_bodies_are_400_with_param(
    gateway_url: str, body: bytes, param: str | None, code: str
) -> None:
    response = _post(gateway_url, body)
    assert response.status_code == 400
    error = _error(response)
    assert error["type"] == "invalid_request_error"
    assert error["param"] == param and error["code"] == code


def test_sdk_raises_bad_request_for_invalid_body(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as info:
        client.chat.completions.create(model="gpt-4o-mini", messages=[])
    assert info.value.param == "messages"  # type: ignore[attr-defined]


def test_body_over_limit_is_413(gateway_url: str) -> None:
    huge = (
        b'{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "'
        + (b"x" * (20 * 1024 * 1024))
        + b'"}]}'
    )
    response = _post(gateway_url, huge)
    assert response.status_code == 413
    assert _error(response)["code"] == "request_too_large"


def test_auth_errors(gateway_url: str) -> None:
    wrong = openai.OpenAI(base_url=f"{gateway_url}/v1", api_key="sk-wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as info:
        wrong.chat.completions.create(model="gpt-4o-mini", messages=HELLO)  # type: ignore[arg-type]
    assert "sk-wrong" not in str(info.value)
    missing = httpx.post(
        f"{gateway_url}/v1/chat/completions", json={"model": "gpt-4o-mini", "messages": HELLO}
    )
    assert missing.status_code == 401 and _error(missing)["code"] == "invalid_api_key"
    assert missing.headers["x-metaqore-decision"] == "deny:invalid_api_key"
    azure_style = httpx.post(
        f"{gateway_url}/v1/chat/completions",
        json={"model": "gpt-4o-mini", "messages": HELLO},
        headers={"api-key": CLIENT_KEY},
    )
    assert azure_style.status_code == 200
    assert httpx.get(f"{gateway_url}/v1/models").status_code == 401


def test_unknown_model_404_and_disabled_backend_503(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as info:
        client.chat.completions.create(model="gpt-9", messages=HELLO)  # type: ignore[arg-type]
    assert info.value.code == "model_not_found"
    with pytest.raises(openai.InternalServerError) as unavailable:
        client.chat.completions.create(model="only-disabled", messages=HELLO)  # type: ignore[arg-type]
    assert unavailable.value.status_code == 503
    assert "METAQORE_TEST_UNSET_KEY" in unavailable.value.message


def test_unknown_path_and_wrong_method(gateway_url: str) -> None:
    assert _error(httpx.get(f"{gateway_url}/v1/nope"))["type"] == "not_found_error"
    response = httpx.get(f"{gateway_url}/v1/chat/completions")
    assert response.status_code == 405 and _error(response)["code"] == "method_not_allowed"


def test_upstream_429_passes_retry_after(client: openai.OpenAI) -> None:
    with pytest.raises(openai.RateLimitError) as info:
        client.chat.completions.create(model="fail-429", messages=HELLO)  # type: ignore[arg-type]
    assert info.value.response.headers["retry-after"] == "7"


def test_every_candidate_rate_limited_is_429(client: openai.OpenAI) -> None:
    with pytest.raises(openai.RateLimitError) as info:
        client.chat.completions.create(model="all-limited", messages=HELLO)  # type: ignore[arg-type]
    assert info.value.response.headers["retry-after"] == "7"
    assert info.value.message.count("up1/fail-429") == 2


@pytest.mark.parametrize(
    ("model", "status", "code"),
    [
        ("fail-500", 502, "upstream_error"),
        ("fail-401", 502, "upstream_auth_failed"),
        ("garbage", 502, "bad_upstream_response"),
        ("hang", 504, "upstream_timeout"),
        ("all-down", 502, "upstream_error"),
    ],
)
def test_upstream_failures_map_to_gateway_statuses(
    client: openai.OpenAI, model: str, status: int, code: str
) -> None:
    with pytest.raises(openai.APIStatusError) as info:
        client.chat.completions.create(model=model, messages=HELLO)  # type: ignore[arg-type]
    assert info.value.status_code == status
    assert info.value.code == code


def test_upstream_400_passes_through(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as info:
        client.chat.completions.create(model="bad-request", messages=HELLO)  # type: ignore[arg-type]
    assert "Invalid 'temperature'" in info.value.message


def test_stream_request_failing_upstream_stays_a_status(client: openai.OpenAI) -> None:
    with pytest.raises(openai.RateLimitError):
        client.chat.completions.create(model="fail-429", messages=HELLO, stream=True)  # type: ignore[arg-type]
    with pytest.raises(openai.APIStatusError) as info:
        client.chat.completions.create(model="hang", messages=HELLO, stream=True)  # type: ignore[arg-type]
    assert info.value.status_code == 504
    assert "timed out waiting for the answer" in info.value.message


@pytest.mark.parametrize("model", ["reset-mid-stream", "no-done"])
def test_upstream_dying_mid_stream_ends_with_error_event(
    client: openai.OpenAI, model: str, gateway_url: str
) -> None:
    received: list[str] = []
    with pytest.raises(openai.APIError) as info:
        for chunk in client.chat.completions.create(model=model, messages=HELLO, stream=True):  # type: ignore[arg-type]
            received.append(chunk.choices[0].delta.content or "")
    assert received == ["", "Hel", "lo "]  # what arrived before the failure was delivered
    assert "upstream 'up1'" in info.value.message
    raw = httpx.post(
        f"{gateway_url}/v1/chat/completions",
        headers=AUTH,
        json={"model": model, "messages": HELLO, "stream": True},
    ).text
    assert raw.endswith('"}}\n\ndata: [DONE]\n\n') and '"error"' in raw


def test_stream_for_non_stream_request_is_502(client: openai.OpenAI) -> None:
    with pytest.raises(openai.APIStatusError) as info:
        client.chat.completions.create(model="sse-for-json", messages=HELLO)  # type: ignore[arg-type]
    assert info.value.status_code == 502
