"""`POST /v1/responses` over a chat backend, the parts beyond text and tools: a refusal (whole,
and streamed as refusal events), `include` (token log probabilities, and what cannot be
included), with the same governance as the answer's text (real openai SDK, fake upstream)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from tests.e2e.test_responses_api import (
    KEY,
    PSEUDO,
    Gateway,
    raw_events,
    serving,
    write_scanning_config,
)
from tests.support.fake_chat_extras import REFUSAL
from tests.support.fake_openai import LEAK, TEXT, TEXT_PIECES

LOGPROBS = "message.output_text.logprobs"


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    with serving(tmp_path_factory.mktemp("fidelity")) as served:
        yield served


def test_a_refusal_is_a_refusal_part_whole_stored_and_streamed(gateway: Gateway) -> None:
    client = gateway.client()
    whole = client.responses.create(model="refusal", input="hi")
    part = whole.output[0].content[0]  # type: ignore[union-attr]
    assert part.type == "refusal" and part.refusal == REFUSAL + "hi"
    assert client.responses.retrieve(whole.id).output == whole.output
    client.responses.create(model="gpt-4o-mini", input="why?", previous_response_id=whole.id)
    said = gateway.sent()["messages"][-2]
    assert said == {"role": "assistant", "content": REFUSAL + "hi"}  # the next turn sees it
    events = raw_events(gateway, {"model": "refusal", "input": "hi"})  # each checked by the spec
    kinds = [e["type"] for e in events]
    deltas = kinds.count("response.refusal.delta")
    assert deltas > 1 and kinds == [
        "response.created", "response.in_progress", "response.output_item.added",
        "response.content_part.added", *["response.refusal.delta"] * deltas,
        "response.refusal.done", "response.content_part.done", "response.output_item.done",
        "response.completed",
    ]  # fmt: skip
    assert [e["sequence_number"] for e in events] == list(range(len(events)))
    assert events[3]["part"] == {"type": "refusal", "refusal": ""}
    text = "".join(e["delta"] for e in events if e["type"] == "response.refusal.delta")
    done = next(e for e in events if e["type"] == "response.refusal.done")
    assert text == done["refusal"] == REFUSAL + "hi"
    assert events[-1]["response"]["output"][0]["content"] == [{"type": "refusal", "refusal": text}]
    with client.responses.stream(model="refusal", input="hi") as stream:
        streamed = [e.delta for e in stream if e.type == "response.refusal.delta"]
        final = stream.get_final_response()
    assert "".join(streamed) == final.output[0].content[0].refusal  # type: ignore[union-attr]


def test_a_refusal_gets_pseudonyms_restored(gateway: Gateway) -> None:
    client = gateway.client(PSEUDO)
    whole = client.responses.create(model="refusal", input="Mail alice@example.com")
    assert gateway.sent()["messages"][-1]["content"] == "Mail <EMAIL_1>"
    assert whole.output[0].content[0].refusal == REFUSAL + "Mail alice@example.com"  # type: ignore[union-attr]
    with client.responses.stream(model="refusal", input="Mail alice@example.com") as stream:
        deltas = "".join(e.delta for e in stream if e.type == "response.refusal.delta")
        final = stream.get_final_response()
    assert deltas == REFUSAL + "Mail alice@example.com"  # a placeholder split over chunks
    assert final.output[0].content[0].refusal == deltas  # type: ignore[union-attr]


def _tokens(response: Any) -> list[Any]:
    return list(response.output[0].content[0].logprobs or [])


def test_logprobs_are_included_when_asked_whole_and_streamed(gateway: Gateway) -> None:
    client = gateway.client()
    plain = client.responses.create(model="gpt-4o-mini", input="hi")
    assert "logprobs" not in gateway.sent() and _tokens(plain) == []
    whole = client.responses.create(
        model="gpt-4o-mini", input="hi", include=[LOGPROBS], top_logprobs=2
    )
    assert gateway.sent()["logprobs"] is True and gateway.sent()["top_logprobs"] == 2
    assert whole.top_logprobs == 2
    tokens = _tokens(whole)
    assert [t.token for t in tokens] == TEXT_PIECES and tokens[2].bytes == list(b"w\xc3\xb6rld ")
    assert [len(t.top_logprobs) for t in tokens] == [2] * len(TEXT_PIECES)
    assert client.responses.retrieve(whole.id).output == whole.output
    body = {"model": "gpt-4o-mini", "input": "hi", "include": [LOGPROBS], "top_logprobs": 2}
    events = raw_events(gateway, body)  # each checked by the spec
    deltas = [e for e in events if e["type"] == "response.output_text.delta"]
    assert [[t["token"] for t in e["logprobs"]] for e in deltas] == [[p] for p in TEXT_PIECES]
    done = next(e for e in events if e["type"] == "response.output_text.done")
    assert [t["token"] for t in done["logprobs"]] == TEXT_PIECES
    final = events[-1]["response"]["output"][0]["content"][0]
    assert final["text"] == TEXT
    streamed = [(t["token"], t["bytes"]) for t in final["logprobs"]]
    assert streamed == [(t.token, t.bytes) for t in tokens]


def test_logprobs_hold_placeholders_never_the_raw_value(gateway: Gateway) -> None:
    """The tokens are the model's: it wrote the placeholder, and no one computed tokens for the
    value it stands for; the text is restored, the tokens are not."""
    client = gateway.client(PSEUDO)
    for stream in (False, True):
        if stream:
            with client.responses.stream(
                model="echo", input="Mail alice@example.com", include=[LOGPROBS]
            ) as events:
                response = events.get_final_response()
        else:
            response = client.responses.create(
                model="echo", input="Mail alice@example.com", include=[LOGPROBS]
            )
        assert response.output_text == "Mail alice@example.com"
        assert "".join(t.token for t in _tokens(response)) == "Mail <EMAIL_1>"
        assert "alice@example.com" not in json.dumps([t.model_dump() for t in _tokens(response)])


def test_logprobs_are_masked_with_the_text(tmp_path: Path) -> None:
    with serving(tmp_path, write_scanning_config) as served:
        whole = served.client().responses.create(
            model="leaky", input="x", include=[LOGPROBS], top_logprobs=1
        )
    tokens = _tokens(whole)
    assert "john@example.com" in LEAK and "[REDACTED_EMAIL]" in whole.output_text
    assert "".join(t.token for t in tokens) == whole.output_text
    assert "john@" not in json.dumps([t.model_dump() for t in tokens])
    assert all(list(t.token.encode()) == t.bytes for t in tokens)


@pytest.mark.parametrize(
    ("include", "status", "code"),
    [
        (["reasoning.encrypted_content"], 400, "unsupported_include"),
        (["no.such.thing"], 400, "invalid_value"),
        (["web_search_call.results", "message.input_image.image_url"], 200, None),
    ],
)
def test_includes_nothing_here_can_produce(
    gateway: Gateway, include: list[str], status: int, code: str | None
) -> None:
    answer = httpx.post(
        f"{gateway.url}/v1/responses",
        headers={"authorization": f"Bearer {KEY}"},
        json={"model": "gpt-4o-mini", "input": "x", "include": include},
    )
    assert answer.status_code == status
    if code is not None:
        assert answer.json()["error"]["code"] == code
        assert answer.json()["error"]["param"] == "include[0]"
    else:
        assert answer.json()["output"][0]["content"][0]["logprobs"] == []
    with pytest.raises(openai.BadRequestError):
        gateway.client().responses.create(
            model="gpt-4o-mini", input="x", include=["reasoning.encrypted_content"]
        )
