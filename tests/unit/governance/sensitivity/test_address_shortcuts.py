"""The IP address detector's shortcuts against the plain checks they replace."""

from __future__ import annotations

import ipaddress
import re

from hypothesis import given
from hypothesis import strategies as st

from governance.sensitivity import network
from governance.sensitivity.keywords import find_cues
from tests.support.text_pieces import texts_of

# The plain checks: a search along the text before a number, and one along the whole text.
_NOT_A_HOST_BEFORE = re.compile(
    r"(?<![a-z])(?:version|ver\.?|release|build|firmware|fw|v|oid|netmask|mask|subnet mask|sdk"
    r"|api level|app)\s*(?:[:=]|\s+default)?\s*['\"]?$|(?:==|~=|>=|<=|!=|\^|~)\s*$"
    r"|(?:[\w\])]|,\s*)[<>]=?$"
    r"|(?<![a-z])(?:update|upgrade|downgrade|roll(?:ed)? ?back|bump)(?:s|d|ed)?\s+(?:to|from)\s*$"
)
_IPV6 = re.compile(
    r"(?<![\w:.\-])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?"
    r"(?![\w:\-]|\.\w)"
)

_BEFORE = st.lists(
    st.sampled_from(
        [
            "version", "ver", "ver.", "v", "fw", "oid", "mask", "subnet mask", "netmask", "sdk",
            "api level", "app", "release", "build", "firmware", "default", "update", "upgraded",
            "rolled back", "rollback", "bumps", "to", "from", "server", "x", "é", " ", "  ",
            "\t", ":", "=", "==", "~=", ">=", "<", ">", "!=", "^", "~", ",", ")", "]", "'", '"',
            "1.0", "django",
        ]
    ),
    max_size=8,
).map("".join)  # fmt: skip


@given(_BEFORE)
def test_the_reversed_context_reads_as_the_search_before_a_number(before: str) -> None:
    lowered = before.rstrip().lower()
    expected = _NOT_A_HOST_BEFORE.search(lowered) is not None
    assert (network._NOT_A_HOST_BEFORE_REVERSED.match(lowered[::-1]) is not None) is expected


_IPV6_TEXT = st.lists(
    st.sampled_from(
        [
            ":", "::", "a", "F", "0", "12", "beef", "fe80", "2001", "db8", "1.2.3.4", ".", "-",
            "g", " ", "/", "x:", ":5e", "00:1A", "::1", "%",
        ]
    ),
    max_size=24,
).map("".join)  # fmt: skip


@given(_IPV6_TEXT)
def test_the_ipv6_search_from_cue_to_cue_finds_what_finditer_finds(text: str) -> None:
    expected = [m.span() for m in _IPV6.finditer(text)]
    assert [m.span() for m in network._ipv6_matches(text)] == expected


@given(_IPV6_TEXT)
def test_an_ipv6_shape_held_unparsable_is_one_ipaddress_refuses(text: str) -> None:
    for match in _IPV6.finditer(text):
        value = match.group()
        if not network._parsable_ipv6(value):
            try:
                ipaddress.ip_address(value)
            except ValueError:
                continue
            raise AssertionError(value)


def test_a_long_text_with_colons_finds_every_ipv6_shape() -> None:
    text = "at 10:30:15 the MAC 00:1A:2B:3C:4D:5E moved; host fe80::1ff:fe23:4567:890a, " * 40
    expected = [m.span() for m in _IPV6.finditer(text)]
    assert [m.span() for m in network._ipv6_matches(text)] == expected


_IPV4_TEXT = texts_of(["1", "23", "255", "4", ".", "..", " ", "a", "-", ":", "/", "x.y", "  .  "])


@given(_IPV4_TEXT)
def test_a_run_with_fewer_than_three_dots_holds_no_dotted_quad(text: str) -> None:
    for run_start, run_end in find_cues(text).digit_runs:
        window = network._IPV4.finditer(text, run_start, min(len(text), run_end + 3))
        if any(True for _ in window):
            assert text.count(".", run_start, run_end) >= 3
