"""The governance, evidence and admin sections of gateway.yaml."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator

from governance.sensitivity import EntityType, Level
from proxy.config.strict_model import StrictModel

__all__ = [
    "AdaptiveWeights",
    "AdminConfig",
    "AliasConfig",
    "BreakersConfig",
    "CacheConfig",
    "EventsConfig",
    "EvidenceConfig",
    "GovernanceConfig",
    "LimitsConfig",
    "RoutingConfig",
    "SecretRef",
    "SkillConfig",
]



class SecretRef(StrictModel):
    """A credential given in clear (usually `${ENV}`) or as its SHA-256."""

    key: SecretStr | None = None
    key_sha256: Annotated[str, Field(pattern=r"^[0-9a-fA-F]{64}$")] | None = None

    @model_validator(mode="after")
    def _one_secret(self) -> SecretRef:
        if (self.key is None) == (self.key_sha256 is None):
            raise ValueError("give exactly one of 'key' or 'key_sha256'")
        if self.key is not None and not self.key.get_secret_value():
            raise ValueError("'key' is empty")
        return self


class GovernanceConfig(StrictModel):
    """Sensitivity, HMCP policy and compliance stages. Off only for a bare pass-through."""

    enabled: bool = True
    # Policy directory (see policies/README.md); none means no rules beyond scanning.
    policies: str | None = None
    type_levels: dict[EntityType, Level] = Field(default_factory=dict)
    # Also scan answers: whole ones get `redact`-or-stricter types masked; streamed ones are
    # scanned once they end, for evidence.
    scan_responses: bool = False
    # A scan runs on the event loop for at most `inline_scan_ms` (most prompts take tens of
    # microseconds), then moves to one of `scan_threads`; texts over `inline_scan_chars` in all
    # go there at once. The whole scan has `timeout_s`: past it the call fails closed (503) and
    # the scan stops at its next step. A key may have `scans_per_key` scans on the threads at
    # once (beyond: 429), all keys `scans_in_flight` (beyond: 503).
    inline_scan_chars: int = Field(65_536, gt=0)
    inline_scan_ms: float = Field(2.0, gt=0)
    timeout_s: float = Field(2.0, gt=0)
    scan_threads: int = Field(2, gt=0, le=64)
    scans_per_key: int = Field(2, gt=0)
    scans_in_flight: int = Field(8, gt=0)
    # Scan results of texts seen before (history and system prompts re-sent every call), kept
    # as keyed digests with their findings; 0 turns the memo off.
    scan_memo_entries: int = Field(10_000, ge=0)


class EventsConfig(StrictModel):
    """Request events on a Redis Stream for SIEM consumers (best effort: the ledger records)."""

    redis_url: Annotated[str, Field(pattern=r"^rediss?://.+")]
    stream: str = "metaqore:events"
    maxlen: int = Field(100_000, gt=0)


class EvidenceConfig(StrictModel):
    enabled: bool = True
    # sqlite:///relative/path.db, sqlite:////absolute/path.db or postgresql://user@host/db
    store: Annotated[str, Field(pattern=r"^(sqlite:///.+|postgres(ql)?://.+)$")] = (
        "sqlite:///metaqore-evidence.db"
    )
    # PostgreSQL only: the table, so several gateways can share a database.
    table: Annotated[str, Field(pattern=r"^[a-z_][a-z0-9_]{0,62}$")] = "metaqore_evidence"
    # The chain key. Keep it outside the database: from the environment in production; else a
    # key file is created (mode 0600) on first start.
    hmac_key: SecretStr | None = None
    key_file: str = ".metaqore/evidence.key"
    # batched: a record is in the local spool (page cache) before its answer is sent, in the
    # store within about flush_ms. sync: the answer waits for the store's commit (or, while the
    # store fails, for an fsync of the spool). The README has the table.
    durability: Literal["batched", "sync"] = "batched"
    # Records spooled but not yet in the store, at most; past it an answer waits for room
    # (refused instead when unrecorded answers are). A waiting record costs disk, not memory.
    queue_size: int = Field(100_000, gt=0)
    batch_size: int = Field(256, gt=0)
    # Batched mode: how long the writer waits for a batch to fill before it commits (group
    # commit). Sync mode commits at once: calls are waiting.
    flush_ms: float = Field(50.0, ge=0, le=10_000)
    events: EventsConfig | None = None
    # Names this process's chain, continued across restarts; default: host, pid and a random
    # suffix (a new chain per process).
    writer_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.:-]*$")] | None = None
    # The local spool (a directory per writer); default: `spool/` beside the key file.
    spool_dir: str | None = None
    # /readyz answers 503 once records have waited this long without a commit.
    unhealthy_after_s: float = Field(10.0, gt=0)
    # Past that bound (or with the queue full): serve answers anyway (they stay spooled) or
    # refuse them with 503 evidence_unavailable. Default: refuse when a policy switches SOC 2 on.
    on_store_failure: Literal["serve", "refuse"] | None = None
    # At shutdown, how long the writer may take to put the spool into the store; the rest
    # stays spooled for the next start.
    close_timeout_s: float = Field(10.0, ge=0)

    @field_validator("hmac_key")
    @classmethod
    def _empty_is_unset(cls, value: SecretStr | None) -> SecretStr | None:
        # `${METAQORE_EVIDENCE_KEY:-}` with the variable unset: fall back to the key file.
        return value if value is not None and value.get_secret_value() else None


class CacheConfig(StrictModel):
    """Exact-match answers per tenant; off unless enabled."""

    enabled: bool = False
    backend: Literal["memory", "redis"] = "memory"
    redis_url: Annotated[str, Field(pattern=r"^rediss?://.+")] | None = None
    ttl_s: float = Field(300.0, gt=0)
    max_entries: int = Field(10_000, gt=0)  # memory backend
    max_bytes: int = Field(64 * 1024 * 1024, gt=0)  # memory backend
    scope: Literal["org", "team"] = "org"
    # Cache only calls that ask for a repeatable answer (temperature 0 or a seed).
    only_deterministic: bool = True

    @model_validator(mode="after")
    def _redis_needs_url(self) -> CacheConfig:
        if self.backend == "redis" and self.redis_url is None:
            raise ValueError("backend 'redis' needs redis_url")
        return self


class RoutingConfig(StrictModel):
    """How hard the dispatcher tries before it gives up on a call."""

    max_attempts: int = Field(4, gt=0)  # targets tried per call, at most
    # When every target answered 429 with a Retry-After this short, wait it out and go round
    # once more; 0 answers the 429 at once.
    retry_after_budget_s: float = Field(0.0, ge=0)
    # A call's whole life: every attempt, any Retry-After wait, and reading the whole answer;
    # for a stream, until its first event is out (then `stream_timeout_s` bounds it).
    total_timeout_s: float = Field(600.0, gt=0)
    # A stream's whole life, from the call's arrival to its last event.
    stream_timeout_s: float = Field(1800.0, gt=0)


class BreakersConfig(StrictModel):
    """A circuit breaker per target (provider/model)."""

    enabled: bool = True
    fail_max: int = Field(5, gt=0)  # consecutive health failures that open it
    reset_timeout_s: float = Field(30.0, gt=0)  # open this long, then one probe
    # Share openings and closings with the other replicas through Redis.
    redis_url: Annotated[str, Field(pattern=r"^rediss?://.+")] | None = None


class LimitsConfig(StrictModel):
    """Where the per-minute counters of policy `limits` live."""

    backend: Literal["memory", "redis"] = "memory"
    redis_url: Annotated[str, Field(pattern=r"^rediss?://.+")] | None = None

    @model_validator(mode="after")
    def _redis_needs_url(self) -> LimitsConfig:
        if self.backend == "redis" and self.redis_url is None:
            raise ValueError("backend 'redis' needs redis_url")
        return self


class AdaptiveWeights(StrictModel):
    """How much each part counts in the adaptive score (each part scaled to 0..1)."""

    health: float = Field(1.0, ge=0)
    errors: float = Field(1.0, ge=0)
    latency: float = Field(1.0, ge=0)
    cost: float = Field(0.5, ge=0)
    local: float = Field(0.0, ge=0)


class AliasConfig(StrictModel):
    """An alias with a routing strategy; a plain list of targets means `priority`."""

    strategy: Literal["priority", "weighted", "least_latency", "least_cost", "adaptive"] = (
        "priority"
    )
    targets: list[str]
    # weighted: provider/model → weight (default 1)
    weights: dict[str, float] = Field(default_factory=dict)
    adaptive: AdaptiveWeights = Field(default_factory=AdaptiveWeights)
    # skill → provider/model targets tried first when the prompt is confidently that skill.
    specialists: dict[str, list[str]] = Field(default_factory=dict)


class SkillConfig(StrictModel):
    """A cheap classifier of prompts: keyword hits count 1, pattern hits 2."""

    keywords: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)
    min_score: float = Field(2.0, gt=0)

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"pattern {pattern!r} does not compile: {exc}") from None
        return patterns


class AdminKey(SecretRef):
    # Evidence of key changes names the admin key as admin:<name> (admin:<position> unnamed).
    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.@-]{1,64}$")] | None = None


class AdminConfig(StrictModel):
    keys: list[AdminKey] = Field(min_length=1)
    # How often each process reads key changes from the store (the keys API).
    keys_poll_s: float = Field(0.5, gt=0, le=1.0)
    # A change made on one process wakes every other at once (pub/sub); polling stays on.
    redis_url: Annotated[str, Field(pattern=r"^rediss?://.+")] | None = None
