"""Token log probabilities masked as the answer's text is: values split over tokens included."""

from __future__ import annotations

from typing import Any

from governance.sensitivity import Pseudonyms, rewrite, scan_text
from proxy.middleware.logprob_mask import mask_logprobs


def entries(tokens: list[str]) -> list[dict[str, Any]]:
    return [
        {"token": t, "logprob": -1.0, "bytes": list(t.encode()),
         "top_logprobs": [{"token": t, "logprob": -1.0, "bytes": list(t.encode())}]}
        for t in tokens
    ]  # fmt: skip


def test_values_split_over_tokens_are_masked_as_the_text_is() -> None:
    tokens = ["Mail jo", "@exam", "ple.com or ", "ann@", "example.org", " now"]
    text = "".join(tokens)
    kept = entries(tokens)
    assert mask_logprobs(kept, lambda entity: "redact")
    masked = rewrite(text, scan_text(text).findings, lambda entity: "redact", Pseudonyms())
    assert "".join(e["token"] for e in kept) == masked
    assert "jo@" not in str(kept) and "ann@" not in str(kept)
    assert kept[-1]["top_logprobs"] != [] and kept[1]["top_logprobs"] == []
    assert all(e["bytes"] == list(e["token"].encode()) for e in kept)


def test_allowed_findings_and_plain_tokens_are_left_alone() -> None:
    kept = entries(["Mail ", "jo@example.com"])
    assert not mask_logprobs(kept, lambda entity: "allow")
    assert kept == entries(["Mail ", "jo@example.com"])
