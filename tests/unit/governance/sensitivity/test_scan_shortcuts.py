"""The scan's shortcuts against the plain checks they replace: each reads only where its answer
can lie (a cue's position, a digit run), so it must answer as the plain check does."""

from __future__ import annotations

import ipaddress
import re

from hypothesis import given
from hypothesis import strategies as st

from governance.sensitivity import network
from governance.sensitivity.health import mentions_health_condition
from governance.sensitivity.keywords import find_cues

# The plain checks: a search along the whole text.
_CONDITION = re.compile(
    r"(?i)\b(?:diagnos(?:is|ed|es)|icd-?10|dx|prognosis|condition|treated for|suffers from"
    r"|prescribed|medication|hiv|diabetes|cancer|depression|pregnan\w*|chemotherapy)\b"
)
_ICD10_DOTTED = re.compile(r"\b[A-TV-Z]\d[0-9AB]\.[0-9A-Z]{1,4}\b")

_HEALTH_TEXT = st.lists(
    st.sampled_from(
        [
            "diagnosis", "Diagnosed", "diagnostic", "ICD-10", "icd10", "dx", "idx", "condition",
            "conditions", "treated for", "prescribed", "prescription", "HIV", "archive",
            "cancerous", "pregnant", "E11.9", "e11.9", "A10.AB", "C4A.XY", "U07.1", "12", "3",
            "E", "11", ".9", " ", " ", ",", "\n", "x", "é",
        ]
    ),
    max_size=12,
).map("".join)  # fmt: skip


@given(_HEALTH_TEXT)
def test_a_health_condition_is_read_at_its_cues_and_runs_as_a_search_finds_it(text: str) -> None:
    expected = _CONDITION.search(text) is not None or _ICD10_DOTTED.search(text) is not None
    assert mentions_health_condition(text, find_cues(text)) is expected


def test_a_word_holding_a_condition_cue_is_no_condition() -> None:
    text = "archive the idx files " * 200  # 'hiv' and 'dx' inside words, nothing else
    assert not mentions_health_condition(text, find_cues(text))


_OCTETS = st.sampled_from(["0", "00", "1", "01", "9", "10", "127", "255", "256", "012", "999"])


@given(st.lists(_OCTETS, min_size=3, max_size=5).map(".".join))
def test_a_dotted_quad_is_a_host_as_ipaddress_reads_it(value: str) -> None:
    try:
        address = ipaddress.ip_address(value)
        expected = not (address.is_loopback or address.is_unspecified)
    except ValueError:
        expected = False
    assert network._is_host(value, value, len(value)) is expected
