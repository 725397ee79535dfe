"""Auth stage: the presented key becomes the call's principal, or the call ends with a 401."""

from __future__ import annotations

from collections.abc import Callable

from proxy.call import Call, Next, Principal, Reply
from proxy.wire.errors import GatewayError

__all__ = ["AuthStage"]


class AuthStage:
    """Looks keys up through a callable so a reloaded `keys` section and the keys API's changes
    apply at once (an in-memory lookup: no database call)."""

    def __init__(self, principal_for: Callable[[str | None], Principal | None]) -> None:
        self._principal_for = principal_for

    async def __call__(self, call: Call, next_: Next) -> Reply:
        principal = self._principal_for(call.credential)
        if principal is None:
            call.decision = "deny:invalid_api_key"
            raise unauthorized(call.credential)
        call.principal = principal
        return await next_(call)


def unauthorized(credential: str | None) -> GatewayError:
    if not credential:
        message = (
            "You didn't provide an API key. Send it as 'Authorization: Bearer <key>' "
            "or in an 'api-key' header."
        )
    else:
        message = "Incorrect API key provided."  # never echo the key, not even in part
    return GatewayError(401, message, code="invalid_api_key")
