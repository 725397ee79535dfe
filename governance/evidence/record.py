"""An evidence record: what the gateway decided about one call, without any raw value."""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple

import orjson

__all__ = ["ComplianceResult", "EvidenceRecord", "StoredRecord", "utc_now"]


def utc_now() -> str:
    now = time.time()
    whole = int(now)
    return f"{_second(whole)}.{int((now - whole) * 1e6):06d}Z"


# Formatting the second costs more than the rest of a timestamp, and every call stamps its
# record: keep the current one until the clock moves on.
@functools.lru_cache(maxsize=2)
def _second(whole: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))


@dataclass(frozen=True, slots=True)
class ComplianceResult:
    pack: str  # hipaa | gdpr | soc2
    control: str  # the control id, e.g. "HIPAA-164.312(e)"
    result: str  # pass | fail | constrain | shadow


@dataclass(slots=True)
class EvidenceRecord:
    """One call. Bodies appear only as keyed hashes; findings only as types and counts."""

    request_id: str
    ts: str
    endpoint: str
    org: str
    team: str
    key_id: str
    model: str | None
    route: str
    status: int
    outcome: str  # completed | denied | rejected | failed | stream_failed | client_disconnected
    error_code: str | None = None
    decision: str = "allow"
    policy_version: str | None = None
    sensitivity: str = "unscanned"
    findings: dict[str, int] = field(default_factory=dict)
    # Finding types and counts in the answer, when answers are scanned.
    response_findings: dict[str, int] | None = None
    compliance: list[ComplianceResult] = field(default_factory=list)
    cache: str = "bypass"
    route_reason: str | None = None
    latency_ms: float = 0.0
    ttft_ms: float | None = None
    tokens_in: int | None = None
    tokens_out: int | None = None
    # Whose count the tokens are: upstream (its usage) | estimated (the gateway's, the upstream
    # having said none); None when the record has no tokens.
    usage_source: str | None = None
    cost_usd: float | None = None
    retries: int = 0
    stream: bool = False
    request_hmac: str | None = None
    response_hmac: str | None = None

    def canonical(self) -> bytes:
        """The bytes the chain signs: sorted keys, no whitespace, stable across versions."""
        # Built by hand: dataclasses.asdict deep-copies and costs ten times as much.
        data = {name: getattr(self, name) for name in _FIELD_NAMES}
        data["compliance"] = [
            {"control": c.control, "pack": c.pack, "result": c.result} for c in self.compliance
        ]
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)


_FIELD_NAMES = tuple(f.name for f in fields(EvidenceRecord))


class StoredRecord(NamedTuple):
    """A record as a store holds it: the canonical JSON plus its place in its writer's chain.
    A tuple in the table's column order: every row is made once more when the writer reads
    it back from its spool, and a tuple is made in a fraction of a frozen dataclass's time."""

    writer_id: str
    seq: int
    request_id: str
    ts: str
    record: str
    prev_hash: str
    hash: str

    def fields(self) -> dict[str, Any]:
        parsed: dict[str, Any] = orjson.loads(self.record)
        return parsed
