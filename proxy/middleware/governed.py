"""What the governance stages share: failing closed and turning a denial into a 403."""

from __future__ import annotations

import logging

from governance.failure_log import describe_failure
from governance.policy import Verdict
from proxy.call import Call
from proxy.wire.errors import GatewayError

__all__ = ["FailClosed", "deny_if_denied"]

log = logging.getLogger("metaqore.governance")


class FailClosed:
    """`with FailClosed(stage, call):` around a stage's governance logic (sync or awaited): any
    failure of its own denies the call with a 503 naming the stage, never lets it through."""

    __slots__ = ("_call", "_stage")

    def __init__(self, stage: str, call: Call) -> None:
        self._stage = stage
        self._call = call

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, _tb: object
    ) -> None:
        if exc is None or isinstance(exc, GatewayError) or not isinstance(exc, Exception):
            return
        call = self._call
        log.error(
            "governance stage %s failed on request %s: %s", self._stage, call.request_id,
            describe_failure(exc),
        )  # fmt: skip
        call.decision = "deny:governance_unavailable"
        failed = "timed out" if isinstance(exc, TimeoutError) else "failed"
        raise GatewayError(
            503,
            f"The {self._stage} stage {failed}, so the request was not forwarded. Try again later.",
            code="governance_unavailable",
        ) from exc


def deny_if_denied(call: Call, verdict: Verdict) -> None:
    call.decision = verdict.header()
    if verdict.denial is not None:
        rule, reason = verdict.denial
        raise GatewayError(403, reason, code=rule)
