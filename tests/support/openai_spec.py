"""OpenAI's published schemas (../shared/specs), for validating what the gateway sends."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import httpx
from jsonschema import Draft202012Validator

SPEC = Path(__file__).resolve().parents[3] / "shared" / "specs" / "openai-openapi.json"


def _nullable_to_anyof(node: Any) -> Any:
    """The spec mixes OpenAPI 3.0 `nullable` into 3.1; JSON Schema validators ignore it."""
    if isinstance(node, dict):
        out = {k: _nullable_to_anyof(v) for k, v in node.items() if k != "nullable"}
        if node.get("nullable") is True:
            return {"anyOf": [out, {"type": "null"}]}
        return out
    if isinstance(node, list):
        return [_nullable_to_anyof(v) for v in node]
    return node


@cache
def _spec() -> dict[str, Any]:
    return dict(_nullable_to_anyof(json.loads(SPEC.read_text())))


def validate(schema_name: str, instance: Any) -> None:
    spec = copy.copy(_spec())
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": spec["components"]}
    errors = list(Draft202012Validator(schema).iter_errors(instance))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


@cache
def _event_schemas() -> dict[str, str]:
    """Stream event type → the schema that defines it (the spec's `ResponseStreamEvent` union)."""
    schemas = _spec()["components"]["schemas"]
    out: dict[str, str] = {}
    for member in schemas["ResponseStreamEvent"]["anyOf"]:
        name = member["$ref"].rsplit("/", 1)[1]
        for kind in schemas[name]["properties"]["type"].get("enum", []):
            out[kind] = name
    return out


def validate_response_event(event: dict[str, Any]) -> None:
    """One Responses stream event against the schema of its `type` (so errors name the field)."""
    name = _event_schemas().get(event.get("type", ""))
    assert name is not None, f"not a Responses stream event type: {event.get('type')!r}"
    validate(name, event)


def streamed_response_events(url: str, key: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    """A streamed `POST {url}/v1/responses` as the gateway wrote it: each event checked
    against its SSE name and its schema."""
    events = []
    with httpx.stream(
        "POST", f"{url}/v1/responses", headers={"authorization": f"Bearer {key}"},
        json={**body, "stream": True}, timeout=30,
    ) as response:  # fmt: skip
        assert response.status_code == 200
        name = None
        for line in response.iter_lines():
            if line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: "):
                event = json.loads(line.removeprefix("data: "))
                assert event["type"] == name
                validate_response_event(event)
                events.append(event)
    return events
