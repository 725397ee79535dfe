"""The scan's cheaper ways of answering a question against the plain answers they replace."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from governance.sensitivity import numbers, validators


def _card_brand_by_walk(digits: str) -> str | None:
    """Each brand's range tried in turn, as card_brand did before its prefix table."""
    for brand, low, high, lengths in validators._CARD_RANGES:
        if len(digits) in lengths and low <= digits[: len(low)] <= high:
            return brand
    return None


@given(st.text(alphabet="0123456789", max_size=21))
def test_card_brand_by_prefix_is_the_walk_through_the_ranges(digits: str) -> None:
    assert validators.card_brand(digits) == _card_brand_by_walk(digits)


@given(
    st.sampled_from(
        [r[1] for r in validators._CARD_RANGES] + [r[2] for r in validators._CARD_RANGES]
    ),
    st.text(alphabet="0123456789", min_size=8, max_size=17),
)
def test_card_brand_at_each_range_edge(prefix: str, rest: str) -> None:
    digits = prefix + rest
    assert validators.card_brand(digits) == _card_brand_by_walk(digits)


@given(st.text(alphabet="ab 1#.:=\"'9x\u0130\u00c9", max_size=30))
def test_after_last_digit_is_past_the_last_ascii_digit(text: str) -> None:
    assert numbers._after_last_digit(text) == max(text.rfind(d) for d in "0123456789") + 1


_LABEL_WORDS = st.sampled_from(
    ["order", "Invoice", "no", "No.", "number", "#", "phone", "NPI", "x"]
)


@given(st.lists(_LABEL_WORDS, max_size=4), st.sampled_from(["", " ", ": ", " #", "='", ". "]))
def test_id_label_reads_the_lowered_context_as_it_read_any_case(
    words: list[str], tail: str
) -> None:
    before = numbers._before(" ".join(words) + tail + "1", len(" ".join(words) + tail))
    assert numbers._id_label(before) == _id_label_lowering(before)


def _id_label_lowering(before: str) -> bool:
    """numbers._id_label as it was, lowering each word it reads."""
    head = before.rstrip(" '\"")
    words = head.rstrip(" :=#").rsplit(None, 2)
    if not head.endswith("#"):
        last = words[-1].rstrip(".").lower() if words else ""
        if last not in numbers._ID_LABELS:
            return False
        if last not in numbers._NUMBER_WORDS:
            return True
        words.pop()
    return bool(words) and words[-1].rstrip(".:").lower() in numbers._ID_LABELS


@given(st.text(alphabet="0123456789 ()+-./", max_size=24))
def test_a_date_inside_a_window_needs_a_dash_dot_or_slash(window: str) -> None:
    if not ("-" in window or "." in window or "/" in window):
        assert numbers._DATE_INSIDE.search(window) is None
