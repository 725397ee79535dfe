class CueFinder:
    """Called with a lowered text: where each keyword starts, the runs of ASCII digits at most
    `run_gap - 1` characters apart, as (start, end), where two ASCII letters, then two digits,
    start a token (no letter or digit before them), and, given the text before lowering too,
    the gaps (start, end) inside or right after each prefix written with gaps before a body of
    `min_body` key characters or more that holds a letter and a digit."""

    def __init__(
        self,
        words: tuple[str, ...],
        run_gap: int,
        prefixes: tuple[str, ...] = (),
        min_body: int = 0,
    ) -> None: ...
    def __call__(
        self, lowered: str, before_lowering: str = ...
    ) -> tuple[
        dict[str, list[int]], list[tuple[int, int]], list[int], list[tuple[int, int]]
    ]: ...
