def find_prefix_gaps(text: str, words: tuple[str, ...], min_body: int) -> list[tuple[int, int]]:
    """The gaps (start, end) inside or right after each word of `words` written with gaps of one
    or two whitespace characters, before a body of `min_body` key characters or more that holds
    a letter and a digit (see prefix_gaps.c)."""
