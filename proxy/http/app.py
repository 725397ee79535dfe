"""`create_app(config)` builds the whole ASGI app; nothing lives in module globals."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
from collections.abc import AsyncIterator
from urllib.parse import unquote

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Route

from proxy.config.gateway_config import LoadedConfig, config_path_from_env, load_config
from proxy.config.watch import watch_keys
from proxy.gateway import Gateway
from proxy.http.admin_evidence import AdminEvidence
from proxy.http.admin_policies import AdminPolicies
from proxy.http.admin_routes import AdminRoutes
from proxy.http.admin_ui import AdminUI
from proxy.http.asgi_io import Receive, Scope, Send
from proxy.http.dialect import OpenAIDialect
from proxy.http.errors import GatewayError
from proxy.http.graceful_stop import on_stop_signal
from proxy.http.key_routes import KeyRoutes
from proxy.http.model_endpoint import DEPLOYMENT_KEY, CallPath, ModelEndpoint
from proxy.http.request_models import validate_chat, validate_completions, validate_embeddings
from proxy.http.responses_endpoint import ResponsesEndpoint
from proxy.http.responses_routes import ResponsesRoutes
from proxy.http.routes import Routes, gateway_error, http_error
from proxy.providers import eager_upload
from proxy.translate.messages_dialect import MessagesDialect
from proxy.translate.messages_request import validate_count_tokens_request

__all__ = ["GatewayApp", "app_from_env", "create_app"]

_AZURE_PREFIX = "/openai/deployments/"
_AZURE_ENDPOINTS = frozenset({"chat/completions", "completions", "embeddings"})
# Container allocations between the collector's young-generation passes (Python's default: 700).
_GC_YOUNG_THRESHOLD = 10_000


class GatewayApp:
    """The ASGI edge: the two hot POST endpoints skip the router; the rest is Starlette."""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway
        config = gateway.config
        path = CallPath(
            gateway.handle,
            gateway.record_rejection,
            gateway.metrics,
            gateway.calls,
            config.server,
            config.routing,
        )
        chat = ModelEndpoint(path, "chat", OpenAIDialect(validate_chat))
        embeddings = ModelEndpoint(path, "embeddings", OpenAIDialect(validate_embeddings))
        # Betas the client opted into reach an Anthropic backend (never one translated to).
        betas = frozenset({b"anthropic-beta"})
        messages = ModelEndpoint(path, "messages", MessagesDialect(), betas)
        count = ModelEndpoint(
            path, "count_tokens", MessagesDialect(validate_count_tokens_request), betas
        )
        completions = ModelEndpoint(path, "completions", OpenAIDialect(validate_completions))
        responses = ResponsesEndpoint(dataclasses.replace(path, handle=gateway.handle_responses))
        self._hot = {
            "/v1/chat/completions": chat,
            "/v1/embeddings": embeddings,
            "/v1/messages": messages,
            "/v1/messages/count_tokens": count,
            "/v1/completions": completions,
            "/v1/responses": responses,
        }
        admin = AdminRoutes(gateway)
        evidence = AdminEvidence(gateway.ledger, admin.authorize)
        policies = AdminPolicies(
            gateway.policies, gateway.judging, gateway.principal_named, admin.authorize
        )
        keys = KeyRoutes(gateway, admin.authorize)
        routes = Routes(gateway, admin.authorize)
        # Spooled at once, as a refusal's record is: these calls have no answer to wait on.
        record = gateway.evidence.stage.record_error if gateway.evidence is not None else None
        stored = ResponsesRoutes(gateway.responses, gateway.principal_for, record)
        self._starlette = Starlette(
            routes=[
                Route("/v1/chat/completions", chat, methods=["POST"]),
                Route("/v1/embeddings", embeddings, methods=["POST"]),
                Route("/v1/messages", messages, methods=["POST"]),
                Route("/v1/messages/count_tokens", count, methods=["POST"]),
                Route("/v1/completions", completions, methods=["POST"]),
                Route("/v1/responses", responses, methods=["POST"]),
                Route("/v1/responses/{response_id}", stored.get, methods=["GET"]),
                Route("/v1/responses/{response_id}", stored.delete, methods=["DELETE"]),
                Route("/v1/responses/{response_id}/input_items", stored.input_items),
                Route("/v1/responses/{response_id}/cancel", stored.cancel, methods=["POST"]),
                Route("/v1/models", routes.list_models, methods=["GET"]),
                Route("/v1/models/{model:path}", routes.get_model, methods=["GET"]),
                Route("/healthz", routes.healthz, methods=["GET"]),
                Route("/readyz", routes.readyz, methods=["GET"]),
                Route("/metrics", routes.metrics, methods=["GET"]),
                Route("/admin/policies", admin.policies, methods=["GET"]),
                Route("/admin/policies/reload", admin.reload_policies, methods=["POST"]),
                Route("/admin/policies/tree", policies.tree, methods=["GET"]),
                Route("/admin/policies/explain", policies.explain, methods=["POST"]),
                Route("/admin/evidence", admin.evidence, methods=["GET"]),
                Route("/admin/evidence/records", evidence.records, methods=["GET"]),
                Route("/admin/evidence/verify", evidence.verify, methods=["GET"]),
                Route("/admin/breakers", admin.breakers, methods=["GET"]),
                Route("/admin/routes", admin.routes, methods=["GET"]),
                Route("/admin/stats", admin.stats, methods=["GET"]),
                Route("/admin/keys", keys.create, methods=["POST"]),
                Route("/admin/keys", keys.page, methods=["GET"]),
                Route("/admin/keys/{key_id}", keys.get, methods=["GET"]),
                Route("/admin/keys/{key_id}", keys.revoke, methods=["DELETE"]),
                Route("/admin/keys/{key_id}/rotate", keys.rotate, methods=["POST"]),
                Route("/admin/keys/{key_id}/revoke", keys.revoke, methods=["POST"]),
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

    def _azure(self, scope: Scope, path: str) -> tuple[ModelEndpoint | None, Scope]:
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
            asyncio.create_task(watch_keys(gateway)),
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


def create_app(loaded: LoadedConfig) -> GatewayApp:
    return GatewayApp(Gateway(loaded))


def app_from_env() -> GatewayApp:
    """Factory for `uvicorn --factory` and multiple workers: config path from METAQORE_CONFIG."""
    return create_app(load_config(config_path_from_env()))
