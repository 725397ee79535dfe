"""The tamper-evident evidence ledger: records, the keyed chain, stores, writer and audit."""

from governance.evidence.audit import Framework, VerifyReport, make_checkpoint, relevant_to, verify
from governance.evidence.hash_chain import GENESIS, ChainKeys, link
from governance.evidence.ledger import Durability, EvidenceLedger
from governance.evidence.record import ComplianceResult, EvidenceRecord, StoredRecord, utc_now
from governance.evidence.store import EvidenceStore

__all__ = [
    "GENESIS",
    "ChainKeys",
    "ComplianceResult",
    "Durability",
    "EvidenceLedger",
    "EvidenceRecord",
    "EvidenceStore",
    "Framework",
    "StoredRecord",
    "VerifyReport",
    "link",
    "make_checkpoint",
    "relevant_to",
    "utc_now",
    "verify",
]
