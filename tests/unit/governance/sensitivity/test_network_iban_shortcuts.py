"""The IP address and IBAN detectors' shortcuts against the plain checks they skip or replace."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from unittest.mock import patch

from hypothesis import assume, given
from hypothesis import strategies as st

from governance.sensitivity import iban, network
from governance.sensitivity.fields import Fields
from governance.sensitivity.keywords import find_cues
from governance.sensitivity.validators import iban_expected_length, iban_valid

_DOTTED_TEXT = st.lists(
    st.sampled_from(
        [
            "1", "23", "255", "4", "٣", ".", "..", " ", "a", "-", ":", "/", "x.y", "  .  ", "\n",
            "10.0.0.1", "1.2.3.4", ":443:", "/8",
        ]
    ),
    max_size=30,
).map("".join)  # fmt: skip


@given(_DOTTED_TEXT)
def test_runs_said_to_hold_no_dotted_quad_hold_none(text: str) -> None:
    runs = find_cues(text).digit_runs
    if network._may_hold_ipv4(text, runs):
        return
    for run_start, run_end in runs:
        window = network._IPV4.finditer(text, run_start, min(len(text), run_end + 3))
        assert not any(True for _ in window)


def _plain_host(value: str) -> bool:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    return not (address.is_loopback or address.is_unspecified)


_OCTETS = st.sampled_from(
    [
        "0", "00", "1", "01", "9", "10", "99", "127", "199", "200", "249", "250", "255", "256",
        "260", "300", "012", "999", "٣", "1٣", "",
    ]
)  # fmt: skip


@given(st.lists(_OCTETS, min_size=1, max_size=5).map(".".join))
def test_a_dotted_quad_is_a_host_as_ipaddress_reads_it(value: str) -> None:
    assert network._ipv4_host(value) is _plain_host(value)


_GROUPS = st.sampled_from(
    ["", "", "0", "00", "0000", "1", "01", "0001", "10", "a", "F", "ffff", "db8", "fe80", "1ff"]
)
_QUAD = st.lists(_OCTETS, min_size=4, max_size=4).map(".".join)


@st.composite
def _ipv6_shapes(draw: st.DrawFn) -> str:
    """What the IPv6 pattern matches: two to nine groups of at most four hex digits, perhaps a
    dotted quad last."""
    groups = draw(st.lists(_GROUPS, min_size=3, max_size=10))
    if draw(st.booleans()):
        groups[-1] = draw(_QUAD)
    return ":".join(groups)


@given(_ipv6_shapes())
def test_an_ipv6_shape_is_a_host_as_ipaddress_reads_it(value: str) -> None:
    assume(network._IPV6.fullmatch(value) is not None)
    assert network._ipv6_host(value) is _plain_host(value)


def _plain_span_holding(value: str, count: int) -> int:
    """A character at a time, as the IBAN check once read it."""
    span = taken = 0
    for char in value:
        span += 1
        if char != " ":
            taken += 1
        if taken == count:
            break
    return span


_SPACED = st.text(alphabet="DE89ab0 ", min_size=1, max_size=40)


@given(_SPACED, st.integers(min_value=1, max_value=40))
def test_the_span_holding_an_ibans_characters_is_the_one_a_character_loop_reads(
    value: str, count: int
) -> None:
    assume(len(value) - value.count(" ") >= count)
    assert iban._span_holding(value, count) == _plain_span_holding(value, count)


_LETTER_VALUES = {chr(ord("A") + i): str(10 + i) for i in range(26)}


def _plain_iban_valid(compact: str) -> bool:
    if iban_expected_length(compact[:2]) != len(compact) or not compact.isalnum():
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(_LETTER_VALUES.get(c, c) for c in rearranged)) % 97 == 1


@st.composite
def _compact_ibans(draw: st.DrawFn) -> str:
    """A country's length of letters and digits, its check digits right or not."""
    country = draw(st.sampled_from(["DE", "GB", "NL", "NO", "MT", "LC", "XX"]))
    length = iban_expected_length(country) or 20
    alphabet = draw(st.sampled_from(["0123456789", "0123456789ABCWXZ", "0123456789٣", "09Abé"]))
    bban = draw(st.text(alphabet=alphabet, min_size=length - 4, max_size=length - 4))
    digits = (bban + country).translate(str.maketrans(_LETTER_VALUES))
    right = f"{98 - int(digits + '00') % 97:02d}" if digits.isdigit() else "00"
    check = draw(st.sampled_from([right, right, "00", "97", "٣1"]))
    return country + check + bban + draw(st.sampled_from(["", "", "1"]))


def _outcome(check: Callable[[str], bool], compact: str) -> bool | str:
    """What the check answers, or the error it raises (int() refuses a lower-case letter)."""
    try:
        return check(compact)
    except ValueError as error:
        return type(error).__name__


@given(_compact_ibans())
def test_an_iban_is_valid_as_the_letter_by_letter_mod_97_reads_it(compact: str) -> None:
    assert _outcome(iban_valid, compact) == _outcome(_plain_iban_valid, compact)


def _plain_checked(text: str, match: re.Match[str]) -> tuple[int, int, str, float] | None:
    """The IBAN check as it read a candidate a character at a time."""
    value = match.group()
    expected = iban_expected_length(value[:2].upper())
    if expected is None:
        return None
    end = match.start() + _plain_span_holding(value, expected)
    taken = len(text[match.start() : end].replace(" ", ""))
    if taken != expected or (end < len(text) and text[end].isalnum()):
        return None
    compact = text[match.start() : end].replace(" ", "")
    if compact != compact.upper() and not iban._mostly_digits(compact[4:]):
        return None
    if not _plain_iban_valid(compact.upper()):
        return None
    return match.start(), end, "IBAN", 0.95


_IBAN_TEXT = st.lists(
    st.sampled_from(
        [
            "DE89 3704 0044 0532 0130 00", "de89370400440532013000", "GB82 WEST 1234 5698 7654 32",
            "NL91ABNA0417164300", "NO93 8601 1117 947", "it20", " each ", "DE89", " 3704", "0044",
            "WEST", "1", "x", " ", ",", "-", "٣",
        ]
    ),
    max_size=10,
).map("".join)  # fmt: skip


@given(_IBAN_TEXT)
def test_an_iban_candidate_is_checked_as_the_character_loop_checked_it(text: str) -> None:
    for begin in range(len(text)):
        match = iban._IBAN.match(text, begin)
        if match is not None:
            assert iban._checked(text, match) == _plain_checked(text, match)


@given(_DOTTED_TEXT)
def test_the_searches_in_a_run_find_what_finditer_finds_there(text: str) -> None:
    runs = find_cues(text).digit_runs
    expected = [
        (match.start(), match.end(), "IP_ADDRESS", 0.9)
        for run_start, run_end in runs
        if run_end - run_start >= 7 and text.count(".", run_start, run_end) >= 3
        for match in network._IPV4.finditer(text, run_start, min(len(text), run_end + 3))
    ]
    with patch.object(network, "_ipv4_host_at", lambda *_: True):
        assert network._ipv4_hosts(text, runs, Fields(text)) == expected
