"""What the governance stages share: failing closed and turning a denial into a 403."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from governance.policy import Verdict
from proxy.call import Call
from proxy.errors import GatewayError

__all__ = ["deny_if_denied", "fail_closed"]

log = logging.getLogger("metaqore.governance")
T = TypeVar("T")


async def fail_closed(stage: str, call: Call, work: Callable[[], Awaitable[T]]) -> T:
    """Run a stage's governance logic; any failure of its own denies the call with a 503."""
    try:
        return await work()
    except GatewayError:
        raise
    except Exception as exc:
        log.exception("governance stage %s failed on request %s", stage, call.request_id)
        call.decision = "deny:governance_unavailable"
        kind = "timed out" if isinstance(exc, TimeoutError) else "failed"
        raise GatewayError(
            503,
            f"The {stage} stage {kind}, so the request was not forwarded. Try again later.",
            code="governance_unavailable",
        ) from exc


def deny_if_denied(call: Call, verdict: Verdict) -> None:
    call.decision = verdict.header()
    if verdict.denial is not None:
        rule, reason = verdict.denial
        raise GatewayError(403, reason, code=rule)
