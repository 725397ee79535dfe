"""Two `metaqore serve` processes sharing one database continue each other's responses: what
one stored before answering, the other reads at once."""

from __future__ import annotations

import textwrap
from pathlib import Path

import openai
import pytest

from tests.support.fake_openai import TEXT, FakeOpenAI
from tests.support.gateway_process import GatewayProcess

__all__ = ["KEY", "OTHER", "follow_up_across_replicas", "replica_config"]

KEY = "sk-replica-0123456789"
OTHER = "sk-replica-other-0123456789"


def replica_config(root: Path, upstream: str, evidence: str = "", extra: str = "") -> Path:
    """`evidence`: more fields of that section (`store: postgresql://…`); `extra`: sections."""
    config = root / "gateway.yaml"
    config.write_text(
        textwrap.dedent(f"""\
            providers:
              - {{name: up, kind: openai, base_url: "{upstream}/v1", api_key: k,
                  models: [gpt-4o-mini]}}
            keys:
              - {{key: {KEY}, org: acme, name: app}}
              - {{key: {OTHER}, org: acme, name: other}}
            evidence: {{hmac_key: replica-test-key-0123456789{evidence}}}
        """)
        + extra
    )
    return config


def follow_up_across_replicas(config: Path, fake: FakeOpenAI) -> None:
    with GatewayProcess(config) as one, GatewayProcess(config) as two:

        def client(gateway: GatewayProcess, key: str = KEY) -> openai.OpenAI:
            return openai.OpenAI(base_url=f"{gateway.url}/v1", api_key=key, max_retries=0)

        first = client(one).responses.create(
            model="gpt-4o-mini", input="My name is Ada.", instructions="Be brief."
        )
        # At once, on the other process.
        second = client(two).responses.create(
            model="gpt-4o-mini", input="What is my name?", previous_response_id=first.id
        )
        assert second.output_text == TEXT
        assert fake.received[-1].body["messages"] == [
            {"role": "user", "content": "My name is Ada."},
            {"role": "assistant", "content": TEXT},
            {"role": "user", "content": "What is my name?"},
        ]
        with client(one).responses.stream(
            model="gpt-4o-mini", input="Again?", previous_response_id=second.id
        ) as stream:
            third = stream.get_final_response()
        assert len(fake.received[-1].body["messages"]) == 5
        assert client(two).responses.retrieve(third.id).output_text == TEXT
        with pytest.raises(openai.NotFoundError):
            client(two, OTHER).responses.retrieve(third.id)
        client(two).responses.delete(first.id)
        with pytest.raises(openai.NotFoundError):
            client(one).responses.retrieve(first.id)
        assert client(one).responses.retrieve(second.id).previous_response_id == first.id
