"""Tokens a call will use, estimated offline before it is sent (and corrected afterwards from
the upstream's usage). About four characters a token for English text, plus a few tokens of
framing per message, plus the completion budget the caller asked for; tiktoken would need to
download its encodings, which a gateway must not do on a request."""

from __future__ import annotations

from governance.assessment import request_texts
from proxy.call import Call

__all__ = ["estimate_tokens"]

_CHARS_PER_TOKEN = 4
_PER_MESSAGE = 4


def estimate_tokens(call: Call) -> int:
    texts = request_texts(call.endpoint, call.body)
    prompt = sum(len(text) for _, text in texts) // _CHARS_PER_TOKEN + _PER_MESSAGE * len(texts)
    budget = call.body.get("max_completion_tokens") or call.body.get("max_tokens")
    return prompt + (budget if isinstance(budget, int) and budget > 0 else 0)
