"""Evidence stage, outermost: one record per call, whatever its outcome, streams included.

A completed answer's record is spooled (see governance/evidence/ledger.py) before the answer
leaves the gateway: a non-streamed body before it is returned, a stream's before its `[DONE]`.
Nothing of the call is kept once its record is made: the bodies are hashed there and then.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncGenerator, Callable
from typing import Protocol

from governance.evidence import ChainKeys, EvidenceLedger, EvidenceRecord, utc_now
from governance.failure_log import describe_failure
from governance.hashing import feed
from proxy.call import Call, Next, Principal, Reply
from proxy.wire.call_end import CLIENT_GONE
from proxy.wire.errors import GatewayError
from proxy.wire.sse import is_done

__all__ = ["UNLISTED_MODEL", "EvidenceStage", "RequestEvents", "base_record", "outcome_of"]

# How a model name that is not in the config is recorded: this, then a keyed hash of the name.
UNLISTED_MODEL = "unlisted:"

log = logging.getLogger("metaqore.evidence")

CostOf = Callable[[str, int, int], float | None]
# A request body this big is hashed on a thread (10 MB hold the event loop for about 25 ms).
_HASH_OFF_LOOP = 1024 * 1024


class RequestEvents(Protocol):
    """Where request events go besides the ledger (a live feed, e.g. a Redis Stream)."""

    def started(self, call: Call, ts: str, model: str) -> None:
        """`model` as the ledger records it (see EvidenceStage)."""

    def finished(self, record: EvidenceRecord) -> None: ...


def outcome_of(status: int) -> str:
    if status == 403:
        return "denied"
    if status < 429:
        return "rejected"
    return "failed"


def evidence_unavailable(why: str) -> GatewayError:
    return GatewayError(
        503, f"The gateway cannot record this call, so it does not answer it: {why}.",
        code="evidence_unavailable",
    )  # fmt: skip


class EvidenceStage:
    def __init__(
        self,
        ledger: EvidenceLedger,
        keys: ChainKeys,
        events: RequestEvents | None = None,
        cost: CostOf | None = None,
        configured: Callable[[str], bool] | None = None,
    ) -> None:
        self._ledger = ledger
        self._keys = keys
        self._events = events
        self._cost = cost
        self._configured = configured or (lambda _: False)

    async def __call__(self, call: Call, next_: Next) -> Reply:
        started, ts = time.perf_counter(), utc_now()
        if len(call.raw) > _HASH_OFF_LOOP:
            call.raw_digest = await asyncio.to_thread(self._keys.body_digest, call.raw)
        if self._events is not None:
            self._events.started(call, ts, self._model_label(call.model))
        try:
            if self._ledger.refusing:
                raise evidence_unavailable(self._ledger.health.problem() or "the queue is full")
            reply = await next_(call)
        except GatewayError as exc:
            call.evidence_seq = await self.record_error(
                self._record(call, ts, started, exc.status, outcome_of(exc.status), exc.code)
            )
            raise
        except asyncio.CancelledError:
            # Ended while in flight (client gone, deadline, shutdown: see call_watch.py):
            # spooled at once, without waiting (nothing may block a cancellation).
            status, outcome, code = _ended(call, "failed")
            call.evidence_seq = self._spool(self._record(call, ts, started, status, outcome, code))
            raise
        except Exception:
            failed = self._record(call, ts, started, 500, "failed", "internal_error")
            call.evidence_seq = await self.record_error(failed)
            raise
        if reply.events is None:
            record = self._record(call, ts, started, reply.status, "completed", None, reply)
            record.response_hmac = self._keys.body_digest(reply.body or b"")
            call.evidence_seq = await self._record_completed(record)
        else:
            reply.events = self._observe(call, reply, reply.events, ts, started)
        return reply

    async def _observe(
        self,
        call: Call,
        reply: Reply,
        events: AsyncGenerator[bytes, None],
        ts: str,
        started: float,
    ) -> AsyncGenerator[bytes, None]:
        mac = self._keys.body_hash()  # fed as events pass: a long answer is never held
        first: float | None = None
        status, outcome, code = reply.status, "", None
        recorded = False
        try:
            async for event in events:
                if first is None:
                    first = time.perf_counter()
                feed(mac, event)
                if is_done(event):  # recorded before the answer's last byte goes out
                    recorded = True
                    record = self._record(call, ts, started, reply.status, "completed", None, reply)
                    _streamed(record, mac.hexdigest(), first, started)
                    call.evidence_seq = await self._record_completed(record)
                yield event
            outcome = "completed"
        except GatewayError as exc:
            status, outcome, code = exc.status, "stream_failed", exc.code
            raise
        except Exception:
            status, outcome, code = 500, "stream_failed", "internal_error"
            raise
        finally:
            await events.aclose()
            if not recorded:
                if not outcome:  # cancelled, or closed by the pump while it waited on the client
                    status, outcome, code = _ended(call, "stream_failed")
                record = self._record(call, ts, started, status, outcome, code, reply)
                _streamed(record, mac.hexdigest(), first, started)
                if outcome == "completed":  # an upstream that sent no [DONE]
                    call.evidence_seq = await self._record_completed(record)
                else:
                    call.evidence_seq = self._spool(record)

    async def _record_completed(self, record: EvidenceRecord) -> int:
        """A completed answer's record, at once when it can be, else waited for; its seq."""
        seq = self._record_now(record)
        return seq if seq is not None else await self._record_answer(record)

    def _record_now(self, record: EvidenceRecord) -> int | None:
        """Spool a completed answer's record at once when nothing need wait (batched, room in
        the queue): its seq; None: `_record_answer` it."""
        try:
            seq = self._ledger.record_now(record)
        except OSError as exc:
            raise _spool_failed(exc) from exc
        if seq is not None and self._events is not None:
            self._events.finished(record)
        return seq

    def _model_label(self, model: str) -> str:
        """A model name the config gives, as it is; any other is text the client chose (it
        could be anything, personal data included, and the ledger cannot be erased), so only
        a fixed marker and a keyed hash of it are kept."""
        if self._configured(model):
            return model
        return f"{UNLISTED_MODEL}{self._digest(model.encode('utf-8', 'surrogatepass'))[:16]}"

    def _digest(self, body: bytes) -> str:
        return self._keys.body_digest(body)

    async def _record_answer(self, record: EvidenceRecord) -> int:
        """Wait for room in the queue (or refuse, if unrecorded answers are refused), spool,
        and in sync durability wait until the record is durable; its seq."""
        ledger = self._ledger
        if ledger.full and ledger.refusing:
            refused = evidence_unavailable("too many records wait for the evidence store")
            if not record.stream:
                record.status = refused.status
            record.outcome = "stream_failed" if record.stream else "failed"
            record.error_code = refused.code
            await self.record_error(record)  # what the client got instead, past the bound
            raise refused
        try:
            seq = await ledger.submit(record)
        except OSError as exc:
            raise _spool_failed(exc) from exc
        if self._events is not None:
            self._events.finished(record)
        return seq

    async def record_error(self, record: EvidenceRecord) -> int | None:
        """An error's, a denial's or a rejection's record: spooled at once (never held back by
        a full queue, so a refusal is never stuck behind one), durable first in sync mode.
        Its seq; None when the spool failed (logged)."""
        if self._events is not None:
            self._events.finished(record)
        seq = self._spool(record)
        if seq is not None:
            await self._ledger.settle(seq)
        return seq

    def _spool(self, record: EvidenceRecord) -> int | None:
        try:
            return self._ledger.append(record)
        except OSError as exc:
            log.error(
                "request %s: its evidence record could not be spooled: %s",
                record.request_id, describe_failure(exc),
            )  # fmt: skip
            return None

    def _record(
        self,
        call: Call,
        ts: str,
        started: float,
        status: int,
        outcome: str,
        code: str | None,
        reply: Reply | None = None,
    ) -> EvidenceRecord:
        verdict = call.verdict
        usage = reply.usage if reply is not None else None
        record = base_record(call.request_id, ts, call.endpoint, call.principal, status, outcome)
        record.model = self._model_label(call.model)
        record.route = reply.route if reply is not None else "none"
        record.error_code = code
        record.decision = call.decision
        record.policy_version = verdict.policy.version if verdict is not None else None
        record.sensitivity = call.sensitivity
        record.findings = call.findings
        record.response_findings = call.response_findings
        record.compliance = list(verdict.compliance) if verdict is not None else []
        record.cache = call.cache
        record.latency_ms = round((time.perf_counter() - started) * 1000, 3)
        record.tokens_in = _int(usage, "prompt_tokens")
        record.tokens_out = _int(usage, "completion_tokens")
        if record.tokens_in is not None:
            record.usage_source = (
                "estimated" if reply is not None and reply.usage_estimated else "upstream"
            )
        record.retries = len(reply.attempts) if reply is not None else 0
        record.route_reason = call.route_reason
        if call.cache == "hit":
            record.cost_usd = 0.0
        elif self._cost is not None and record.tokens_in is not None:
            record.cost_usd = self._cost(record.route, record.tokens_in, record.tokens_out or 0)
        record.stream = call.stream
        record.request_hmac = call.raw_digest or self._keys.body_digest(call.raw)
        return record


def _spool_failed(exc: OSError) -> GatewayError:
    return evidence_unavailable(f"the evidence spool failed ({exc.strerror or 'I/O error'})")


def _streamed(
    record: EvidenceRecord, response_hmac: str, first: float | None, started: float
) -> EvidenceRecord:
    record.response_hmac = response_hmac
    if first is not None:
        record.ttft_ms = round((first - started) * 1000, 3)
    return record


def base_record(
    request_id: str, ts: str, endpoint: str, principal: Principal | None, status: int, outcome: str
) -> EvidenceRecord:
    who = principal or Principal(org="unknown", team="unknown", key_id="unauthenticated")
    return EvidenceRecord(
        request_id=request_id,
        ts=ts,
        endpoint=endpoint,
        org=who.org,
        team=who.team,
        key_id=who.key_id,
        model=None,
        route="none",
        status=status,
        outcome=outcome,
    )


def _ended(call: Call, failed: str) -> tuple[int, str, str | None]:
    """Status, outcome and error code of a call the gateway ended early (`failed`: the outcome
    of a call ended by an error); a call nobody ended was left by its client."""
    end = call.ended or CLIENT_GONE
    return end.error.status, end.outcome or failed, end.error.code


def _int(usage: dict[str, object] | None, name: str) -> int | None:
    value = usage.get(name) if usage is not None else None
    return value if isinstance(value, int) else None
