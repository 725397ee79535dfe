"""Who a credential is: the config's keys (swapped in when the file changes), then the keys
API's (its table in memory). The auth stage, the model listing, stored Responses and explain
all ask here, so they never disagree about a key."""

from __future__ import annotations

import time

from proxy.call import Principal
from proxy.config.keys import KeyRing, digest_of
from proxy.keyring.table import KeyTable

__all__ = ["Principals"]


class Principals:
    def __init__(self, ring: KeyRing, table: KeyTable | None) -> None:
        """`table`: the keys API's, None when the keys API is off."""
        self.ring = ring
        self._table = table

    def swap(self, ring: KeyRing) -> None:
        """The config's keys as the file now has them (its watcher calls this)."""
        self.ring = ring

    def principal_for(self, credential: str | None) -> Principal | None:
        """The config's keys, then the keys API's (from memory); None: 401."""
        ring, table = self.ring, self._table
        if table is None or not table.seen_any:
            return ring.principal_for(credential)
        if not credential:
            return None
        digest = digest_of(credential)
        return ring.lookup(digest) or table.principal_for(digest, time.time())

    def in_config(self) -> list[Principal]:
        return self.ring.principals()

    def named(self, name: str) -> Principal | None:
        """The principal of a config key's name or an API key's id (for explain)."""
        named = self.ring.named(name)
        if named is None and self._table is not None:
            named = self._table.principal_of(name)
        return named
