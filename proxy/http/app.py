"""`create_app(config)` builds the whole ASGI app; nothing lives in module globals."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
from collections.abc import AsyncIterator, Callable
from urllib.parse import unquote

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Route

from proxy.config.gateway_config import LoadedConfig, config_path_from_env, load_config
from proxy.config.watch import watch_keys
from proxy.gateway import Gateway
from proxy.http.admin_auth import AdminKeys
from proxy.http.admin_evidence import AdminEvidence
from proxy.http.admin_policies import AdminPolicies
from proxy.http.admin_routes import AdminRoutes
from proxy.http.admin_ui import AdminUI
from proxy.http.asgi_io import Receive, Scope, Send
from proxy.http.dialect import OpenAIDialect
from proxy.http.graceful_stop import on_stop_signal
from proxy.http.key_routes import KeyRoutes
from proxy.http.model_endpoint import DEPLOYMENT_KEY, CallPath, ModelEndpoint
from proxy.http.request_models import validate_chat, validate_completions, validate_embeddings
from proxy.http.responses_endpoint import ResponsesEndpoint
from proxy.http.responses_routes import ResponsesRoutes
from proxy.http.routes import (
    ModelRoutes,
    ProbeRoutes,
    Readiness,
    gateway_error,
    http_error,
)
from proxy.providers import eager_upload
from proxy.translate.messages_dialect import MessagesDialect
from proxy.translate.messages_request import validate_count_tokens_request
from proxy.wire.errors import GatewayError

__all__ = ["GatewayApp", "app_from_env", "create_app"]

_AZURE_PREFIX = "/openai/deployments/"
_AZURE_ENDPOINTS = frozenset({"chat/completions", "completions", "embeddings"})
# Container allocations between the collector's young-generation passes (Python's default: 700).
_GC_YOUNG_THRESHOLD = 10_000

HotEndpoint = ModelEndpoint | ResponsesEndpoint


class GatewayApp:
    """The ASGI app: the body endpoints' POSTs skip Starlette's router; the rest is Starlette."""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway
        self._hot = _hot_endpoints(gateway)
        admin = AdminKeys(gateway.config.admin)
        self._starlette = Starlette(
            routes=[
                # Here for their 405s: __call__ hands the POSTs to them before Starlette.
                *(Route(path, endpoint, methods=["POST"]) for path, endpoint in self._hot.items()),
                *_client_routes(gateway, admin.authorize),
                *_admin_routes(gateway, admin.authorize),
                *AdminUI(admin.enabled).routes(),
            ],
            exception_handlers={GatewayError: gateway_error, HTTPException: http_error},
            lifespan=self._lifespan,
        )
        # Starlette would answer `/v1/models/` with a redirect to a URL built from the client's
        # Host header. OpenAI's API answers a 404, and so does the gateway: a client learns its
        # mistake instead of sending its request (and key) again.
        self._starlette.router.redirect_slashes = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            path = scope["path"]
            handler = self._hot.get(path)
            if handler is None and path.startswith(_AZURE_PREFIX):
                handler, scope = self._azure(scope, path)
            if handler is not None:
                await handler(scope, receive, send)
                return
        await self._starlette(scope, receive, send)

    def _azure(self, scope: Scope, path: str) -> tuple[HotEndpoint | None, Scope]:
        """`/openai/deployments/{deployment}/chat/completions` (or `/embeddings`), as clients
        built with the AzureOpenAI SDK class call it; the deployment resolves like a model."""
        deployment, _, rest = path[len(_AZURE_PREFIX) :].partition("/")
        handler = self._hot.get(f"/v1/{rest}") if rest in _AZURE_ENDPOINTS else None
        if handler is None or not deployment:
            return None, scope
        return handler, {**scope, DEPLOYMENT_KEY: unquote(deployment)}

    @contextlib.asynccontextmanager
    async def _lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        gateway = self.gateway
        eager_upload.install(asyncio.get_running_loop())
        await gateway.start()
        interval = gateway.config.server.reload_interval_s
        watchers = [
            asyncio.create_task(watch_keys(gateway.loaded, gateway.principals.swap)),
            asyncio.create_task(gateway.policies.watch(interval)),
        ]
        # Everything built so far lives as long as the process: keep it out of the collector's
        # full passes, which would otherwise walk it again and again under load.
        gc.collect()
        gc.freeze()
        # A call allocates many short-lived containers and frees nearly all of them itself; at
        # the default threshold (700) the collector ran again and again, walking the in-flight
        # calls' objects each time (3% of a call's instructions at concurrency 64).
        gc.set_threshold(_GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
        unhook = on_stop_signal(gateway.stopping.begin)
        try:
            yield
        finally:
            unhook()
            gateway.stopping.cancel()
            for watcher in watchers:
                watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watcher
            await gateway.aclose()


def _hot_endpoints(gateway: Gateway) -> dict[str, HotEndpoint]:
    """The body endpoints, each over the stage chain through a CallPath (never the Gateway)."""
    config = gateway.config
    path = CallPath(
        gateway.handle,
        gateway.record_rejection,
        gateway.metrics,
        gateway.calls,
        config.server,
        config.routing,
    )
    # Betas the client opted into reach an Anthropic backend (never one translated to).
    betas = frozenset({b"anthropic-beta"})
    count_dialect = MessagesDialect(validate_count_tokens_request)
    return {
        "/v1/chat/completions": ModelEndpoint(path, "chat", OpenAIDialect(validate_chat)),
        "/v1/embeddings": ModelEndpoint(path, "embeddings", OpenAIDialect(validate_embeddings)),
        "/v1/messages": ModelEndpoint(path, "messages", MessagesDialect(), betas),
        "/v1/messages/count_tokens": ModelEndpoint(path, "count_tokens", count_dialect, betas),
        "/v1/completions": ModelEndpoint(path, "completions", OpenAIDialect(validate_completions)),
        "/v1/responses": ResponsesEndpoint(
            dataclasses.replace(path, handle=gateway.handle_responses)
        ),
    }


def _client_routes(gateway: Gateway, authorize_admin: Callable[[Request], str]) -> list[Route]:
    """Stored Responses, the model list (a client's key), and the probes and metrics."""
    principals, routing = gateway.principals, gateway.routing
    # Spooled at once, as a refusal's record is: these calls have no answer to wait on.
    record = gateway.evidence.stage.record_error if gateway.evidence is not None else None
    stored = ResponsesRoutes(gateway.responses, principals.principal_for, record)
    models = ModelRoutes(routing.table.public_models, principals.principal_for)
    readiness = Readiness(routing.providers, gateway.loaded.disabled_providers, gateway.ledger)
    probe_cache_s = gateway.config.server.deep_probe_cache_s
    probes = ProbeRoutes(readiness, gateway.metrics.render, probe_cache_s, authorize_admin)
    return [
        Route("/v1/responses/{response_id}", stored.get, methods=["GET"]),
        Route("/v1/responses/{response_id}", stored.delete, methods=["DELETE"]),
        Route("/v1/responses/{response_id}/input_items", stored.input_items),
        Route("/v1/responses/{response_id}/cancel", stored.cancel, methods=["POST"]),
        Route("/v1/models", models.list_models, methods=["GET"]),
        Route("/v1/models/{model:path}", models.get_model, methods=["GET"]),
        Route("/healthz", probes.healthz, methods=["GET"]),
        Route("/readyz", probes.readyz, methods=["GET"]),
        Route("/metrics", probes.metrics, methods=["GET"]),
    ]


def _admin_routes(gateway: Gateway, authorize: Callable[[Request], str]) -> list[Route]:
    """`/admin/*` but the dashboard's files, each behind the admin keys."""
    policies = AdminPolicies(
        gateway.policies, gateway.judging.stages, gateway.principals.named, authorize
    )
    evidence = AdminEvidence(gateway.ledger, authorize)
    routing = AdminRoutes(gateway.routing, gateway.metrics.traffic, authorize)
    keys = KeyRoutes(gateway.key_admin, authorize)
    return [
        Route("/admin/policies", policies.state, methods=["GET"]),
        Route("/admin/policies/reload", policies.reload, methods=["POST"]),
        Route("/admin/policies/tree", policies.tree, methods=["GET"]),
        Route("/admin/policies/explain", policies.explain, methods=["POST"]),
        Route("/admin/evidence", evidence.status, methods=["GET"]),
        Route("/admin/evidence/records", evidence.records, methods=["GET"]),
        Route("/admin/evidence/verify", evidence.verify, methods=["GET"]),
        Route("/admin/breakers", routing.breakers, methods=["GET"]),
        Route("/admin/routes", routing.routes, methods=["GET"]),
        Route("/admin/stats", routing.stats, methods=["GET"]),
        Route("/admin/keys", keys.create, methods=["POST"]),
        Route("/admin/keys", keys.page, methods=["GET"]),
        Route("/admin/keys/{key_id}", keys.get, methods=["GET"]),
        Route("/admin/keys/{key_id}", keys.revoke, methods=["DELETE"]),
        Route("/admin/keys/{key_id}/rotate", keys.rotate, methods=["POST"]),
        Route("/admin/keys/{key_id}/revoke", keys.revoke, methods=["POST"]),
    ]


def create_app(loaded: LoadedConfig) -> GatewayApp:
    return GatewayApp(Gateway(loaded))


def app_from_env() -> GatewayApp:
    """Factory for `uvicorn --factory` and multiple workers: config path from METAQORE_CONFIG."""
    return create_app(load_config(config_path_from_env()))
