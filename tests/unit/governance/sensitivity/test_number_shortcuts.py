"""The numbers detector's shortcuts against the checks they skip: a window the native scan
does not offer, or a step it answers in place of `numbers._kind_of`, must be one the full check
answers the same way."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from governance.sensitivity import numbers
from governance.sensitivity.fields import Fields
from governance.sensitivity.keywords import find_cues
from governance.sensitivity.number_scan import scan_numbers
from governance.sensitivity.validators import luhn_valid

_GROUP = st.text(alphabet="0123456789", min_size=1, max_size=12)
_SEPARATOR = st.sampled_from([" ", "-", ".", "/", ") ", "-"])
_CONTEXT = st.sampled_from(
    ["", "call ", "phone: ", "SSN ", "card ", "imei ", "order # ", "ssn\t", "tel. +", "x = 3 + "]
)


@st.composite
def _windows(draw: st.DrawFn) -> tuple[str, str, int, str, int]:
    groups = draw(st.lists(_GROUP, min_size=1, max_size=8))
    head = draw(st.sampled_from(["", "+", "(", "00"]))
    window = head + groups[0]
    for group in groups[1:]:
        window += draw(_SEPARATOR) + group
    return _in_context(draw, window, len(groups), ["", ".", " 12", ":30", " = 4", " ok"])


def _in_context(
    draw: st.DrawFn, window: str, count: int, afters: list[str]
) -> tuple[str, str, int, str, int]:
    """kind_of's arguments for `window` with context drawn before and after it."""
    before = draw(_CONTEXT)
    text = before + window + draw(st.sampled_from(afters))
    digits = "".join(c for c in window if c.isdigit())
    return window, digits, count, text, len(before)


@given(_windows(), st.booleans())
def test_a_window_of_too_few_or_too_many_digits_is_no_finding(
    case: tuple[str, str, int, str, int], device_ids: bool
) -> None:
    window, digits, count, text, position = case
    kind = numbers._kind_of(window, digits, count, text, position, Fields(text), device_ids)
    if not 7 <= len(digits) <= 19:  # the native scan offers no such window
        assert kind is None


def _plain_luhn(digits: str) -> bool:
    if not (digits.isascii() and digits.isdigit()):
        return False
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


@given(st.text(alphabet="0123456789 -x\u0663\u00b2", max_size=24))
def test_the_native_luhn_check_answers_as_the_plain_rule(digits: str) -> None:
    assert luhn_valid(digits) is _plain_luhn(digits)


_YEAR = st.integers(1800, 2099).map(str)
_SHORT = st.text(alphabet="0123456789", min_size=1, max_size=2)
_DATE_JOIN = st.sampled_from(["-", ".", "/"])


@st.composite
def _dated_windows(draw: st.DrawFn) -> tuple[str, str, int, str, int]:
    """A window holding a date as `_DATE_INSIDE` reads one, among other groups."""
    date = [draw(_YEAR), draw(_SHORT), draw(_SHORT)]
    if draw(st.booleans()):
        date.reverse()
    joins = [draw(_DATE_JOIN), draw(_DATE_JOIN)]
    head = draw(st.lists(_GROUP, max_size=2))
    groups = head + date + draw(st.lists(_GROUP, max_size=2))
    at = len(head)  # the date's first group
    window = draw(st.sampled_from(["", "+", "("])) + groups[0]
    for i, group in enumerate(groups[1:], 1):
        window += (joins[i - at - 1] if at < i <= at + 2 else draw(_SEPARATOR)) + group
    return _in_context(draw, window, len(groups), ["", ".", " 12", ":30", " ok"])


@given(_dated_windows(), st.booleans())
def test_a_dated_window_the_native_scan_skips_is_no_finding(
    case: tuple[str, str, int, str, int], device_ids: bool
) -> None:
    window, digits, count, text, position = case
    assert numbers._DATE_INSIDE.search(window)
    kind = numbers._kind_of(window, digits, count, text, position, Fields(text), device_ids)
    if len(digits) in (7, 8, 10, 11):  # number_scan.c's is_dated_phone_window
        assert kind is None


def test_the_native_scan_offers_no_dated_phone_window() -> None:
    text = "at 2024-09-27 09 and 27.09.2024 then 415 555 2671 and 2024-09-27 1 also 2024-9-7 81"
    offered: list[str] = []

    def spy(window: str, *rest: object) -> None:
        offered.append(window)

    scan_numbers(text, find_cues(text).digit_runs, [], spy, Fields(text), True)
    assert "415 555 2671" in offered
    assert "2024-09-27 1" in offered  # nine digits: an SSN where the text says so
    dated = [w for w in offered if numbers._DATE_INSIDE.search(w)]
    assert [w for w in dated if sum(c.isdigit() for c in w) in (7, 8, 10, 11)] == []
