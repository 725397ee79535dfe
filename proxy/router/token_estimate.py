"""Tokens a call will use, estimated offline before it is sent (and corrected afterwards from
the upstream's usage). About four characters a token for English text, plus a few tokens of
framing per message, plus the completion budget the caller asked for; tiktoken would need to
download its encodings, which a gateway must not do on a request."""

from __future__ import annotations

from governance.assessment import request_texts
from proxy.call import Call

__all__ = ["CHARS_PER_TOKEN", "estimate_tokens", "expected_tokens", "prompt_tokens"]

CHARS_PER_TOKEN = 4
_PER_MESSAGE = 4


_TYPICAL_ANSWER = 256  # tokens, when the caller set no budget
# Where a body keeps the pieces that each cost framing tokens.
_FRAMED = {"chat": "messages", "messages": "messages", "count_tokens": "messages",
           "completions": "prompt", "responses": "messages"}  # fmt: skip


def estimate_tokens(call: Call) -> int:
    """Prompt plus the completion budget the caller asked for (what a quota must allow)."""
    prompt, budget = _prompt_and_budget(call)
    return prompt + (budget or 0)


def prompt_tokens(call: Call) -> int:
    """The prompt alone (what `/v1/messages/count_tokens` answers for a non-Anthropic backend)."""
    return _prompt_and_budget(call)[0]


def expected_tokens(call: Call) -> tuple[int, int]:
    """(prompt, completion) tokens to expect, for comparing prices."""
    prompt, budget = _prompt_and_budget(call)
    return prompt, min(budget, _TYPICAL_ANSWER) if budget else _TYPICAL_ANSWER


def _prompt_and_budget(call: Call) -> tuple[int, int | None]:
    texts = request_texts(call.endpoint, call.body)
    framed = call.body.get(_FRAMED.get(call.endpoint, "input"))
    pieces = len(framed) if isinstance(framed, list) else 1
    prompt = sum(len(text) for _, text in texts) // CHARS_PER_TOKEN + _PER_MESSAGE * pieces
    budget = call.body.get("max_completion_tokens") or call.body.get("max_tokens")
    return prompt, budget if isinstance(budget, int) and budget > 0 else None
