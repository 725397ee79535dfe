"""`/admin/policies` (and its reload), `/admin/policies/tree` and `/admin/policies/explain`: where
the policy tree comes from, the tree in force node by node with each node's rules, and the
decision a sample prompt would get. Explain runs the running
gateway's own judging stages through proxy/middleware/explanation.py, as `metaqore policy
explain` does, so the dashboard, the CLI and the gateway never differ."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import Field, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from governance.policy import EffectivePolicy, PolicyTree
from proxy.call import ANONYMOUS, Principal, Stage
from proxy.config.strict_model import StrictModel
from proxy.http.routes import json_response
from proxy.middleware.explanation import explain, rules_in_force, sample_call
from proxy.middleware.policy_source import PolicySource
from proxy.wire.errors import GatewayError

__all__ = ["AdminPolicies"]

_MAX_PROMPT_CHARS = 100_000


class ExplainRequest(StrictModel):
    """A sample call: the key's name in the config (never the key), a model, one prompt."""

    key: str | None = None
    model: str = Field(min_length=1)
    prompt: str = Field(max_length=_MAX_PROMPT_CHARS)
    stream: bool = False
    max_tokens: int | None = Field(default=None, ge=1)


class AdminPolicies:
    def __init__(
        self,
        policies: PolicySource,
        judging: list[Stage],
        principal_named: Callable[[str], Principal | None],
        authorize: Callable[[Request], object],
    ) -> None:
        self._policies = policies
        self._judging = judging
        self._principal_named = principal_named
        self._authorize = authorize

    async def state(self, request: Request) -> Response:
        self._authorize(request)
        return json_response(request, self._state())

    async def reload(self, request: Request) -> Response:
        self._authorize(request)
        applied = self._policies.reload()
        return json_response(request, self._state(), 200 if applied else 422)

    async def tree(self, request: Request) -> Response:
        self._authorize(request)
        tree = self._policies.tree
        if tree is None:
            return json_response(request, {"root": None, "tree": None})
        return json_response(request, {"root": str(tree.root), "tree": _tree_of(tree)})

    async def explain(self, request: Request) -> Response:
        self._authorize(request)
        try:
            asked = ExplainRequest.model_validate_json(await request.body())
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "body"
            raise GatewayError(400, f"{where}: {first['msg']}", param=where) from None
        principal = ANONYMOUS
        if asked.key is not None:
            named = self._principal_named(asked.key)
            if named is None:
                raise GatewayError(400, f"No key named '{asked.key}'.", param="key")
            principal = named
        call = sample_call(principal, asked.model, asked.prompt, asked.stream, asked.max_tokens)
        return json_response(request, await explain(self._judging, call))

    def _state(self) -> dict[str, object]:
        source = self._policies
        tree = source.tree
        return {
            "root": None if source.root is None else str(source.root),
            "nodes": 0 if tree is None else tree.nodes(),
            "default_version": None if tree is None else tree.default.version,
            "last_error": source.last_error,
        }


def _tree_of(tree: PolicyTree) -> dict[str, Any]:
    """The root, its orgs, their teams and keys, each with the rules in force at that node."""
    root = _node("root", "default", tree.default)
    orgs = {org: _node("org", org, policy) for org, policy in sorted(tree.orgs.items())}
    teams: dict[tuple[str, str], dict[str, Any]] = {}
    for (org, team), policy in sorted(tree.teams.items()):
        teams[(org, team)] = node = _node("team", team, policy)
        _org(orgs, org, tree.default)["children"].append(node)
    for (org, team, key), policy in sorted(tree.keys.items()):
        team_node = teams.get((org, team))
        if team_node is not None:
            team_node["children"].append(_node("key", key, policy))
        else:  # a key file under a team that has none of its own
            _org(orgs, org, tree.default)["children"].append(_node("key", f"{team}/{key}", policy))
    root["children"] = list(orgs.values())
    return root


def _org(orgs: dict[str, dict[str, Any]], org: str, default: EffectivePolicy) -> dict[str, Any]:
    """An org's node; one without a file of its own inherits the root's policy."""
    if org not in orgs:
        orgs[org] = _node("org", org, default)
    return orgs[org]


def _node(kind: str, name: str, policy: EffectivePolicy) -> dict[str, Any]:
    return {
        "kind": kind,
        "name": name,
        "files": list(policy.files),
        "version": policy.version,
        "rules": rules_in_force(policy),
        "children": [],
    }
