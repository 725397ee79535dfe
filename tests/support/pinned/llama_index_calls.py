"""llama-index's OpenAI LLMs through the gateway, run by tests/e2e/test_client_llama_index.py in
the pinned venv (llama-index-llms-openai pins openai < 3): `python llama_index_calls.py NAME
BASE_URL KEY [MODEL]` prints what scenario NAME got, as JSON."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable
from typing import Any

from llama_index.core.agent.workflow import FunctionAgent
from llama_index.core.llms import ChatMessage
from llama_index.core.llms.function_calling import FunctionCallingLLM
from llama_index.core.prompts import PromptTemplate
from llama_index.core.tools import FunctionTool
from llama_index.llms.openai import OpenAI, OpenAIResponses
from pydantic import BaseModel

HELLO = [ChatMessage(role="user", content="Say hello")]


class Weather(BaseModel):
    city: str


def _llm(base_url: str, key: str, echo: bool = False) -> FunctionCallingLLM:
    """argv[4] picks the class (`chat` or `responses`), argv[5] the model; `echo`, that model's
    echoing twin. The gateway's aliases are no OpenAI model llama-index knows: it is told the
    context window."""
    model = sys.argv[5]
    if echo:
        model = {"gpt-4o-mini": "gpt-4.1", "native-mini": "native-echo"}[model]
    kind = OpenAIResponses if sys.argv[4] == "responses" else OpenAI
    return kind(model=model, api_base=base_url, api_key=key, max_retries=0, context_window=128000)


def get_weather(city: str, unit: str = "celsius") -> str:
    """Weather in a city."""
    return f"21 C in {city}"


def chat(base_url: str, key: str) -> Any:
    llm = _llm(base_url, key)
    answer = llm.chat(HELLO)
    return {
        "chat": answer.message.content,
        "complete": llm.complete("Say hello").text,
        "stream": "".join(c.delta or "" for c in llm.stream_chat(HELLO)),
        "stream_complete": "".join(c.delta or "" for c in llm.stream_complete("Say hello")),
    }


def async_chat(base_url: str, key: str) -> Any:
    async def run() -> Any:
        llm = _llm(base_url, key)
        answer = await llm.achat(HELLO)
        pieces = [c.delta or "" async for c in await llm.astream_chat(HELLO)]
        return {"chat": answer.message.content, "stream": "".join(pieces)}

    return asyncio.run(run())


def structured(base_url: str, key: str) -> Any:
    """The echoing model answers the prompt: the JSON the schema asks for."""
    llm = _llm(base_url, key, echo=True)
    prompt = PromptTemplate("{question}")
    weather = llm.structured_predict(Weather, prompt, question='{"city": "Paris"}')
    return weather.model_dump()


def tool_call(base_url: str, key: str) -> Any:
    llm = _llm(base_url, key)
    answer = llm.predict_and_call([FunctionTool.from_defaults(get_weather)], "Weather in Paris?")
    return answer.response


def agent(base_url: str, key: str) -> Any:
    """A FunctionAgent's loop: the tool called, its result sent back, the answer given."""

    async def run() -> Any:
        worker = FunctionAgent(
            tools=[FunctionTool.from_defaults(get_weather)], llm=_llm(base_url, key)
        )
        return str(await worker.run("Weather in Paris?"))

    return asyncio.run(run())


def blocked(base_url: str, key: str) -> Any:
    llm = _llm(base_url, key)
    try:
        llm.chat([ChatMessage(role="user", content=sys.argv[6])])
    except Exception as error:  # what the library raised is the answer
        return {
            "type": type(error).__name__,
            "status": getattr(error, "status_code", None),
            "message": str(error),
        }
    return None


SCENARIOS: dict[str, Callable[[str, str], Any]] = {
    f.__name__: f for f in [chat, async_chat, structured, tool_call, agent, blocked]
}

if __name__ == "__main__":
    print(json.dumps(SCENARIOS[sys.argv[1]](sys.argv[2], sys.argv[3])))
