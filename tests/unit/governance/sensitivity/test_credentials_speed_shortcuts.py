"""Secret detection's speed shortcuts against the plain checks they replace."""

from __future__ import annotations

import re
from unittest.mock import patch

from hypothesis import given
from hypothesis import strategies as st

from governance.sensitivity import credentials, key_settings, secret_values
from governance.sensitivity.fields import Fields
from governance.sensitivity.keywords import ASSIGNMENT_WORDS, find_cues
from governance.sensitivity.secret_values import entropy, entropy_at_least, is_real_value

# Values from even to very uneven: a few characters, one of them often repeated.
_SKEWED = st.builds(
    lambda body, run: body + "a" * run,
    st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF-_ "), max_size=48),
    st.integers(min_value=0, max_value=60),
)
_VALUE = _SKEWED | st.text(max_size=60) | st.sampled_from(
    ["abcdefgh", "abcdabcd", "aabbccddeeffgghh", "0123456789abcdef", "abcdefghijk",
     "abcdefghijkl", "sk-proj-ShFMnRHMsDcJnDlLUYfYrn4BkeoHDMTlJ0kaQmZe", "  abc123  "]
)  # fmt: skip
_FLOOR = st.sampled_from([2.0, 3.0, 3.5]) | st.floats(min_value=0.01, max_value=8.0)


@given(_VALUE, _FLOOR)
def test_entropy_at_least_answers_as_the_entropy_compared(value: str, floor: float) -> None:
    assert entropy_at_least(value, floor) is (entropy(value) >= floor)


@given(_VALUE)
def test_the_least_entropy_is_a_lower_bound(value: str) -> None:
    distinct = len(set(value))
    if distinct:
        assert secret_values._least_entropy(len(value), distinct) <= entropy(value) + 1e-12


def _plain_is_real_value(value: str) -> bool:
    value = value.strip()
    if len(value) < 6 or secret_values._PLACEHOLDER.match(value):
        return False
    if secret_values._PIN.fullmatch(value):
        return False
    if secret_values._PATH.fullmatch(value) and not secret_values._RANDOM_SEGMENT.search(value):
        return False
    if value.isdigit() and len(value) < 12:
        return False
    return entropy(value) >= 2.0


@given(
    _VALUE
    | st.sampled_from(["${DB_PASSWORD}", "django==4.2.7", "/home/deploy", "8080", "12345678901"])
)
def test_is_real_value_answers_as_the_plain_check(value: str) -> None:
    assert is_real_value(value) is _plain_is_real_value(value)


_SETTING = st.lists(
    st.sampled_from(
        ["password", "api_key", "token", "--", "-", " ", "\t", "\n", "=", ":", " = ", ": ", "=>",
         ":=", "\"", "'", "]", "(", ")", "\x1c", "\u2003", "{", "x", "9", "_", ".", "é",
         "Xk9#mQ2vL", "a1b2c3d4e5", "&next=", ": str", "`", ";", ",", "}"]
    ),
    max_size=12,
).map("".join)  # fmt: skip


def _plain_assigned_value(text: str, word_end: int) -> tuple[int, int] | None:
    """The value after a setting's name, its name walked back from its end, its group the first
    value group that matched."""
    if word_end < len(text) and text[word_end].isalnum():
        return None
    name_start = word_end
    while name_start > 0 and (text[name_start - 1].isalnum() or text[name_start - 1] in "_.-"):
        name_start -= 1
    match = credentials._AFTER_NAME.match(text, word_end)
    flag = text.startswith("-", name_start) and (name_start == 0 or text[name_start - 1].isspace())
    if match is None and flag:
        match = credentials._AFTER_FLAG.match(text, word_end)
    if match is None:
        return None
    group = next(g for g in (2, 4, 5, 7, 9) if g <= match.re.groups and match.group(g) is not None)
    start, end = match.span(group)
    if group == 5:
        parameter = credentials._NEXT_PARAMETER.search(text, start, end)
        end = parameter.start() if parameter is not None else end
    if not is_real_value(text[start:end]):
        return None
    return start, end


@given(_SETTING, st.sampled_from(ASSIGNMENT_WORDS), _SETTING)
def test_the_assigned_value_answers_as_the_plain_reading(
    before: str, word: str, after: str
) -> None:
    text = before + word + after
    start = len(before)
    expected = _plain_assigned_value(text, start + len(word))
    assert credentials._assigned_value(text, start, start + len(word)) == expected


def test_the_assignment_words_are_made_of_a_names_characters() -> None:
    # The flag's name is walked back from the cue word's start.
    assert all(c.isalnum() or c in "_.-" for word in ASSIGNMENT_WORDS for c in word)


@given(
    st.text(st.sampled_from("ab_.-9é ²\t:"), max_size=12)
    | st.text(st.sampled_from("aZ_.-0é²"), min_size=20, max_size=90),
    st.data(),
)
def test_a_names_start_is_found_as_walking_back_finds_it(text: str, data: st.DataObject) -> None:
    end = data.draw(st.integers(min_value=0, max_value=len(text)))
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_.-"):
        start -= 1
    assert credentials._name_start(text, end) == start


_ROW_PIECE = st.sampled_from(
    ["password", "token", "api_key", ",", ";", "|", "\t", " ", "\n", ":", "=", "\"", "'", "`",
     "*", "(", ")", "#", "/", "°", "\u2019", "x", "9", "é", "{", "$", "Xk9#mQ2v", "secret"]
)  # fmt: skip


@given(st.lists(_ROW_PIECE, max_size=16).map("".join), st.data())
def test_a_line_ruled_out_as_a_header_has_no_column_below(text: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(min_value=0, max_value=len(text)))
    if not credentials._may_head_a_column(text, position):
        assert Fields(text).column_below(position) == []


_SECRET_PIECES = st.sampled_from(
    ["sk-proj-ShFMnRHMsDcJnDlLUYfYrn4BkeoHDMTlJ0kaQmZe", "AKIAFRVX3JGFDVNAOXDQ",
     "ghp_QyVMeWT6NPuYbRtsaCWDi132twOxivx1aB9z", "password: Xk9#mQ2vL", "api_key=",
     "token ", "key: ", "data:text/plain;base64,", "https://u:Pw9xZ2kq@host", " ", "\n",
     "Bearer ", "auth=", "secret", "curl -u a:", "é", "x"]
)  # fmt: skip


@given(st.lists(_SECRET_PIECES, max_size=8).map("".join))
def test_a_text_of_vendor_cues_alone_is_found_as_by_every_detector(text: str) -> None:
    # With every cue counted as another detector's, no text takes the vendors-only return.
    cues, fields = find_cues(text), Fields(text)
    with patch.object(credentials, "_OTHER_CUES", credentials._ANY_CUE):
        expected = sorted(credentials.detect_secrets(text, cues, fields))
    assert sorted(credentials.detect_secrets(text, cues, fields)) == expected


_EACH_VENDOR_WITH_ITS_BOUNDARY = re.compile(
    "|".join(credentials._B + token for token in credentials._VENDOR_TOKENS)
)
_VENDOR_PIECES = st.sampled_from(
    ["sk-", "sk-ant-api03-", "proj-", "AKIA", "ghp_", "xoxb-", "eyJ", "hf_", "key-", "SG.",
     "AIza", "glpat-", "a1B2c3D4e5F6g7H8", "0123456789abcdef", "-", "_", ".", " ", "x", "=",
     "é", "LTAI", "dapi"]
)  # fmt: skip


@given(st.lists(_VENDOR_PIECES, max_size=12).map("".join))
def test_the_vendor_pattern_reads_its_boundary_once_and_matches_as_each_vendors(
    text: str,
) -> None:
    for position in range(len(text) + 1):
        found = credentials._VENDOR.match(text, position)
        expected = _EACH_VENDOR_WITH_ITS_BOUNDARY.match(text, position)
        assert (found and found.span()) == (expected and expected.span())


@given(
    st.text(st.sampled_from("ab_.-9é ²\t:\"'"), max_size=12)
    | st.text(st.sampled_from("aZ_.-0é²"), min_size=30, max_size=90),
    st.data(),
)
def test_a_key_settings_name_start_is_found_as_walking_back_40_finds_it(
    text: str, data: st.DataObject
) -> None:
    position = data.draw(st.integers(min_value=0, max_value=len(text)))
    start = position
    while (
        start > 0
        and position - start < 40
        and (text[start - 1].isalnum() or text[start - 1] in "_-.")
    ):
        start -= 1
    assert key_settings._name_start(text, position) == start
