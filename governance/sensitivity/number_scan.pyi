from collections.abc import Callable

from governance.sensitivity.fields import Fields
from governance.sensitivity.findings import EntityType

def scan_numbers(
    text: str,
    digit_runs: list[tuple[int, int]],
    claimed: list[tuple[int, int]],
    kind_of: Callable[[str, str, int, str, int, Fields, bool], tuple[EntityType, float] | None],
    fields: Fields,
    device_ids: bool,
) -> list[tuple[int, int, EntityType, float]]:
    """The findings of the numbers in `digit_runs` that no `claimed` span overlaps, as
    `kind_of(window, digits, group_count, text, window_start, fields, device_ids)` names them.
    A window of fewer than 7 or more than 19 digits is no finding: it is not offered."""

def luhn_valid(digits: str) -> bool:
    """ASCII digits only, and Luhn's checksum holds."""
