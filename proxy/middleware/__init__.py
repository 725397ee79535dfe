"""The stages around the router, in the order the design fixes (outermost first):
evidence, auth, sensitivity, policy, compliance, cache. Each is `async (call, next) -> Reply`."""

from proxy.middleware.auth import AuthStage
from proxy.middleware.chain import compose

__all__ = ["AuthStage", "compose"]
