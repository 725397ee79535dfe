"""Which strings of a body are scanned, how a rewrite reaches any of them, and how short texts
scanned together get back findings of their own."""

from __future__ import annotations

import base64

from hypothesis import given
from hypothesis import strategies as st

from governance.assessment import scan_texts
from governance.sensitivity import Finding, TextScan, scan_text
from governance.sensitivity.request_text import KeyOf, body_texts, replace_texts
from governance.sensitivity.text_batch import SHORT_TEXT, scan_batch

EMAIL = "kim.lee@example.com"


def _places(endpoint: str, body: dict[str, object]) -> dict[tuple[object, ...], str]:
    return dict(body_texts(endpoint, body))


def test_every_string_leaf_is_a_text_but_the_model_roles_and_known_options() -> None:
    body = {
        "model": "gpt-4o-mini",
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": "hi"}], "name": "n"},
            {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function",
             "function": {"name": "f", "arguments": "{}"}}], "refusal": "no"},
        ],
        "tools": [{"type": "function", "function": {"name": "f", "description": "d",
                   "parameters": {"type": "object", "properties": {"q": {"type": "string",
                   "enum": ["e1"], "default": "dflt", "title": "t"}}}}}],
        "tool_choice": "auto",
        "response_format": {"type": "json_schema", "json_schema": {"name": "s",
                            "schema": {"description": "sd"}}},
        "stop": ["END"],
        "user": "u",
        "metadata": {"note": "m"},
        "brand_new_field": {"nested": ["x"]},
    }  # fmt: skip
    found = set(_places("chat", body).values())
    assert found >= {"hi", "n", "call_1", "f", "{}", "no", "d", "e1", "dflt", "t", "s", "sd",
                     "END", "u", "m", "x", "q", "note", "brand_new_field", "nested"}  # fmt: skip
    assert {"gpt-4o-mini", "user", "assistant", "auto", "json_schema", "text"}.isdisjoint(found)


def test_an_option_holding_an_unknown_value_is_scanned() -> None:
    body = {"model": "m", "messages": [{"role": "user", "content": "x"}], "tool_choice": EMAIL,
            "service_tier": "auto"}  # fmt: skip
    places = _places("chat", body)
    assert places[("tool_choice",)] == EMAIL
    assert ("service_tier",) not in places


def test_a_base64_payload_is_binary_but_text_in_its_place_is_not() -> None:
    payload = base64.b64encode(bytes(range(256)) * 4).decode()
    image = f"data:image/png;base64,{payload}"
    body = {"model": "m", "messages": [{"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": image}},
        {"type": "file", "file": {"filename": "a.pdf", "file_data": f"see {EMAIL}"}},
        {"type": "input_audio", "input_audio": {"data": payload, "format": "wav"}},
    ]}]}  # fmt: skip
    places = _places("chat", body)
    content = ("messages", 0, "content")
    assert places[(*content, 0, "image_url", "url")] == "data:image/png;base64,"
    assert places[(*content, 1, "file", "file_data")] == f"see {EMAIL}"
    assert (*content, 2, "input_audio", "data") not in places


def test_embedding_inputs_and_other_strings_are_texts() -> None:
    body = {"model": "e", "input": ["a", "b"], "user": "u", "encoding_format": "float"}
    assert set(_places("embeddings", body).values()) == {"a", "b", "u"}


def test_a_rewrite_reaches_values_and_keys_anywhere_and_copies_only_its_path() -> None:
    body = {"model": "m", "metadata": {EMAIL: EMAIL, "other": "x"}, "messages": [{"a": "b"}]}
    out = replace_texts(
        body,
        {("metadata", EMAIL): "[V]", ("metadata", KeyOf(EMAIL)): "[K]", ("model",): "m2"},
    )
    assert out == {"model": "m2", "metadata": {"[K]": "[V]", "other": "x"},
                   "messages": [{"a": "b"}]}  # fmt: skip
    assert list(out["metadata"]) == ["[K]", "other"]  # the key keeps its place
    assert body["metadata"] == {EMAIL: EMAIL, "other": "x"}
    assert out["messages"] is body["messages"]


def test_two_keys_masked_alike_stay_two_keys() -> None:
    body = {"metadata": {"a@x.io": 1, "b@x.io": 2}}
    out = replace_texts(
        body, {("metadata", KeyOf("a@x.io")): "[M]", ("metadata", KeyOf("b@x.io")): "[M]"}
    )
    assert sorted(out["metadata"].values()) == [1, 2]


_WORDS = st.sampled_from(
    ["hello", EMAIL, "call 415-555-0132", "4111 1111 1111 1111", "x", "ssn", "123-45-6789", "",
     "dob", "1990-01-02", "AKIA" + "Z" * 16]
)  # fmt: skip


@given(st.lists(st.lists(_WORDS, max_size=4).map(" ".join), max_size=12))
def test_short_texts_scanned_together_get_the_findings_of_one_text(texts: list[str]) -> None:
    """The batch is one text as the scanner sees it (a key's word beside its value counts as
    context, as in a document); each text gets exactly the findings inside it, on its offsets."""
    batched = scan_batch(texts, scan_text)
    if len(texts) < 2:
        assert batched == [scan_text(t) for t in texts]
        return
    joined = scan_text("\n\n".join(texts))
    start = 0
    for text, scan in zip(texts, batched, strict=True):
        inside = {
            (f.start - start, f.end - start, f.type)
            for f in joined.findings
            if start <= f.start and f.end <= start + len(text)
        }
        assert {(f.start, f.end, f.type) for f in scan.findings} >= inside
        assert all(0 <= f.start < f.end <= len(text) for f in scan.findings)
        start += len(text) + 2


def test_a_finding_read_across_two_texts_sends_them_to_be_scanned_alone() -> None:
    calls: list[str] = []

    def scan(text: str) -> TextScan:
        calls.append(text)
        if "\n\n" in text:  # a detector that reads across the gap
            return TextScan((Finding(0, len(text), "SECRET", 1.0),), False)
        return TextScan((), False)

    assert scan_batch(["ab", "cd"], scan) == [TextScan((), False), TextScan((), False)]
    assert calls == ["ab\n\ncd", "ab", "cd"]


def test_long_texts_are_scanned_one_by_one() -> None:
    long = "x" * SHORT_TEXT
    calls: list[str] = []

    def scan(text: str) -> TextScan:
        calls.append(text)
        return TextScan((), False)

    scan_texts([(("a",), long), (("b",), "s"), (("c",), long + "y")], scan)
    assert calls == [long, long + "y", "s"]


def test_a_messages_body_is_read_in_its_own_terms() -> None:
    pdf = base64.b64encode(bytes(range(256)) * 2).decode()
    body = {
        "model": "claude-x",
        "system": [{"type": "text", "text": "sys", "cache_control": {"type": "ephemeral"}}],
        "messages": [
            {"role": "user", "content": [
                {"type": "document", "title": "T", "source": {
                    "type": "base64", "media_type": "application/pdf", "data": pdf}},
                {"type": "tool_result", "tool_use_id": "toolu_1", "content": [
                    {"type": "text", "text": "res"}], "is_error": True},
            ]},
            {"role": "assistant", "content": [
                {"type": "thinking", "thinking": "th", "signature": pdf},
                {"type": "tool_use", "id": "toolu_2", "name": "f", "input": {"q": "in"}},
            ]},
        ],
        "tool_choice": {"type": "any"},
        "thinking": {"type": "enabled", "budget_tokens": 10},
        "output_config": {"format": {"type": "json_schema", "schema": {"description": "sd"}}},
    }  # fmt: skip
    texts = sorted(_places("messages", body).values())
    # A tool input's key is scanned too: it is the caller's word, not the API's.
    assert texts == sorted(["sys", "T", "toolu_1", "res", "th", "toolu_2", "f", "q", "in", "sd"])
    assert sorted(_places("count_tokens", body).values()) == texts


def test_a_text_completion_reads_its_prompts_and_options() -> None:
    body = {"model": "m", "prompt": ["a", "b"], "suffix": "s", "stop": "x", "echo": True}
    assert sorted(_places("completions", body).values()) == ["a", "b", "s", "x"]
    assert _places("completions", {"model": "m", "prompt": [[1, 2]]}) == {}
