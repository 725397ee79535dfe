"""Parts of the chat wire format the fake OpenAI upstream speaks when asked: a refusal (model
`refusal`: it names the last message's text, so a pseudonym's placeholder shows in it; streamed
as `delta.refusal` pieces) and token log probabilities (`logprobs: true`, with `top_logprobs`
alternatives, the chosen token first, as OpenAI lists them), one token a streamed piece."""

from __future__ import annotations

import json
from typing import Any

REFUSAL = "I can't help with: "


def refusal_pieces(body: dict[str, Any]) -> list[str]:
    content = body["messages"][-1]["content"]
    text = REFUSAL + (content if isinstance(content, str) else json.dumps(content))
    return [text[i : i + 4] for i in range(0, len(text), 4)]


def token_logprobs(body: dict[str, Any], pieces: list[str]) -> dict[str, Any] | None:
    if body.get("logprobs") is not True:
        return None
    top = int(body.get("top_logprobs") or 0)
    content = []
    for i, piece in enumerate(pieces):
        entry = {"token": piece, "logprob": -0.25 * (i + 1), "bytes": list(piece.encode())}
        others = [{"token": f"alt{k}", "logprob": -5.0 - k, "bytes": list(f"alt{k}".encode())}
                  for k in range(1, top)]  # fmt: skip
        content.append({**entry, "top_logprobs": [entry, *others][:top]})
    return {"content": content, "refusal": None}
