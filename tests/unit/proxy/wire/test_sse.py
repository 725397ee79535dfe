from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proxy.wire.sse import STREAM_END, SSEFramer, event_data, event_json, is_done

EVENTS = [
    b'data: {"a": "caf\xc3\xa9"}\n\n',
    b": keep-alive\n\n",
    b"data: one\ndata: two\n\n",
    b"data: [DONE]\n\n",
]


def _frame(pieces: list[bytes]) -> list[bytes]:
    framer = SSEFramer()
    return [event for piece in pieces for event in framer.feed(piece)]


@given(
    st.lists(st.integers(min_value=0, max_value=200), max_size=30),
    st.sampled_from([b"\n", b"\r\n", b"\r"]),
)
def test_any_split_and_line_ending_gives_the_same_events(cuts: list[int], newline: bytes) -> None:
    payload = b"".join(EVENTS).replace(b"\n", newline)
    points = sorted({c % (len(payload) + 1) for c in cuts})
    pieces = [payload[a:b] for a, b in zip([0, *points], [*points, len(payload)], strict=True)]
    assert _frame(pieces) == EVENTS


def test_coalesced_events_and_extra_blank_lines() -> None:
    assert _frame([b"data: 1\n\n\n\ndata: 2\n\ndata: 3"]) == [b"data: 1\n\n", b"data: 2\n\n"]


def test_event_data_and_done() -> None:
    assert event_data(b"data: {}\n\n") == b"{}"
    assert event_data(b"data:x\ndata: y\n\n") == b"x\ny"
    assert event_data(b": comment\n\n") is None
    assert is_done(b"data: [DONE]\n\n") and not is_done(b"data: {}\n\n")


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (b'data: {"a": 1}\n\n', {"a": 1}),
        (b'event: x\ndata: {"a":\ndata: 2}\n\n', {"a": 2}),
        (b": keep-alive\n\n", None),
        (b"data: [1]\n\n", [1]),
        (b"data: [DONE]\n\n", STREAM_END),
    ],
)
def test_event_json_reads_what_a_client_reads(event: bytes, expected: object) -> None:
    assert event_json(event) == expected


@pytest.mark.parametrize(
    "event",
    [
        b"data: {not json\n\n",
        b'data: {"a": "\xff"}\n\n',
        b": \xff comment\n\n",
        b'event: \xff\ndata: {"a": 1}\n\n',
        b"data: \n\n",
    ],
)
def test_event_json_refuses_what_a_client_could_not_read(event: bytes) -> None:
    with pytest.raises(ValueError):
        event_json(event)
