def check(
    data: bytes, max_depth: int, max_items: int, max_values: int, max_chars: int, /
) -> tuple[str, tuple[str | int, ...]] | None:
    """None for a body that every parser reads one way and that keeps to the limits, else the
    problem (`duplicate_key`, `too_deep`, `integer_out_of_range`, `array_too_long`,
    `too_many_values`, `string_too_long`, `malformed`) and the path to where it is."""
