"""Circuit breakers, one per target (provider/model).

aiobreaker decides in process (2-3 µs a call). Two things are added on top: a half-open breaker
lets exactly one probe through at a time (aiobreaker alone lets every concurrent call through),
and every transition is reported to `on_change` so it can be shared with other replicas off the
request path (see breaker_sync.py). A transition learnt from a peer is applied without being
reported again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, Literal

from aiobreaker import CircuitBreaker, CircuitBreakerError, CircuitBreakerState
from aiobreaker.listener import CircuitBreakerListener

from proxy.call import Reply
from proxy.providers.base import UpstreamError

__all__ = ["BreakerBoard", "BreakerOpen", "State", "TargetBreaker"]

State = Literal["closed", "open", "half_open"]
OnChange = Callable[[str, State], None]
_NAMES: dict[CircuitBreakerState, State] = {
    CircuitBreakerState.CLOSED: "closed",
    CircuitBreakerState.OPEN: "open",
    CircuitBreakerState.HALF_OPEN: "half_open",
}


class BreakerOpen(Exception):
    def __init__(self, target: str) -> None:
        super().__init__(f"{target}: circuit breaker open")
        self.target = target


def _not_a_health_failure(exc: Exception) -> bool:
    """Only failures that say the backend is unwell count: no connection, timeouts, garbage,
    5xx. A 429, a 4xx about the request, or a full connection pool (the gateway's own load)
    says nothing about the backend's health."""
    if not isinstance(exc, UpstreamError) or exc.kind == "pool":
        return True
    return not (exc.kind != "status" or exc.status >= 500)


class TargetBreaker:
    def __init__(self, target: str, fail_max: int, reset_s: float, on_change: OnChange) -> None:
        self.target = target
        self.reset_s = reset_s
        self._on_change = on_change
        self._from_peer = False
        self._probing = False
        self._breaker = CircuitBreaker(
            fail_max=fail_max,
            timeout_duration=timedelta(seconds=reset_s),
            exclude=[_not_a_health_failure],
            listeners=[_Relay(self)],
            name=target,
        )

    @property
    def state(self) -> State:
        return _NAMES[self._breaker.current_state]

    @property
    def failures(self) -> int:
        return int(self._breaker.fail_counter)

    def allows(self) -> bool:
        """Whether a call may try this target now (an open breaker past its timeout admits
        one probe)."""
        state = self._breaker.current_state
        if state == CircuitBreakerState.CLOSED:
            return True
        if self._probing:
            return False
        if state == CircuitBreakerState.HALF_OPEN:
            return True
        opened = self._breaker._state_storage.opened_at
        return opened is None or datetime.utcnow() >= opened + self._breaker.timeout_duration

    async def call(self, send: Callable[[], Awaitable[Reply]]) -> Reply:
        probe = self._breaker.current_state != CircuitBreakerState.CLOSED
        if probe:
            if self._probing:
                raise BreakerOpen(self.target)
            self._probing = True
        try:
            reply: Reply = await self._breaker.call_async(send)
        except CircuitBreakerError as exc:
            if isinstance(exc.__cause__, UpstreamError):
                raise exc.__cause__ from None  # the failure that tripped it, for the client
            raise BreakerOpen(self.target) from None
        finally:
            if probe:
                self._probing = False
        return reply

    def apply_from_peer(self, state: State) -> None:
        """Another replica saw this target open or close: follow it, without echoing it."""
        if state == self.state:
            return
        self._from_peer = True
        try:
            if state == "open":
                self._breaker.open()
            elif state == "closed":
                self._breaker.close()
        finally:
            self._from_peer = False

    def changed(self, state: State) -> None:
        if not self._from_peer:
            self._on_change(self.target, state)


class _Relay(CircuitBreakerListener):  # type: ignore[misc]
    def __init__(self, owner: TargetBreaker) -> None:
        self._owner = owner

    def state_change(self, breaker: Any, old: Any, new: Any) -> None:
        self._owner.changed(_NAMES[new.state])


class BreakerBoard:
    """Every target's breaker, created on first use."""

    def __init__(self, fail_max: int, reset_s: float) -> None:
        self.fail_max = fail_max
        self.reset_s = reset_s
        self._breakers: dict[str, TargetBreaker] = {}
        self._listeners: list[OnChange] = []

    def on_change(self, listener: OnChange) -> None:
        self._listeners.append(listener)

    def for_target(self, target: str) -> TargetBreaker:
        breaker = self._breakers.get(target)
        if breaker is None:
            breaker = TargetBreaker(target, self.fail_max, self.reset_s, self._changed)
            self._breakers[target] = breaker
        return breaker

    def _changed(self, target: str, state: State) -> None:
        for listener in self._listeners:
            listener(target, state)

    def states(self) -> dict[str, dict[str, object]]:
        return {
            name: {"state": b.state, "failures": b.failures}
            for name, b in sorted(self._breakers.items())
        }
