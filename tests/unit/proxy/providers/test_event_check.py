"""The native check of streamed events against what the SDKs parse with (Python's json on the
UTF-8 text): it never says an event is readable when the client could not read it, it says so
for every ordinary chunk, and it finds a top-level "error"."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.providers.event_check import ASK_PYTHON, CHUNK, END, ERROR_CHUNK, kind

KEYS = st.text(max_size=8) | st.sampled_from(["error", "choices", "usage", "id"])
SCALARS = (
    st.none() | st.booleans() | st.integers() | st.text()
    | st.floats(allow_nan=False, allow_infinity=False)
)  # fmt: skip
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20,
)
OBJECTS = st.dictionaries(KEYS, VALUES, max_size=5)


def _event(data: bytes) -> bytes:
    return b"data: " + data + b"\n\n"


def _client_reads(data: bytes) -> Any:
    """What the SDK makes of the data, or raises as it would."""
    return json.loads(data.decode("utf-8"))


def _agrees(data: bytes) -> int:
    """The check's answer, asserted sound against the client's parser."""
    answer = kind(_event(data))
    if answer in (CHUNK, ERROR_CHUNK):
        parsed = _client_reads(data)  # must not raise
        assert isinstance(parsed, dict)
        assert ("error" in parsed) == (answer == ERROR_CHUNK)
    return answer


@settings(max_examples=400)
@given(OBJECTS, st.booleans(), st.sampled_from([(",", ":"), (", ", ": ")]))
def test_every_object_a_client_reads_is_a_chunk(
    chunk: dict[str, Any], ascii_only: bool, separators: tuple[str, str]
) -> None:
    data = json.dumps(chunk, ensure_ascii=ascii_only, separators=separators).encode()
    answer = _agrees(data)
    escaped_key = any("\\" in json.dumps(key, ensure_ascii=ascii_only) for key in chunk)
    assert answer != ASK_PYTHON or escaped_key


@settings(max_examples=600)
@given(OBJECTS, st.data())
def test_a_damaged_object_is_never_called_readable_when_it_is_not(
    chunk: dict[str, Any], data: st.DataObject
) -> None:
    raw = bytearray(json.dumps(chunk, ensure_ascii=False).encode())
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(raw)))
        byte = data.draw(st.integers(0, 255) | st.sampled_from(list(b'{}[]",:\\"0e-.')))
        action = data.draw(st.sampled_from(["insert", "replace", "delete"]))
        if action == "insert":
            raw.insert(at, byte)
        elif at < len(raw):
            if action == "replace":
                raw[at] = byte
            else:
                del raw[at]
    _agrees(bytes(raw).replace(b"\n", b" "))


@given(st.binary(max_size=64))
def test_any_bytes_are_never_called_readable_when_they_are_not(data: bytes) -> None:
    _agrees(b"{" + data.replace(b"\n", b" "))


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (b'data: {"choices": []}\n\n', CHUNK),
        (b'data: {"error": {"message": "x"}}\n\n', ERROR_CHUNK),
        (b'data: {"a": {"error": 1}}\n\n', CHUNK),  # only a top-level error counts
        (b'data: {"\\u0065rror": 1}\n\n', ASK_PYTHON),  # "error" to a client
        (b"data: [DONE]\n\n", END),
        (b"data: [1, 2]\n\n", ASK_PYTHON),
        (b": keep-alive\n\n", ASK_PYTHON),
        (b'event: x\ndata: {"a": 1}\n\n', ASK_PYTHON),
        (b'data: {"a": NaN}\n\n', ASK_PYTHON),
        (b'data: {"a": "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"}\n\n', CHUNK),
        (b'data: {"a": "\xc0\x80"}\n\n', ASK_PYTHON),  # overlong
        (b'data: {"a": "\xed\xa0\x80"}\n\n', ASK_PYTHON),  # a surrogate
        (b'data: {"a": "\xf4\x90\x80\x80"}\n\n', ASK_PYTHON),  # past U+10FFFF
        (b'data: {"a": "\xe2\x82"}\n\n', ASK_PYTHON),  # cut short
        (b'data: {"a": "tab\there"}\n\n', ASK_PYTHON),  # a raw control character
        (b'data: {"a": 01}\n\n', ASK_PYTHON),
        (b'data: {"a": 1} x\n\n', ASK_PYTHON),
        (b'data: {"a": 1}', ASK_PYTHON),
        (b"data: " + b'{"a":' * 70 + b"1" + b"}" * 70 + b"\n\n", ASK_PYTHON),  # deep: exact path
    ],
)
def test_known_events(event: bytes, expected: int) -> None:
    assert kind(event) == expected
