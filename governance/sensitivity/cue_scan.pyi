class CueFinder:
    """Called with a lowered text: where each keyword starts, the runs of ASCII digits at most
    `run_gap - 1` characters apart, as (start, end), and where two ASCII letters, then two
    digits, start a token (no letter or digit before them)."""

    def __init__(self, words: tuple[str, ...], run_gap: int) -> None: ...
    def __call__(
        self, lowered: str
    ) -> tuple[dict[str, list[int]], list[tuple[int, int]], list[int]]: ...
