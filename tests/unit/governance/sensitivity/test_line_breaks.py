"""A line break is a boundary for numbers: a line's last digits never join the next line's."""

from __future__ import annotations

import pytest

from governance.sensitivity import scan_text


def found(text: str) -> list[tuple[str, str]]:
    return [(f.type, text[f.start : f.end]) for f in scan_text(text).findings]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("callback to 212-555-0187\n4 retries left", [("PHONE", "212-555-0187")]),
        ("rows: 3904855\n2024 were skipped", []),
        ("port=4984\r\n755 4412 connections", []),
        ("sms sent to +44 20 7946 0958\n17 queued", [("PHONE", "+44 20 7946 0958")]),
        ("card 5371 6891 3625 2277\n3 attempts", [("CREDIT_CARD", "5371 6891 3625 2277")]),
    ],
)
def test_digits_at_a_line_end_stay_on_their_line(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    ["pay with 4111 1111\n1111 1111 please", "card: 5500-0000\r\n0000-0004 (work)"],
)
def test_a_card_wrapped_between_its_groups_is_seen_whole(text: str) -> None:
    assert [t for t, _ in found(text)] == ["CREDIT_CARD"]
