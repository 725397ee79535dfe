"""Hypothesis texts put together from chosen pieces: the scan's shortcuts are tested on the
characters they turn on, in every order, more often than random text would give them."""

from __future__ import annotations

from hypothesis import strategies as st


def texts_of(pieces: list[str], max_size: int = 24) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=max_size).map("".join)
