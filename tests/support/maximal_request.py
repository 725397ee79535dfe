"""Request bodies with every field of a published schema (../shared/specs), each free string
holding a canary of its own: for checking that no string of a body reaches a provider unjudged.

Every branch of a union is taken (a message list gets one message of each kind, a content list
one part of each kind), objects that allow other keys get one more (its key a canary too), and
enumerated strings take their first value. Canaries are e-mail addresses numbered by leaf, so a
leak names the place it came from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

SPECS = Path(__file__).resolve().parents[3] / "shared" / "specs"
CANARY_DOMAIN = "canary.example.org"


@cache
def _components(spec: str) -> dict[str, Any]:
    schemas: dict[str, Any] = json.loads((SPECS / spec).read_text())["components"]["schemas"]
    return schemas


@dataclass
class MaximalBody:
    spec: str
    canaries: dict[str, str] = field(default_factory=dict)  # canary → where it was put
    _depth_of: dict[str, int] = field(default_factory=dict)

    def build(self, schema_name: str) -> Any:
        return self._value({"$ref": f"#/components/schemas/{schema_name}"}, "")

    def canary(self, where: str) -> str:
        value = f"leaf{len(self.canaries)}@{CANARY_DOMAIN}"
        self.canaries[value] = where
        return value

    def _value(self, schema: dict[str, Any], where: str) -> Any:
        ref = schema.get("$ref")
        if ref is not None:
            name = ref.rsplit("/", 1)[1]
            # A recursive schema (a JSON schema inside a schema) is followed twice, not forever.
            if self._depth_of.get(name, 0) >= 2:
                return None
            self._depth_of[name] = self._depth_of.get(name, 0) + 1
            try:
                return self._value(_components(self.spec)[name], where)
            finally:
                self._depth_of[name] -= 1
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return next((v for v in schema["enum"] if v is not None), None)
        if "allOf" in schema:
            merged: dict[str, Any] = {}
            for part in schema["allOf"]:
                value = self._value(part, where)
                if isinstance(value, dict):
                    merged.update(value)
            return merged
        branches = schema.get("anyOf") or schema.get("oneOf")
        if branches is not None:
            return self._union(branches, where)
        return self._typed(schema, where)

    def _deref(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = _components(self.spec)[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def _union(self, branches: list[dict[str, Any]], where: str) -> Any:
        """The richest branch: an object over a string over anything else."""
        values = [self._value(b, where) for b in branches if b.get("type") != "null"]
        for kind in (dict, list, str):
            for value in values:
                if isinstance(value, kind) and value:
                    return value
        return values[0] if values else None

    def _typed(self, schema: dict[str, Any], where: str) -> Any:
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), None)
        if kind == "object" or "properties" in schema:
            out = {
                name: self._value(sub, f"{where}.{name}")
                for name, sub in schema.get("properties", {}).items()
            }
            if schema.get("additionalProperties") not in (None, False) or not out:
                out[self.canary(f"{where} (a key)")] = self.canary(f"{where}.<extra>")
            return {k: v for k, v in out.items() if v is not None}
        if kind == "array":
            items = self._deref(schema.get("items", {}))
            branches = items.get("anyOf") or items.get("oneOf")
            if branches is None:
                return [self._value(items, f"{where}[0]")]
            picked = (self._value(b, f"{where}[{i}]") for i, b in enumerate(branches))
            return [v for v in picked if v is not None]
        if kind == "string":
            return self.canary(where)
        if kind == "integer":
            return max(1, int(schema.get("minimum", 1)))
        if kind == "number":
            return max(0.5, float(schema.get("minimum", 0.5)))
        if kind == "boolean":
            return True
        return None
