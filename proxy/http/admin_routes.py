"""`/admin/routes`, `/admin/breakers` and `/admin/stats`: routing and traffic as they stand,
behind the admin keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import Response

from proxy.http.routes import json_response
from proxy.router.breaker_sync import BreakerSync
from proxy.router.breakers import BreakerBoard
from proxy.router.hypie import HyPIE
from proxy.router.stats import RouteStats
from proxy.router.targets import TargetTable

__all__ = ["AdminRoutes", "RoutingView"]


class RoutingView(Protocol):
    """The parts of routing these endpoints read (proxy/router/build.py's Routing)."""

    @property
    def table(self) -> TargetTable: ...
    @property
    def router(self) -> HyPIE: ...
    @property
    def stats(self) -> RouteStats: ...
    @property
    def breakers(self) -> BreakerBoard | None: ...
    @property
    def breaker_sync(self) -> BreakerSync | None: ...


class AdminRoutes:
    def __init__(
        self,
        routing: RoutingView,
        traffic: Callable[[], dict[str, Any]],
        authorize: Callable[[Request], object],
    ) -> None:
        """`traffic`: this process's counts, as /metrics has them."""
        self._routing = routing
        self._traffic = traffic
        self._authorize = authorize

    async def breakers(self, request: Request) -> Response:
        self._authorize(request)
        board = self._routing.breakers
        sync = self._routing.breaker_sync
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
        self._authorize(request)
        return json_response(request, self._traffic())

    async def routes(self, request: Request) -> Response:
        """Each target of a model or alias in the order the router would try it now, with
        its score and the parts of it; without `?model=`, the models and aliases to ask about."""
        self._authorize(request)
        model = request.query_params.get("model")
        routing = self._routing
        if not model:
            return json_response(request, {"models": sorted(routing.table.public_models())})
        targets = routing.table.resolve(model)
        spec = routing.router.strategy_for(model)
        ranked = routing.router.rank(model, targets, (1000, 256))
        rows = []
        for entry in ranked:
            route = entry.target.route
            stats = routing.stats.get(route)
            breaker = routing.breakers.for_target(route).state if routing.breakers else "off"
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
                    "usd_per_1k_prompt_256_completion": routing.router.cost_usd(route, 1000, 256),
                }
            )
        strategy = spec.strategy if spec is not None else "priority"
        return json_response(request, {"model": model, "strategy": strategy, "targets": rows})
