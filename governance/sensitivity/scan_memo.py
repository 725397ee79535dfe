"""Scan results of texts seen before: a conversation re-sends its whole history every turn, and
an app sends the same system prompt with every call, so most of a long prompt was scanned on
an earlier call.

Texts are remembered only as keyed BLAKE2b digests (the key is random per process), next to
their findings (offsets, types and scores: no values). Short texts are scanned every time:
hashing them costs about what scanning does.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict

from governance.hashing import feed
from governance.sensitivity.scan_windows import scan_long
from governance.sensitivity.scanner import TextScan

__all__ = ["ScanMemo"]


class ScanMemo:
    def __init__(self, max_entries: int, min_chars: int = 256) -> None:
        self._max_entries = max_entries
        self._min_chars = min_chars
        self._key = os.urandom(32)
        self._entries: OrderedDict[bytes, TextScan] = OrderedDict()
        self.hits = 0
        # Huge bodies are scanned on worker threads, beside the event loop's calls.
        self._lock = threading.Lock()

    def __call__(self, text: str) -> TextScan:
        if len(text) < self._min_chars:
            return scan_long(text)
        hasher = hashlib.blake2b(digest_size=16, key=self._key)
        feed(hasher, text.encode("utf-8", "surrogatepass"))
        digest = hasher.digest()
        with self._lock:
            known = self._entries.get(digest)
            if known is not None:
                self._entries.move_to_end(digest)
                self.hits += 1
                return known
        scan = scan_long(text)
        with self._lock:
            self._entries[digest] = scan
            if len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
        return scan
