def check(data: bytes, max_depth: int, /) -> tuple[str, tuple[str | int, ...]] | None:
    """None for a body (already parsed by orjson) that every parser reads one way, else the
    problem (`duplicate_key`, `too_deep`, `integer_out_of_range`, `malformed`) and the path to
    where it is."""
