from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from proxy.providers.mock_answers import chat_chunks, chat_completion, embeddings

HELLO = {"model": "m", "messages": [{"role": "user", "content": "tell me"}]}


def _streamed_text(body: dict[str, object]) -> str:
    return "".join(
        c["choices"][0]["delta"].get("content") or "" for c in chat_chunks(body, 0) if c["choices"]
    )


@given(st.text(max_size=60))
def test_stream_and_whole_answer_agree(prompt: str) -> None:
    body = {"model": "m", "messages": [{"role": "user", "content": prompt}]}
    whole = chat_completion(body, 0)
    assert whole["choices"][0]["message"]["content"] == _streamed_text(body)
    assert whole == chat_completion(body, 0)  # deterministic


def test_json_schema_answer_fits_the_schema() -> None:
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "age": {"type": "integer"},
            "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
            "nick": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        },
    }
    body = {
        **HELLO,
        "response_format": {"type": "json_schema", "json_schema": {"name": "p", "schema": schema}},
    }
    content = chat_completion(body, 0)["choices"][0]["message"]["content"]
    assert json.loads(content) == {"name": "mock", "age": 1, "tags": ["a"], "nick": "mock"}


def test_named_tool_choice_and_tool_result_turn() -> None:
    tools = [
        {"type": "function", "function": {"name": "a"}},
        {
            "type": "function",
            "function": {
                "name": "b",
                "parameters": {"type": "object", "properties": {"x": {"type": "number"}}},
            },
        },
    ]
    body = {**HELLO, "tools": tools, "tool_choice": {"type": "function", "function": {"name": "b"}}}
    message = chat_completion(body, 0)["choices"][0]["message"]
    assert message["tool_calls"][0]["function"] == {"name": "b", "arguments": '{"x":1.5}'}
    after = {**body, "messages": [*HELLO["messages"], {"role": "tool", "content": "sunny"}]}
    assert "sunny" in chat_completion(after, 0)["choices"][0]["message"]["content"]


def test_n_max_tokens_and_usage() -> None:
    answer = chat_completion({**HELLO, "n": 3, "max_tokens": 2}, 0)
    assert [c["index"] for c in answer["choices"]] == [0, 1, 2]
    assert answer["choices"][0]["finish_reason"] == "length"
    assert answer["usage"]["completion_tokens"] == 6
    last = chat_chunks({**HELLO, "n": 2}, 0)[-1]
    assert last["choices"] == [] and last["usage"]["total_tokens"] > 0


def test_embeddings_token_inputs() -> None:
    result = embeddings({"model": "e", "input": [[1, 2, 3]], "dimensions": 3})
    assert len(result["data"][0]["embedding"]) == 3
    assert result["usage"]["prompt_tokens"] == 3
