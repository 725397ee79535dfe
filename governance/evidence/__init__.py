"""The tamper-evident evidence ledger: records, the keyed chain, stores, writer and audit."""

from governance.evidence.audit import Framework, VerifyReport, make_checkpoint, relevant_to, verify
from governance.evidence.hash_chain import GENESIS, ChainKeys, link
from governance.evidence.ledger import Durability, EvidenceLedger, LedgerSettings
from governance.evidence.record import ComplianceResult, EvidenceRecord, StoredRecord, utc_now
from governance.evidence.search import RecordQuery, cursor_after, parse_cursor, record_ts
from governance.evidence.spool import SpoolBusy
from governance.evidence.store import ChainConflict, EvidenceStore
from governance.evidence.writer_health import WriterHealth

__all__ = [
    "GENESIS",
    "ChainConflict",
    "ChainKeys",
    "ComplianceResult",
    "Durability",
    "EvidenceLedger",
    "EvidenceRecord",
    "EvidenceStore",
    "Framework",
    "LedgerSettings",
    "RecordQuery",
    "SpoolBusy",
    "StoredRecord",
    "VerifyReport",
    "WriterHealth",
    "cursor_after",
    "link",
    "make_checkpoint",
    "parse_cursor",
    "record_ts",
    "relevant_to",
    "utc_now",
    "verify",
]
