"""`/admin/*`: operations endpoints, behind the admin keys of the config's `admin` section."""

from __future__ import annotations

import hmac

from starlette.requests import Request
from starlette.responses import Response

from proxy.config.keys import digest_of, digest_of_ref
from proxy.gateway import Gateway
from proxy.http.asgi_io import credential_from
from proxy.http.errors import GatewayError
from proxy.http.routes import json_response
from proxy.middleware.evidence_health import evidence_state

__all__ = ["AdminRoutes"]


class AdminRoutes:
    def __init__(self, gateway: Gateway) -> None:
        self._gateway = gateway
        admin = gateway.config.admin
        # (digest, who): evidence of a key change names the admin key that made it.
        self._admins = [
            (digest_of_ref(k), f"admin:{k.name or position}")
            for position, k in enumerate(admin.keys if admin is not None else [], 1)
        ]

    @property
    def enabled(self) -> bool:
        return bool(self._admins)

    async def policies(self, request: Request) -> Response:
        self.authorize(request)
        return json_response(request, self._policy_state())

    async def reload_policies(self, request: Request) -> Response:
        self.authorize(request)
        applied = self._gateway.policies.reload()
        return json_response(request, self._policy_state(), 200 if applied else 422)

    async def evidence(self, request: Request) -> Response:
        self.authorize(request)
        ledger = self._gateway.ledger
        if ledger is None:
            return json_response(request, {"enabled": False})
        return json_response(request, {"enabled": True, **evidence_state(ledger)})

    async def breakers(self, request: Request) -> Response:
        self.authorize(request)
        board = self._gateway.breakers
        sync = self._gateway.breaker_sync
        state: dict[str, object] = {
            "enabled": board is not None,
            "shared": sync is not None,
            "breakers": board.states() if board is not None else {},
        }
        if sync is not None:
            state["sync_errors"] = sync.trouble.count
        return json_response(request, state)

    async def stats(self, request: Request) -> Response:
        """Live traffic since start: calls, errors by provider, overhead and latency
        quantiles, decisions by rule (this process's counts, as /metrics has them)."""
        self.authorize(request)
        return json_response(request, self._gateway.metrics.traffic())

    async def routes(self, request: Request) -> Response:
        """Each target of a model or alias in the order the router would try it now, with
        its score and the parts of it; without `?model=`, the models and aliases to ask about."""
        self.authorize(request)
        model = request.query_params.get("model")
        gateway = self._gateway
        if not model:
            return json_response(request, {"models": sorted(gateway.table.public_models())})
        targets = gateway.table.resolve(model)
        spec = gateway.router.strategy_for(model)
        ranked = gateway.router.rank(model, targets, (1000, 256))
        rows = []
        for entry in ranked:
            route = entry.target.route
            stats = gateway.stats.get(route)
            breaker = gateway.breakers.for_target(route).state if gateway.breakers else "off"
            rows.append(
                {
                    "target": route,
                    "score": entry.score,
                    "parts": entry.parts,
                    "breaker": breaker,
                    "latency_ms": stats.latency_ms,
                    "ttfb_ms": stats.ttfb_ms,
                    "error_rate": round(stats.error_rate, 4),
                    "calls": stats.calls,
                    "usd_per_1k_prompt_256_completion": gateway.router.cost_usd(route, 1000, 256),
                }
            )
        strategy = spec.strategy if spec is not None else "priority"
        return json_response(request, {"model": model, "strategy": strategy, "targets": rows})

    def _policy_state(self) -> dict[str, object]:
        source = self._gateway.policies
        tree = source.tree
        return {
            "root": None if source.root is None else str(source.root),
            "nodes": 0 if tree is None else tree.nodes(),
            "default_version": None if tree is None else tree.default.version,
            "last_error": source.last_error,
        }

    def authorize(self, request: Request) -> str:
        """Who is asking (`admin:<name>`), or a 404 (no admin keys) or 401 error."""
        if not self._admins:
            raise GatewayError(
                404, "Admin endpoints are off: the config has no 'admin' keys.", code="unknown_url"
            )
        headers = {k.lower().encode(): v.encode("latin-1") for k, v in request.headers.items()}
        credential = credential_from(headers)
        presented = digest_of(credential) if credential else b""
        who = None
        for digest, name in self._admins:
            if hmac.compare_digest(presented, digest):  # every digest compared: no early exit
                who = who or name
        if who is None:
            raise GatewayError(401, "This endpoint needs an admin key.", code="invalid_api_key")
        return who
