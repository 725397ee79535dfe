"""A request body read one way only: parsed by orjson, then refused where another parser could
read the same bytes differently (the gateway judges the parsed body and may forward the bytes)."""

from __future__ import annotations

from typing import Any

import orjson

from proxy.errors import GatewayError, bad_request
from proxy.http.json_guard import check

__all__ = ["load_object", "param_of"]


def load_object(raw: bytes, max_depth: int) -> dict[str, Any]:
    if not raw.strip():
        raise bad_request("The request body is empty; send a JSON object.", code="invalid_json")
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise bad_request(
            f"We could not parse the JSON body of your request: {exc}", code="invalid_json"
        ) from None
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.", code="invalid_json")
    problem = check(raw, max_depth)
    if problem is not None:
        raise _refusal(*problem, max_depth)
    return body


def param_of(path: tuple[str | int, ...] | list[str | int]) -> str:
    """`messages[0].content`, as OpenAI names a place in a body."""
    param = ""
    for part in path:
        param += f"[{part}]" if isinstance(part, int) else (f".{part}" if param else part)
    return param


def _refusal(problem: str, path: tuple[str | int, ...], max_depth: int) -> GatewayError:
    param = param_of(path) or None
    where = f"'{param}'" if param else "the top level"
    if problem == "duplicate_key":
        return bad_request(
            f"The key {where} appears more than once in its object; send each key once.",
            param=param,
            code="duplicate_key",
        )
    if problem == "too_deep":
        return bad_request(
            f"The body nests deeper than this gateway's limit of {max_depth} levels at {where}.",
            param=param,
            code="nesting_too_deep",
        )
    if problem == "integer_out_of_range":
        return bad_request(
            f"The integer at {where} is outside the 64-bit range.",
            param=param,
            code="integer_out_of_range",
        )
    return bad_request("We could not parse the JSON body of your request.", code="invalid_json")
