"""Secret detection's speed shortcuts against the plain checks they replace."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from governance.sensitivity import secret_values
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
