"""pydantic-ai through the gateway: an `Agent` on `OpenAIChatModel` (chat completions) and on
`OpenAIResponsesModel` (the Responses API, translated and native), running a tool loop, giving
structured output, streaming, and seeing a policy block as its own exception."""

from __future__ import annotations

import pytest
from pydantic import BaseModel
from pydantic_ai import Agent
from pydantic_ai.exceptions import (
    ModelAuthenticationError,
    ModelHTTPError,
    ModelNotFoundError,
    ModelServerError,
)
from pydantic_ai.models import Model
from pydantic_ai.models.anthropic import AnthropicModel
from pydantic_ai.models.openai import (
    OpenAIChatModel,
    OpenAIResponsesModel,
    OpenAIResponsesModelSettings,
)
from pydantic_ai.providers.anthropic import AnthropicProvider
from pydantic_ai.providers.openai import OpenAIProvider

from tests.support import fake_responses
from tests.support.client_gateway import (
    BLOCKED_CODE,
    EMAIL,
    KEY,
    PSEUDO,
    SECRET,
    ClientGateway,
    client_gateway,
)
from tests.support.fake_openai import TEXT

__all__ = ["client_gateway"]

KINDS = ["chat", "responses", "native"]


class Weather(BaseModel):
    city: str


NATIVE = {"gpt-4o-mini": "native-mini", "echo": "native-echo", "reset-mid-stream": "native-fail"}


def _model(g: ClientGateway, kind: str, model: str = "gpt-4o-mini", key: str = KEY) -> Model:
    provider = OpenAIProvider(base_url=g.base_url, api_key=key)
    if kind == "chat":
        return OpenAIChatModel(model, provider=provider)
    return OpenAIResponsesModel(NATIVE[model] if kind == "native" else model, provider=provider)


def _text(kind: str) -> str:
    return fake_responses.TEXT if kind == "native" else TEXT


def _weather_agent(model: Model) -> Agent[None, str]:
    agent = Agent(model, instructions="Use tools.")

    @agent.tool_plain
    def get_weather(city: str, unit: str = "celsius") -> str:
        """Weather in a city."""
        return f"21 C in {city}"

    return agent


@pytest.mark.parametrize("kind", KINDS)
def test_tool_loop(client_gateway: ClientGateway, kind: str) -> None:
    result = _weather_agent(_model(client_gateway, kind)).run_sync("Weather in Paris?")
    assert result.output == _text(kind)
    tool_return = [
        p for m in result.all_messages() for p in m.parts if p.part_kind == "tool-return"
    ]
    assert [p.content for p in tool_return] == ["21 C in Paris"]


@pytest.mark.parametrize("kind", KINDS)
async def test_streamed_tool_loop(client_gateway: ClientGateway, kind: str) -> None:
    agent = _weather_agent(_model(client_gateway, kind))
    async with agent.run_stream("Weather in Paris?") as run:
        pieces = [piece async for piece in run.stream_text(delta=True)]
    assert "".join(pieces) == _text(kind)


@pytest.mark.parametrize("kind", KINDS)
def test_structured_output(client_gateway: ClientGateway, kind: str) -> None:
    agent = Agent(_model(client_gateway, kind), output_type=Weather)
    assert agent.run_sync("Weather in Paris?").output == Weather(city="Paris")


@pytest.mark.parametrize("kind", KINDS)
def test_policy_block_is_a_model_http_error(client_gateway: ClientGateway, kind: str) -> None:
    agent = Agent(_model(client_gateway, kind))
    with pytest.raises(ModelHTTPError) as caught:
        agent.run_sync(f"Deploy with {SECRET}")
    assert caught.value.status_code == 403
    assert BLOCKED_CODE in str(caught.value.body)
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize("kind", KINDS)
def test_pseudonyms_restored_through_the_tool_loop(
    client_gateway: ClientGateway, kind: str
) -> None:
    """The tool's answer carries an email: the upstream sees its pseudonym, the agent the value."""
    agent = Agent(_model(client_gateway, kind, "echo", PSEUDO))

    @agent.tool_plain
    def get_contact(city: str, unit: str = "") -> str:
        """Who to mail in a city."""
        return f"Mail {EMAIL} about {city}"

    result = agent.run_sync(f"Who to mail in Paris? I am {EMAIL}")
    assert result.output == f"Mail {EMAIL} about Paris"
    assert EMAIL not in str(client_gateway.fake.received[-1].body)


@pytest.mark.parametrize("kind", KINDS)
async def test_a_backend_failing_mid_stream_is_a_server_error(
    client_gateway: ClientGateway, kind: str
) -> None:
    """The 200 has gone out: the error event's type (chat) or code (Responses) is what tells
    pydantic-ai it is a server error (retried, or fallen back from, as a 5xx is)."""
    agent = Agent(_model(client_gateway, kind, "reset-mid-stream"))
    with pytest.raises(ModelServerError) as caught:
        async with agent.run_stream("hello") as run:
            async for _ in run.stream_text(delta=True):
                pass
    assert caught.value.status_code == 500
    assert "upstream" in str(caught.value)


@pytest.mark.parametrize("kind", KINDS)
def test_a_wrong_key_and_an_unknown_model_are_their_own_errors(
    client_gateway: ClientGateway, kind: str
) -> None:
    wrong = Agent(_model(client_gateway, kind, key="sk-wrong-0123456789"))
    with pytest.raises(ModelAuthenticationError):
        wrong.run_sync("hello")
    provider = OpenAIProvider(base_url=client_gateway.base_url, api_key=KEY)
    kinds = {"chat": OpenAIChatModel, "responses": OpenAIResponsesModel,
             "native": OpenAIResponsesModel}  # fmt: skip
    with pytest.raises(ModelNotFoundError):
        Agent(kinds[kind]("no-such-model", provider=provider)).run_sync("hello")


def test_anthropic_model_through_the_messages_ingress(client_gateway: ClientGateway) -> None:
    """`AnthropicModel` with the gateway as its base URL: the tool loop and structured output
    over `/v1/messages`, served by the chat backend."""
    provider = AnthropicProvider(base_url=client_gateway.url, api_key=KEY)
    model = AnthropicModel("gpt-4o-mini", provider=provider)
    assert _weather_agent(model).run_sync("Weather in Paris?").output == TEXT
    assert Agent(model, output_type=Weather).run_sync("Weather?").output == Weather(city="Paris")
    with pytest.raises(ModelHTTPError) as caught:
        Agent(model).run_sync(f"Deploy with {SECRET}")
    assert caught.value.status_code == 403 and SECRET not in str(caught.value)


@pytest.mark.parametrize("kind", ["responses", "native"])
def test_responses_settings_of_the_spec(client_gateway: ClientGateway, kind: str) -> None:
    """Prompt-cache options are a hint (to a native backend as given); moderation by the backend
    and server-side compaction are a 400 naming the field, never dropped, never 'unknown'."""
    agent = Agent(_model(client_gateway, kind))
    settings = OpenAIResponsesModelSettings(openai_prompt_cache_options={"mode": "implicit"})
    assert agent.run_sync("hello", model_settings=settings).output == _text(kind)
    if kind == "native":
        assert client_gateway.sent()["prompt_cache_options"] == {"mode": "implicit"}
    refused = (
        OpenAIResponsesModelSettings(openai_moderation={"model": "omni-moderation-latest"}),
        OpenAIResponsesModelSettings(
            openai_context_management=[{"type": "compaction", "compact_threshold": 1000}]
        ),
    )
    for setting in refused:
        with pytest.raises(ModelHTTPError) as caught:
            agent.run_sync("hello", model_settings=setting)
        assert caught.value.status_code == 400
        assert isinstance(caught.value.body, dict)
        assert caught.value.body["code"] == "unsupported_parameter"
        assert caught.value.body["param"] in ("moderation", "context_management")
