"""Read a gateway's SQLite evidence ledger back, as an auditor would."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from governance.evidence.sqlite_store import SQLiteEvidenceStore


async def _all(path: Path) -> list[dict[str, Any]]:
    store = SQLiteEvidenceStore(path)
    try:
        return [r.fields() async for r in store.since(None)]
    finally:
        await store.aclose()


def records_for(path: Path, request_ids: set[str], seconds: float = 15) -> dict[str, Any]:
    """The records of these calls, by request id, once all are written (records are written
    after the answer; give up after `seconds` and return what is there)."""
    deadline = time.monotonic() + seconds
    while True:
        found = {
            r["request_id"]: r for r in asyncio.run(_all(path)) if r["request_id"] in request_ids
        }
        if set(found) == request_ids or time.monotonic() > deadline:
            return found
        time.sleep(0.1)
