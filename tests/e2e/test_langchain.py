"""LangChain's OpenAI integration works by changing only its base URL."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langchain_openai import ChatOpenAI, OpenAIEmbeddings
from pydantic import BaseModel

from tests.conftest import CLIENT_KEY
from tests.support.fake_openai import TEXT, FakeOpenAI


class Weather(BaseModel):
    city: str
    unit: str


def _chat(gateway_url: str, model: str = "gpt-4o-mini") -> ChatOpenAI:
    return ChatOpenAI(
        model=model,
        base_url=f"{gateway_url}/v1",
        api_key=CLIENT_KEY,  # type: ignore[arg-type]
        max_retries=0,
    )


def test_invoke_stream_and_batch(gateway_url: str) -> None:
    chat = _chat(gateway_url)
    answer = chat.invoke([HumanMessage("hello")])
    assert isinstance(answer, AIMessage) and answer.content == TEXT
    assert answer.usage_metadata is not None and answer.usage_metadata["total_tokens"] == 16
    streamed = "".join(str(chunk.content) for chunk in chat.stream("hello"))
    assert streamed == TEXT
    batch = chat.batch(["one", "two", "three"])
    assert [m.content for m in batch] == [TEXT] * 3


async def test_async_invoke_and_stream(gateway_url: str) -> None:
    chat = _chat(gateway_url)
    answer = await chat.ainvoke("hello")
    assert answer.content == TEXT
    pieces = [str(c.content) async for c in chat.astream("hello")]
    assert "".join(pieces) == TEXT


def test_bind_tools_reassembles_tool_calls(gateway_url: str, fake: FakeOpenAI) -> None:
    chat = _chat(gateway_url).bind_tools([Weather])
    answer = chat.invoke("weather in Paris?")
    assert answer.tool_calls[0]["name"] == "Weather"  # type: ignore[attr-defined]
    assert answer.tool_calls[0]["args"] == {"city": "Paris", "unit": "celsius"}  # type: ignore[attr-defined]
    assert fake.received[-1].body["tools"][0]["function"]["name"] == "Weather"
    merged = None
    for chunk in chat.stream("weather in Paris?"):
        merged = chunk if merged is None else merged + chunk
    assert merged is not None
    assert merged.tool_calls[0]["args"] == {"city": "Paris", "unit": "celsius"}  # type: ignore[attr-defined]


@pytest.mark.parametrize("method", ["function_calling", "json_schema"])
def test_structured_output_with_mock_backend(gateway_url: str, method: str) -> None:
    structured = _chat(gateway_url, "mock-chat").with_structured_output(Weather, method=method)  # type: ignore[arg-type]
    result = structured.invoke("weather in Paris?")
    assert result == Weather(city="mock", unit="mock")


def test_embeddings(gateway_url: str) -> None:
    embeddings = OpenAIEmbeddings(
        model="mock-embed",
        base_url=f"{gateway_url}/v1",  # type: ignore[call-arg]
        api_key=CLIENT_KEY,
        check_embedding_ctx_length=False,
    )  # type: ignore[arg-type]
    vectors = embeddings.embed_documents(["alpha", "beta"])
    assert len(vectors) == 2 and len(vectors[0]) == 16 and vectors[0] != vectors[1]
    assert embeddings.embed_query("alpha") == pytest.approx(vectors[0])
