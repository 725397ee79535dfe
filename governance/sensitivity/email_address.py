"""Email addresses with a dotted domain; not git remotes, URI userinfo, npm specs or handles."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from governance.sensitivity.findings import EntityType
from governance.sensitivity.scan_budget import check_budget

__all__ = ["detect_emails"]

_EMAIL = re.compile(
    r"(?<![\w.%+\-])[A-Za-z0-9](?:[A-Za-z0-9._%+\-]{0,62}[A-Za-z0-9_%+\-])?"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,24})(?![\w\-@]|\.[A-Za-z0-9])"
)
_LOCAL_PUNCT = "._%+-"
# `user:pass@host` inside a URI, reached by walking back from the local part.
_USERINFO_BEFORE = re.compile(r"[a-z][a-z0-9+.\-]*://[^\s/@]*$", re.IGNORECASE)
# Suffixes that make `name@2x.png` an asset or `pkg@next.js` a package, not a domain.
_FILE_SUFFIXES = frozenset(
    {"png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "js", "mjs", "ts", "tsx", "jsx",
     "css", "scss", "json", "yaml", "yml", "md", "txt", "html", "lock", "toml"}
)  # fmt: skip


def detect_emails(
    text: str, at_signs: list[int], schemes: list[int]
) -> Iterator[tuple[int, int, EntityType, float]]:
    """Addresses around the `at_signs`; `schemes` are where `://` stands (the cue pass finds
    both), so a URI's userinfo is told from an address without searching the text for one."""
    for at in at_signs:
        check_budget()
        start = at
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in _LOCAL_PUNCT):
            start -= 1
        while start < at and not text[start].isalnum():
            start += 1
        match = _EMAIL.match(text, start)
        if match is None or match.start() >= at:
            continue
        end = match.end()
        if match.group(1).lower() in _FILE_SUFFIXES:
            continue
        # git@github.com:org/repo.git and friends: a host followed by ':path'.
        if text.startswith(":", end) and end + 1 < len(text) and not text[end + 1].isspace():
            continue
        # The last `://` wholly inside the 200 characters before the address.
        index = bisect.bisect_right(schemes, start - len("://")) - 1
        scheme = schemes[index] if index >= 0 and schemes[index] >= start - 200 else -1
        if scheme != -1 and _USERINFO_BEFORE.search(text, max(0, scheme - 40), start):
            continue
        yield start, end, "EMAIL", 0.95
