"""Azure OpenAI both ways: the `azure` provider calls Azure-style URLs with `api-key`, and the
Azure-style ingress lets clients built with the AzureOpenAI SDK class use the gateway."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import openai
import pytest

from proxy.config.gateway_config import load_config
from proxy.http.app import create_app
from tests.support.fake_openai import TEXT, FakeOpenAI
from tests.support.servers import ServerThread

KEY = "sk-azure-client-0123456789"


@pytest.fixture
def azure(tmp_path: Path) -> Iterator[tuple[FakeOpenAI, str]]:
    fake = FakeOpenAI()
    with ServerThread(fake) as upstream:
        path = tmp_path / "gateway.yaml"
        path.write_text(
            textwrap.dedent(f"""\
                providers:
                  - name: aoai
                    kind: azure
                    base_url: "{upstream.url}"
                    api_key: azure-secret-key
                    api_version: 2024-10-21
                    models: [gpt-4o-mini, text-embedding-3-small, filtered]
                    deployments: {{gpt-4o-mini: prod-mini}}
                    region: eu
                keys: [{{key: {KEY}, org: acme, name: app}}]
                evidence: {{enabled: false}}
            """)
        )
        with ServerThread(create_app(load_config(path))) as gateway:
            yield fake, gateway.url


def azure_client(url: str) -> openai.AzureOpenAI:
    return openai.AzureOpenAI(
        azure_endpoint=url, api_key=KEY, api_version="2024-10-21", max_retries=0
    )


def test_the_azure_sdk_through_the_gateway_to_azure(azure: tuple[FakeOpenAI, str]) -> None:
    fake, url = azure
    client = azure_client(url)
    answer = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}]
    )
    assert answer.choices[0].message.content == TEXT
    sent = fake.received[-1]
    assert sent.path == "/openai/deployments/prod-mini/chat/completions"
    assert sent.query == "api-version=2024-10-21"
    assert sent.headers["api-key"] == "azure-secret-key"
    assert "authorization" not in sent.headers
    stream = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], stream=True
    )
    assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices) == TEXT
    vectors = client.embeddings.create(model="text-embedding-3-small", input=["a", "b"])
    assert len(vectors.data) == 2
    assert fake.received[-1].path == "/openai/deployments/text-embedding-3-small/embeddings"


def test_the_deployment_in_the_path_is_the_model(azure: tuple[FakeOpenAI, str]) -> None:
    fake, url = azure
    client = openai.AzureOpenAI(
        azure_endpoint=url, api_key=KEY, api_version="2024-10-21",
        azure_deployment="gpt-4o-mini", max_retries=0,
    )  # fmt: skip
    client.chat.completions.create(model="ignored", messages=[{"role": "user", "content": "hi"}])
    assert fake.received[-1].body["model"] == "gpt-4o-mini"
    unknown = openai.AzureOpenAI(
        azure_endpoint=url, api_key=KEY, api_version="2024-10-21",
        azure_deployment="no-such-deployment", max_retries=0,
    )  # fmt: skip
    with pytest.raises(openai.NotFoundError):
        unknown.chat.completions.create(model="x", messages=[{"role": "user", "content": "hi"}])


def test_azure_content_filter_is_an_openai_400(azure: tuple[FakeOpenAI, str]) -> None:
    _, url = azure
    with pytest.raises(openai.BadRequestError) as caught:
        azure_client(url).chat.completions.create(
            model="filtered", messages=[{"role": "user", "content": "something"}]
        )
    assert caught.value.code == "content_filter"
    assert "filtered" in caught.value.message
