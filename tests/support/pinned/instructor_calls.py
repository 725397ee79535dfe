"""instructor's calls through the gateway, run by tests/e2e/test_client_instructor.py in the
pinned venv (instructor pins openai below the dev venv's): `python instructor_calls.py NAME
BASE_URL KEY` prints what scenario NAME got, as JSON."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable
from typing import Any

import instructor
import openai
from pydantic import BaseModel, field_validator


class Weather(BaseModel):
    city: str


def _client(base_url: str, key: str, mode: instructor.Mode) -> Any:
    return instructor.from_openai(
        openai.OpenAI(base_url=base_url, api_key=key, max_retries=0), mode=mode
    )


def tools(base_url: str, key: str) -> Any:
    client = _client(base_url, key, instructor.Mode.TOOLS)
    weather = client.chat.completions.create(
        model="gpt-4o-mini",
        response_model=Weather,
        messages=[{"role": "user", "content": "Paris?"}],
    )
    return weather.model_dump()


def json_schema(base_url: str, key: str) -> Any:
    client = _client(base_url, key, instructor.Mode.JSON_SCHEMA)
    weather = client.chat.completions.create(
        model="echo",
        response_model=Weather,
        messages=[{"role": "user", "content": '{"city": "Paris"}'}],
    )
    return weather.model_dump()


def retries(base_url: str, key: str) -> Any:
    """The first answer fails validation; instructor asks again with the error, and the second
    passes."""
    seen: list[str] = []

    class Checked(BaseModel):
        city: str

        @field_validator("city")
        @classmethod
        def twice(cls, city: str) -> str:
            seen.append(city)
            if len(seen) == 1:
                raise ValueError("say it again")
            return city

    client = _client(base_url, key, instructor.Mode.TOOLS)
    checked = client.chat.completions.create(
        model="gpt-4o-mini",
        response_model=Checked,
        max_retries=2,
        messages=[{"role": "user", "content": "Paris?"}],
    )
    return {"result": checked.model_dump(), "attempts": len(seen)}


def streamed_partial(base_url: str, key: str) -> Any:
    client = _client(base_url, key, instructor.Mode.TOOLS)
    partials = client.chat.completions.create_partial(
        model="gpt-4o-mini",
        response_model=Weather,
        messages=[{"role": "user", "content": "Paris?"}],
    )
    return [p.model_dump() for p in partials][-1]


def async_tools(base_url: str, key: str) -> Any:
    async def run() -> Any:
        raw = openai.AsyncOpenAI(base_url=base_url, api_key=key, max_retries=0)
        client = instructor.from_openai(raw, mode=instructor.Mode.TOOLS)
        weather = await client.chat.completions.create(
            model="gpt-4o-mini",
            response_model=Weather,
            messages=[{"role": "user", "content": "Paris?"}],
        )
        return weather.model_dump()

    return asyncio.run(run())


def responses_tools(base_url: str, key: str, model: str = "gpt-4o-mini") -> Any:
    client = _client(base_url, key, instructor.Mode.RESPONSES_TOOLS)
    weather = client.responses.create(
        model=model, response_model=Weather, input=[{"role": "user", "content": "Paris?"}]
    )
    return weather.model_dump()


def native_responses_tools(base_url: str, key: str) -> Any:
    return responses_tools(base_url, key, "native-mini")


def blocked(base_url: str, key: str) -> Any:
    client = _client(base_url, key, instructor.Mode.TOOLS)
    try:
        client.chat.completions.create(
            model="gpt-4o-mini",
            response_model=Weather,
            max_retries=2,
            messages=[{"role": "user", "content": sys.argv[4]}],
        )
    except Exception as error:  # what the library raised is the answer
        cause = error.__cause__ or error
        return {
            "type": type(error).__name__,
            "cause": type(cause).__name__,
            "attempts": getattr(error, "n_attempts", None),
            "status": getattr(cause, "status_code", None),
            "message": str(error),
        }
    return None


SCENARIOS: dict[str, Callable[[str, str], Any]] = {
    f.__name__: f
    for f in [
        tools,
        json_schema,
        retries,
        streamed_partial,
        async_tools,
        responses_tools,
        native_responses_tools,
        blocked,
    ]
}

if __name__ == "__main__":
    print(json.dumps(SCENARIOS[sys.argv[1]](sys.argv[2], sys.argv[3])))
