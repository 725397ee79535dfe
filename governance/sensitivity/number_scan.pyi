from collections.abc import Callable

from governance.sensitivity.findings import EntityType

def scan_numbers(
    text: str,
    digit_runs: list[tuple[int, int]],
    claimed: list[tuple[int, int]],
    kind_of: Callable[[str, str, int, str, int], tuple[EntityType, float] | None],
) -> list[tuple[int, int, EntityType, float]]:
    """The findings of the numbers in `digit_runs` that no `claimed` span overlaps, as
    `kind_of(window, digits, group_count, text, window_start)` names them."""
