"""What an auditor runs: verify every chain, sign a checkpoint, verify against one, export."""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import orjson

from governance.evidence.hash_chain import GENESIS, ChainKeys, link
from governance.evidence.record import StoredRecord, utc_now
from governance.evidence.spool_rows import SpoolCorrupt
from governance.evidence.spool_snapshot import spooled_rows
from governance.evidence.store import EvidenceStore

__all__ = [
    "Break",
    "Framework",
    "VerifyReport",
    "make_checkpoint",
    "relevant_to",
    "verify",
]

Framework = Literal["hipaa", "gdpr", "soc2"]

_PERSONAL = frozenset({"EMAIL", "PHONE", "US_SSN", "CREDIT_CARD", "IBAN", "IP_ADDRESS",
                       "DATE_OF_BIRTH", "MEDICAL_RECORD_NUMBER"})  # fmt: skip
_HEALTH = frozenset({"MEDICAL_RECORD_NUMBER", "DATE_OF_BIRTH"})


@dataclass(frozen=True, slots=True)
class Break:
    writer_id: str
    seq: int
    request_id: str | None
    reason: str

    def __str__(self) -> str:
        who = f" (request {self.request_id})" if self.request_id else ""
        return f"chain {self.writer_id}, record {self.seq}{who}: {self.reason}"


@dataclass(slots=True)
class VerifyReport:
    records: int = 0
    heads: dict[str, tuple[int, str]] = field(default_factory=dict)
    first_break: Break | None = None
    # Records in writers' spools, not yet in the store (verified as the chains' next links).
    spooled: int = 0

    @property
    def ok(self) -> bool:
        return self.first_break is None

    def summary(self) -> dict[str, Any]:
        """As `metaqore evidence verify` prints it and `/admin/evidence/verify` answers it."""
        broken = self.first_break
        return {
            "ok": self.ok,
            "records": self.records,
            "chains": len(self.heads),
            "spooled": self.spooled,
            "first_break": None if broken is None else str(broken),
        }


# A spooled row as verify keeps it: seq -> (request id, prev hash, hash).
_Spooled = dict[int, tuple[str, str, str]]


async def verify(
    store: EvidenceStore,
    keys: ChainKeys,
    checkpoint: dict[str, Any] | None = None,
    spool: Path | None = None,
) -> VerifyReport:
    """Recompute every chain, with its records still in the `spool` root (read first, see
    spool_snapshot.py); with a checkpoint, also prove each checkpointed head is intact."""
    report = VerifyReport()
    if checkpoint is not None:
        problem = _checkpoint_problem(checkpoint, keys)
        if problem is not None:
            report.first_break = Break("-", 0, None, problem)
            return report
    spooled: dict[str, _Spooled] = {}
    report.first_break = (
        (_read_spool(spool, keys, spooled) if spool is not None else None)
        or await _verify_store(store, keys, report, spooled)
        or _spooled_links(spooled, report)
        or await _checkpoint_break(store, checkpoint, report)
    )
    return report


async def _verify_store(
    store: EvidenceStore, keys: ChainKeys, report: VerifyReport, spooled: dict[str, _Spooled]
) -> Break | None:
    for writer_id in await store.writers():
        chain = store.chain(writer_id)
        broken = await _verify_chain(chain, writer_id, keys, report, spooled.get(writer_id, {}))
        if broken is not None:
            return broken
    return None


async def _checkpoint_break(
    store: EvidenceStore, checkpoint: dict[str, Any] | None, report: VerifyReport
) -> Break | None:
    expected: dict[str, dict[str, Any]] = checkpoint["chains"] if checkpoint is not None else {}
    for writer_id, head in expected.items():
        seq, _ = report.heads.get(writer_id, (0, GENESIS))
        count = int(head["count"])
        if seq < count:
            return Break(
                writer_id, seq + 1, None,
                f"missing: the checkpoint holds {count} records, the store {seq}",
            )  # fmt: skip
    for writer_id, head in expected.items():
        if not await _head_matches(store, writer_id, int(head["count"]), str(head["hash"])):
            return Break(writer_id, int(head["count"]), None, "differs from the checkpointed head")
    return None


async def _verify_chain(
    records: AsyncIterator[StoredRecord],
    writer_id: str,
    keys: ChainKeys,
    report: VerifyReport,
    spooled: _Spooled,
) -> Break | None:
    seq, prev = 0, GENESIS
    async for stored in records:
        in_spool = spooled.get(stored.seq)
        if in_spool is not None and in_spool[2] != stored.hash:
            return Break(writer_id, stored.seq, stored.request_id, "the spool holds another record")
        if stored.seq != seq + 1:
            return Break(writer_id, seq + 1, None, f"missing (next present is {stored.seq})")
        if stored.prev_hash != prev:
            return Break(writer_id, stored.seq, stored.request_id, "prev_hash does not link")
        recomputed = link(keys, writer_id, stored.seq, prev, stored.record.encode())
        if not hmac.compare_digest(recomputed, stored.hash):
            return Break(writer_id, stored.seq, stored.request_id, "content or hash was altered")
        fields = stored.fields()
        if fields.get("request_id") != stored.request_id or fields.get("ts") != stored.ts:
            return Break(writer_id, stored.seq, stored.request_id, "indexed columns altered")
        seq, prev = stored.seq, stored.hash
        report.records += 1
    report.heads[writer_id] = (seq, prev)
    return None


def _read_spool(root: Path, keys: ChainKeys, spooled: dict[str, _Spooled]) -> Break | None:
    """Each spooled row must be what its writer linked (checked here, alone); how the rows
    join the store's chains is checked once the store is read."""
    try:
        for row in spooled_rows(root):
            linked = link(keys, row.writer_id, row.seq, row.prev_hash, row.record.encode())
            if not hmac.compare_digest(linked, row.hash):
                return Break(row.writer_id, row.seq, row.request_id, "a spooled record was altered")
            rows = spooled.setdefault(row.writer_id, {})
            rows[row.seq] = (row.request_id, row.prev_hash, row.hash)
    except SpoolCorrupt as exc:
        return Break("-", 0, None, str(exc))
    return None


def _spooled_links(spooled: dict[str, _Spooled], report: VerifyReport) -> Break | None:
    """The spooled records past each chain's stored head must be its next links, in order."""
    for writer_id, rows in sorted(spooled.items()):
        seq, prev = report.heads.get(writer_id, (0, GENESIS))
        for next_seq in sorted(s for s in rows if s > seq):
            request_id, prev_hash, digest = rows[next_seq]
            if next_seq != seq + 1:
                return Break(writer_id, seq + 1, None, f"missing (next spooled is {next_seq})")
            if prev_hash != prev:
                return Break(writer_id, next_seq, request_id, "prev_hash does not link")
            seq, prev = next_seq, digest
            report.spooled += 1
    return None


async def _head_matches(store: EvidenceStore, writer_id: str, count: int, digest: str) -> bool:
    if count == 0:
        return True
    async for stored in store.chain(writer_id):
        if stored.seq == count:
            return hmac.compare_digest(stored.hash, digest)
    return False


async def make_checkpoint(store: EvidenceStore, keys: ChainKeys) -> dict[str, Any]:
    """A signed statement of every chain's head; keep it outside the database."""
    report = await verify(store, keys)
    if not report.ok:
        raise ValueError(f"the ledger does not verify: {report.first_break}")
    body: dict[str, Any] = {
        "created": utc_now(),
        "records": report.records,
        "chains": {w: {"count": s, "hash": h} for w, (s, h) in sorted(report.heads.items())},
    }
    body["signature"] = keys.sign(orjson.dumps(body, option=orjson.OPT_SORT_KEYS))
    return body


def _checkpoint_problem(checkpoint: dict[str, Any], keys: ChainKeys) -> str | None:
    unsigned = {k: v for k, v in checkpoint.items() if k != "signature"}
    signature = checkpoint.get("signature")
    if not isinstance(signature, str) or not isinstance(unsigned.get("chains"), dict):
        return "the checkpoint is malformed"
    expected = keys.sign(orjson.dumps(unsigned, option=orjson.OPT_SORT_KEYS))
    if not hmac.compare_digest(expected, signature):
        return "the checkpoint's signature does not match (altered, or another key)"
    return None


def relevant_to(framework: Framework, fields: dict[str, Any]) -> bool:
    """The records an auditor of `framework` asks for."""
    packs = {c.get("pack") for c in fields.get("compliance", []) if isinstance(c, dict)}
    found: Iterable[str] = fields.get("findings", {}).keys()
    if framework == "soc2":
        return True  # SOC 2 access logging covers every call
    if framework == "hipaa":
        return "hipaa" in packs or bool(_HEALTH & set(found))
    return "gdpr" in packs or bool(_PERSONAL & set(found))
