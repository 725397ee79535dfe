"""Evidence stage, outermost: one record per call, whatever its outcome, streams included."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import AsyncGenerator, Callable
from typing import Protocol

from governance.evidence import ChainKeys, EvidenceLedger, EvidenceRecord, utc_now
from governance.hashing import feed
from proxy.call import Call, Next, Principal, Reply
from proxy.errors import GatewayError

__all__ = ["UNLISTED_MODEL", "EvidenceStage", "RequestEvents", "base_record", "outcome_of"]

# How a model name that is not in the config is recorded: this, then a keyed hash of the name.
UNLISTED_MODEL = "unlisted:"


CostOf = Callable[[str, int, int], float | None]


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
        self._background: set[asyncio.Task[None]] = set()

    async def __call__(self, call: Call, next_: Next) -> Reply:
        started, ts = time.perf_counter(), utc_now()
        if self._events is not None:
            self._events.started(call, ts, self._model_label(call.model))
        try:
            reply = await next_(call)
        except GatewayError as exc:
            await self.submit(
                self._record(call, ts, started, exc.status, outcome_of(exc.status), exc.code)
            )
            raise
        except asyncio.CancelledError:
            # The client left while the call was in flight; record it without blocking the
            # cancellation (and without dropping the record).
            self.submit_later(self._record(call, ts, started, 499, "client_disconnected", None))
            raise
        except Exception:
            await self.submit(self._record(call, ts, started, 500, "failed", "internal_error"))
            raise
        if reply.events is None:
            written = functools.partial(
                self._completed, call, reply, reply.body or b"", ts, started, time.perf_counter()
            )
            if self._ledger.durability == "sync":
                await written()  # no answer leaves before its record is committed
            else:
                call.after_reply.append(written)  # the client does not wait for its record
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
        outcome, code = "client_disconnected", None
        try:
            async for event in events:
                if first is None:
                    first = time.perf_counter()
                feed(mac, event)
                yield event
            outcome = "completed"
        except GatewayError as exc:
            outcome, code = "stream_failed", exc.code
            raise
        except Exception:
            outcome, code = "stream_failed", "internal_error"
            raise
        finally:
            await events.aclose()
            record = self._record(call, ts, started, reply.status, outcome, code, reply)
            record.response_hmac = mac.hexdigest()
            if first is not None:
                record.ttft_ms = round((first - started) * 1000, 3)
            self.submit_later(record)

    async def _completed(
        self, call: Call, reply: Reply, body: bytes, ts: str, started: float, ended: float
    ) -> None:
        record = self._record(call, ts, started, reply.status, "completed", None, reply, ended)
        record.response_hmac = self._digest(body)
        try:
            await self.submit(record)
        except asyncio.CancelledError:
            self.submit_later(record)  # the task is going away; the record is not
            raise

    async def submit(self, record: EvidenceRecord) -> None:
        """Queued at once when the ledger has room; else (full queue, sync durability) this
        waits as the ledger's back-pressure says."""
        if not self._offer(record):
            await self._ledger.submit(record)

    def submit_later(self, record: EvidenceRecord) -> None:
        """Submit without waiting: queued at once when the ledger has room (a stream's record,
        every stream), else by a task of its own, which the back-pressure then holds."""
        if self._offer(record):
            return
        task = asyncio.get_running_loop().create_task(self._ledger.submit(record))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _offer(self, record: EvidenceRecord) -> bool:
        if self._events is not None:
            self._events.finished(record)
        return self._ledger.offer(record)

    def _model_label(self, model: str) -> str:
        """A model name the config gives, as it is; any other is text the client chose (it
        could be anything, personal data included, and the ledger cannot be erased), so only
        a fixed marker and a keyed hash of it are kept."""
        if self._configured(model):
            return model
        return f"{UNLISTED_MODEL}{self._digest(model.encode('utf-8', 'surrogatepass'))[:16]}"

    def _digest(self, body: bytes) -> str:
        return self._keys.body_digest(body)

    def _record(
        self,
        call: Call,
        ts: str,
        started: float,
        status: int,
        outcome: str,
        code: str | None,
        reply: Reply | None = None,
        ended: float | None = None,
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
        record.latency_ms = round(((ended or time.perf_counter()) - started) * 1000, 3)
        record.tokens_in = _int(usage, "prompt_tokens")
        record.tokens_out = _int(usage, "completion_tokens")
        record.retries = len(reply.attempts) if reply is not None else 0
        record.route_reason = call.route_reason
        if call.cache == "hit":
            record.cost_usd = 0.0
        elif self._cost is not None and record.tokens_in is not None:
            record.cost_usd = self._cost(record.route, record.tokens_in, record.tokens_out or 0)
        record.stream = call.stream
        record.request_hmac = self._digest(call.raw)
        return record

    async def drain(self) -> None:
        if self._background:
            await asyncio.gather(*self._background, return_exceptions=True)


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


def _int(usage: dict[str, object] | None, name: str) -> int | None:
    value = usage.get(name) if usage is not None else None
    return value if isinstance(value, int) else None
