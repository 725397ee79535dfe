"""Chat completions' token log probabilities as the Responses API's: whole on an `output_text`
part (`LogProb`, bytes included) and per delta in a stream (`ResponseLogProb`). Pure functions.

They describe the model's own tokens: a pseudonym's placeholder stays as the model wrote it
(restoring a value into tokens would invent tokens and probabilities nobody computed), and a
value the answer's scan masks is masked in them too (proxy/middleware/logprob_mask.py)."""

from __future__ import annotations

from typing import Any

__all__ = ["chat_token_logprobs", "delta_logprobs", "part_logprobs"]


def chat_token_logprobs(choice: dict[str, Any]) -> list[dict[str, Any]]:
    """The content tokens' entries of a chat choice (or chunk choice); none when absent."""
    logprobs = choice.get("logprobs")
    content = logprobs.get("content") if isinstance(logprobs, dict) else None
    return [e for e in content if isinstance(e, dict)] if isinstance(content, list) else []


def part_logprobs(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chat's entries as a part's `LogProb`s; the shapes are alike, so it reads a Response's
    (or a delta's, which lack bytes) back into chat's too."""
    return [
        {**_token(entry), "top_logprobs": [_token(t) for t in _tops(entry)]} for entry in entries
    ]


def delta_logprobs(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "token": str(entry.get("token") or ""),
            "logprob": float(entry.get("logprob") or 0.0),
            "top_logprobs": [
                {"token": str(t.get("token") or ""), "logprob": float(t.get("logprob") or 0.0)}
                for t in _tops(entry)
            ],
        }
        for entry in entries
    ]


def _tops(entry: dict[str, Any]) -> list[dict[str, Any]]:
    tops = entry.get("top_logprobs")
    return [t for t in tops if isinstance(t, dict)] if isinstance(tops, list) else []


def _token(entry: dict[str, Any]) -> dict[str, Any]:
    token = str(entry.get("token") or "")
    raw = entry.get("bytes")
    data = raw if isinstance(raw, list) else list(token.encode())  # chat's bytes may be null
    return {"token": token, "logprob": float(entry.get("logprob") or 0.0), "bytes": data}
