"""The edge reads a body one way only: json_guard.c against a plain Python walk of the same
document (hypothesis), and the errors a client sees for each way a body could be read twice."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.http.json_guard import check
from proxy.http.strict_json import BodyLimits, load_object
from proxy.wire.errors import GatewayError

# --- the native walk against a Python oracle -----------------------------------------------------


@dataclass
class Obj:
    """A JSON object as written: its pairs in order, repeated keys allowed."""

    pairs: list[tuple[str, Any]]


_INT64 = (-(2**63), 2**63 - 1)
_NO_LIMITS = (10**9, 10**9, 10**9)  # array items, values, string characters

_KEYS = st.sampled_from(["a", "b", "content", "é", "😀", 'k"q', "back\\slash", "", "role"])
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)
_DOCS = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.lists(st.tuples(_KEYS, inner), max_size=20).map(Obj),
    ),
    max_leaves=40,
)


def _render(doc: Any, rng: random.Random) -> str:
    space = rng.choice(["", " ", "\n\t", "  "])
    if isinstance(doc, Obj):
        members = [f"{_key(k, rng)}{space}:{space}{_render(v, rng)}" for k, v in doc.pairs]
        return "{" + space + f",{space}".join(members) + space + "}"
    if isinstance(doc, list):
        return "[" + space + f",{space}".join(_render(v, rng) for v in doc) + space + "]"
    return json.dumps(doc)


def _key(key: str, rng: random.Random) -> str:
    """A key spelled plainly or with \\u escapes: both must count as the same key."""
    if rng.random() < 0.5:
        return json.dumps(key, ensure_ascii=False)
    return json.dumps(key, ensure_ascii=True).replace("a", "\\u0061")


def _oracle(
    doc: Any, max_depth: int, path: tuple[Any, ...] = ()
) -> tuple[str, tuple[Any, ...], Any] | None:
    """The first problem in reading order (depth at a container's start, an integer where it
    stands, a repeated key at its object's end), its path and the container it lies in."""
    if isinstance(doc, Obj | list):
        if len(path) >= max_depth:
            return ("too_deep", path, None)
        items = doc.pairs if isinstance(doc, Obj) else list(enumerate(doc))
        for selector, value in items:
            found = _oracle(value, max_depth, (*path, selector))
            if found is not None:
                return found
        if isinstance(doc, Obj):
            seen: set[str] = set()
            for key, _ in doc.pairs:
                if key in seen:
                    return ("duplicate_key", (*path, key), doc)
                seen.add(key)
        return None
    if isinstance(doc, int) and not isinstance(doc, bool) and not _INT64[0] <= doc <= _INT64[1]:
        return ("integer_out_of_range", path, None)
    return None


@settings(max_examples=400)
@given(_DOCS, st.integers(min_value=1, max_value=6), st.randoms(use_true_random=False))
def test_the_native_walk_finds_what_the_oracle_finds(
    doc: Any, max_depth: int, rng: random.Random
) -> None:
    raw = _render(doc, rng).encode()
    found = check(raw, max_depth, *_NO_LIMITS)
    expected = _oracle(doc, max_depth)
    if expected is None or expected[0] != "duplicate_key":
        assert found == (expected[:2] if expected is not None else None)
        return
    # A big object's keys are sorted to find a repeat, so any repeated key may be named.
    assert found is not None and found[0] == "duplicate_key"
    assert found[1][:-1] == expected[1][:-1]
    keys = [k for k, _ in expected[2].pairs]
    assert keys.count(found[1][-1]) > 1


def test_a_big_object_with_one_repeated_key_is_found() -> None:
    members = [f'"k{i}":{i}' for i in range(5000)]
    members.insert(3000, '"k17":"again"')
    found = check(("{" + ",".join(members) + "}").encode(), 8, *_NO_LIMITS)
    assert found == ("duplicate_key", ("k17",))


@given(st.binary(max_size=200))
def test_any_bytes_are_walked_safely(data: bytes) -> None:
    found = check(data, 16, *_NO_LIMITS)
    assert found is None or found[0] in {
        "duplicate_key",
        "too_deep",
        "integer_out_of_range",
        "array_too_long",
        "too_many_values",
        "string_too_long",
        "malformed",
    }


# --- what a client sees -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code", "param"),
    [
        (b'{"model":"m","messages":[{"role":"user","content":"a","content":"b"}]}',
         "duplicate_key", "messages[0].content"),
        (b'{"model":"m","model":"n"}', "duplicate_key", "model"),
        (b'{"model":"m","\\u006dodel":"n"}', "duplicate_key", "model"),
        (b'{"model":"m","max_tokens":99999999999999999999}', "integer_out_of_range",
         "max_tokens"),
        (b'{"model":"m","messages":' + b"[" * 100 + b"]" * 100 + b"}", "nesting_too_deep",
         "messages" + "[0]" * 31),
        (b'{"model":NaN}', "invalid_json", None),
        (b'{"model":Infinity}', "invalid_json", None),
        (b'{"model":"\\ud800"}', "invalid_json", None),
        (b'\xef\xbb\xbf{"model":"m"}', "invalid_json", None),
        (b'{"model":"m"} {"model":"n"}', "invalid_json", None),
        (b'{"model":"m"}garbage', "invalid_json", None),
        (b'"a string"', "invalid_json", None),
        (b"  ", "invalid_json", None),
    ],
)  # fmt: skip
def test_a_body_that_could_be_read_two_ways_is_a_400_naming_the_place(
    raw: bytes, code: str, param: str | None
) -> None:
    with pytest.raises(GatewayError) as caught:
        load_object(raw, BodyLimits(max_depth=32))
    assert caught.value.status == 400
    assert caught.value.code == code
    assert caught.value.param == param


def test_a_body_read_one_way_is_returned_whole() -> None:
    raw = b'{"model":"m","seed":-9223372036854775808,"x":{"\\u00e9":1,"e":2}}'
    assert load_object(raw, BodyLimits(max_depth=4)) == {
        "model": "m",
        "seed": -(2**63),
        "x": {"é": 1, "e": 2},
    }


@pytest.mark.parametrize(
    ("raw", "code", "param"),
    [
        (b'{"messages":[' + b",".join([b"{}"] * 5) + b"]}", "array_above_max_length",
         "messages"),
        (b'{"a":[[1,2,3,4,5]]}', "array_above_max_length", "a[0]"),
        (b'{"a":"' + "é".encode() * 9 + b'"}', "string_above_max_length", "a"),
        (b'{"a":[' + b",".join([b"1"] * 4) + b'],"b":[1,2,3]}', "too_many_values", None),
    ],
)  # fmt: skip
def test_a_body_over_the_size_limits_is_refused_before_it_is_parsed(
    raw: bytes, code: str, param: str | None
) -> None:
    limits = BodyLimits(max_array_items=4, max_values=8, max_string_chars=8)
    with pytest.raises(GatewayError) as caught:
        load_object(raw, limits)
    assert (caught.value.status, caught.value.code, caught.value.param) == (400, code, param)


def test_a_body_at_the_limits_is_read() -> None:
    limits = BodyLimits(max_array_items=4, max_values=8, max_string_chars=8)
    raw = b'{"a":[1,2,3,4],"b":"' + "é".encode() * 8 + b'"}'
    assert load_object(raw, limits) == {"a": [1, 2, 3, 4], "b": "é" * 8}
