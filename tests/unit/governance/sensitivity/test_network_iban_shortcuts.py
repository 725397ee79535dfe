"""The IP address and IBAN detectors' shortcuts against the plain checks they skip or replace."""

from __future__ import annotations

import ipaddress

from hypothesis import assume, given
from hypothesis import strategies as st

from governance.sensitivity import network
from governance.sensitivity.keywords import find_cues

_DOTTED_TEXT = st.lists(
    st.sampled_from(
        ["1", "23", "255", "4", "٣", ".", "..", " ", "a", "-", ":", "/", "x.y", "  .  ", "\n"]
    ),
    max_size=30,
).map("".join)


@given(_DOTTED_TEXT)
def test_a_text_without_the_dotted_quad_cue_has_no_run_holding_a_dotted_quad(text: str) -> None:
    if network._DOTTED_QUAD_CUE.search(text) is not None:
        return
    for run_start, run_end in find_cues(text).digit_runs:
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
