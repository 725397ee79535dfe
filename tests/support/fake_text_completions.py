"""The legacy `/v1/completions` wire format for the fake OpenAI upstream: a choice per prompt
and per `n` (index = prompt * n + j), `echo`, `stop` (the matched sequence cut, as OpenAI does),
`logprobs` as the legacy object, and a stream of `text_completion` chunks ending in [DONE]
(the usage chunk, with no choices, when `stream_options.include_usage` asks for it, except on
model `no-usage`, which ignores it)."""

from __future__ import annotations

from typing import Any

USAGE = {"prompt_tokens": 6, "completion_tokens": 4, "total_tokens": 10}
_HEAD = {"id": "cmpl-fake1", "object": "text_completion", "created": 1700000000}


def text_completion(body: dict[str, Any]) -> dict[str, Any]:
    choices = [
        {"index": i, "text": text, "logprobs": _logprobs(body, text), "finish_reason": finish}
        for i, (text, finish) in enumerate(_answers(body))
    ]
    return {**_HEAD, "model": body["model"], "choices": choices, "usage": USAGE}


def text_chunks(body: dict[str, Any]) -> list[dict[str, Any]]:
    head = {**_HEAD, "model": body["model"]}
    out = []
    for i, (text, finish) in enumerate(_answers(body)):
        for start in range(0, len(text), 4):
            choice = {"index": i, "text": text[start : start + 4], "logprobs": None,
                      "finish_reason": None}  # fmt: skip
            out.append({**head, "choices": [choice]})
        out.append(
            {
                **head,
                "choices": [{"index": i, "text": "", "logprobs": None, "finish_reason": finish}],
            }
        )
    if (body.get("stream_options") or {}).get("include_usage") and body["model"] != "no-usage":
        out.append({**head, "choices": [], "usage": USAGE})
    return out


def _answers(body: dict[str, Any]) -> list[tuple[str, str]]:
    prompt = body["prompt"]
    prompts = [prompt] if isinstance(prompt, str) else [str(p) for p in prompt]
    stops = body.get("stop") or []
    stops = [stops] if isinstance(stops, str) else stops
    out = []
    for text in prompts:
        answer, finish = f" echo: {text}", "stop"
        for stop in stops:
            if stop in answer:
                answer = answer[: answer.index(stop)]
        if body.get("max_tokens") is not None and len(answer) > 4 * body["max_tokens"]:
            answer, finish = answer[: 4 * body["max_tokens"]], "length"
        if body.get("echo"):
            answer = text + answer
        out.extend([(answer, finish)] * (body.get("n") or 1))
    return out


def _logprobs(body: dict[str, Any], text: str) -> dict[str, Any] | None:
    if body.get("logprobs") is None:
        return None
    tokens = text.split(" ")
    return {
        "tokens": tokens,
        "token_logprobs": [-0.5] * len(tokens),
        "top_logprobs": [{t: -0.5} for t in tokens],
        "text_offset": [sum(len(t) + 1 for t in tokens[:i]) for i in range(len(tokens))],
    }
