"""The light endpoints: model listing, health, readiness and metrics (Starlette handlers), and
the plain JSON answers and error handlers every Starlette route shares."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from governance.evidence import EvidenceLedger
from proxy.call import Principal
from proxy.edge.probe_cache import ProbeCache
from proxy.http.asgi_io import credential_from, request_id_from
from proxy.middleware.auth import unauthorized
from proxy.middleware.evidence_health import evidence_state
from proxy.providers.base import Health, Provider
from proxy.wire.errors import GatewayError, not_found_model

__all__ = ["ModelRoutes", "ProbeRoutes", "Readiness", "json_response", "standard_headers"]


PrincipalFor = Callable[[str | None], Principal | None]


class ModelRoutes:
    """`/v1/models`: the models and aliases a client may name, to any valid key."""

    def __init__(
        self, public_models: Callable[[], dict[str, str]], principal_for: PrincipalFor
    ) -> None:
        """`public_models`: model -> owner; `principal_for`: the auth stage's own lookup."""
        self._public_models = public_models
        self._principal_for = principal_for

    async def list_models(self, request: Request) -> Response:
        self._authorize(request)
        data = [_model_object(m, owner) for m, owner in self._public_models().items()]
        return json_response(request, {"object": "list", "data": data})

    async def get_model(self, request: Request) -> Response:
        self._authorize(request)
        model = request.path_params["model"]
        owner = self._public_models().get(model)
        if owner is None:
            raise not_found_model(model)
        return json_response(request, _model_object(model, owner))

    def _authorize(self, request: Request) -> None:
        headers = {k.lower().encode(): v.encode("latin-1") for k, v in request.headers.items()}
        credential = credential_from(headers)
        if self._principal_for(credential) is None:
            raise unauthorized(credential)


@dataclass(frozen=True, slots=True)
class Readiness:
    """What `/readyz` reports on: the providers built, those the config disabled (and why),
    and the evidence writer (None: evidence off)."""

    providers: Mapping[str, Provider]
    disabled: Mapping[str, str]
    ledger: EvidenceLedger | None

    def provider_states(self) -> dict[str, str]:
        states = {name: "enabled" for name in self.providers}
        for name, reason in self.disabled.items():
            states[name] = f"disabled: {reason}"
        return states


class ProbeRoutes:
    """`/healthz`, `/readyz` and `/metrics`: for the orchestrator and the scraper."""

    def __init__(
        self,
        readiness: Readiness,
        render_metrics: Callable[[], bytes],
        deep_probe_cache_s: float,
        authorize_admin: Callable[[Request], object],
    ) -> None:
        self._readiness = readiness
        self._render_metrics = render_metrics
        self._authorize_admin = authorize_admin
        self._probes = ProbeCache(self._probe, deep_probe_cache_s)

    async def healthz(self, request: Request) -> Response:
        return json_response(request, {"status": "ok"})

    async def readyz(self, request: Request) -> Response:
        """Ready once config is loaded and providers built, and while the evidence writer
        commits within its bound. `?deep=1` (admin key) also probes each backend; callers
        within `server.deep_probe_cache_s` share one round of probes."""
        readiness = self._readiness
        detail: dict[str, object] = {"providers": readiness.provider_states()}
        ready = bool(readiness.providers)
        if readiness.ledger is not None:
            evidence = detail["evidence"] = evidence_state(readiness.ledger)
            ready = ready and evidence["status"] == "ok"
        if request.query_params.get("deep") == "1":
            self._authorize_admin(request)
            probes, age_s = await self._probes.get()
            detail["probes"] = {n: {"ok": h.ok, "detail": h.detail} for n, h in probes.items()}
            detail["probes_age_s"] = round(age_s, 3)
            ready = ready and any(h.ok for h in probes.values())
        detail["status"] = "ready" if ready else "not_ready"
        return json_response(request, detail, 200 if ready else 503)

    async def metrics(self, request: Request) -> Response:
        return Response(
            self._render_metrics(),
            media_type="text/plain; version=0.0.4; charset=utf-8",
            headers=standard_headers(request),
        )

    async def _probe(self) -> dict[str, Health]:
        providers = self._readiness.providers
        results = await asyncio.gather(*(p.health() for p in providers.values()))
        return dict(zip(providers, results, strict=True))


async def gateway_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, GatewayError)
    return Response(
        exc.body(),
        status_code=exc.status,
        media_type="application/json",
        headers={**standard_headers(request), **exc.headers},
    )


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405, in OpenAI's error shape."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        error = GatewayError(
            404, f"Unknown path: {request.method} {request.url.path}", code="unknown_url"
        )
    else:
        error = GatewayError(
            exc.status_code,
            f"{request.method} is not allowed on {request.url.path}",
            type="invalid_request_error",
            code="method_not_allowed",
        )
    return await gateway_error(request, error)


def standard_headers(request: Request) -> dict[str, str]:
    headers = {k.lower().encode(): v.encode("latin-1") for k, v in request.headers.items()}
    return {
        "x-request-id": request_id_from(headers),
        "x-metaqore-route": "none",
        "x-metaqore-cache": "bypass",
        "x-metaqore-sensitivity": "unscanned",
        "x-metaqore-decision": "none",
    }


def json_response(request: Request, payload: object, status: int = 200) -> Response:
    return Response(
        orjson.dumps(payload),
        status_code=status,
        media_type="application/json",
        headers=standard_headers(request),
    )


def _model_object(model: str, owner: str) -> dict[str, object]:
    return {"id": model, "object": "model", "created": 0, "owned_by": owner}
