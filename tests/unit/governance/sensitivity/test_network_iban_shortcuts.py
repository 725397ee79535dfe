"""The IP address and IBAN detectors' shortcuts against the plain checks they skip or replace."""

from __future__ import annotations

from hypothesis import given
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
