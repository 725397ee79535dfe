CHUNK: int
ERROR_CHUNK: int
END: int
ASK_PYTHON: int

def kind(event: bytes, /) -> int:
    """CHUNK for `data: ` + a JSON object with no top-level "error" on one line (what a client
    reads), ERROR_CHUNK for one with it, END for `data: [DONE]`, ASK_PYTHON for anything else
    (unreadable, or for the exact path to decide)."""
