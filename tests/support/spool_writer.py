"""A process that spools evidence records while its store refuses every write, then dies the
way a crashed gateway does (SIGKILL), or holds on until its stdin closes (a living writer).

    python -m tests.support.spool_writer SPOOL_ROOT SQLITE_PATH WRITER_ID|- COUNT kill|hold
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from governance.evidence import EvidenceLedger, LedgerSettings
from governance.evidence.sqlite_store import SQLiteEvidenceStore
from tests.support.evidence_records import KEYS, GatedStore, record


async def spool(root: Path, database: Path, writer: str, count: int, end: str) -> None:
    store = GatedStore(SQLiteEvidenceStore(database))
    fixed = writer != "-"
    name = writer if fixed else f"dead-{os.getpid()}"
    ledger = EvidenceLedger(store, KEYS, name, LedgerSettings(root, writer_id_fixed=fixed))
    await ledger.start()
    store.down = True
    for n in range(count):
        ledger.append(record(n))
    print(ledger.writer_id, flush=True)
    if end == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    root, database, writer, count, end = sys.argv[1:6]
    asyncio.run(spool(Path(root), Path(database), writer, int(count), end))
