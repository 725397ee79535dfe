"""A request body read one way only: parsed by orjson, then refused where another parser could
read the same bytes differently (the gateway judges the parsed body and may forward the bytes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from proxy.http.json_guard import check
from proxy.wire.errors import GatewayError, bad_request
from proxy.wire.invalid_body import param_of

__all__ = ["BodyLimits", "load_object"]


@dataclass(frozen=True, slots=True)
class BodyLimits:
    """What a body may hold (server.* in the config). Its parse, validation and scan each cost
    in proportion to its values, on the event loop."""

    max_depth: int = 64
    max_array_items: int = 2048
    max_values: int = 32_768
    max_string_chars: int = 10 * 1024 * 1024


def load_object(raw: bytes, limits: BodyLimits) -> dict[str, Any]:
    if not raw.strip():
        raise bad_request("The request body is empty; send a JSON object.", code="invalid_json")
    # The limits hold before the parse: a parse costs in proportion to what it is held to.
    problem = check(
        raw, limits.max_depth, limits.max_array_items, limits.max_values, limits.max_string_chars
    )
    if problem is not None and problem[0] != "malformed":
        raise _refusal(*problem, limits)
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise bad_request(
            f"We could not parse the JSON body of your request: {exc}", code="invalid_json"
        ) from None
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.", code="invalid_json")
    if problem is not None:  # orjson read what the walk could not: never forward it
        raise bad_request("We could not parse the JSON body of your request.", code="invalid_json")
    return body


def _refusal(problem: str, path: tuple[str | int, ...], limits: BodyLimits) -> GatewayError:
    param = param_of(path) or None
    where = f"'{param}'" if param else "the top level"
    if problem == "array_too_long":
        return bad_request(
            f"Invalid {where}: array too long. Expected an array with maximum length "
            f"{limits.max_array_items}.",
            param=param,
            code="array_above_max_length",
        )
    if problem == "string_too_long":
        return bad_request(
            f"Invalid {where}: string too long. Expected a string with maximum length "
            f"{limits.max_string_chars}.",
            param=param,
            code="string_above_max_length",
        )
    if problem == "too_many_values":
        return bad_request(
            f"The body holds more than this gateway's limit of {limits.max_values} values.",
            code="too_many_values",
        )
    if problem == "duplicate_key":
        return bad_request(
            f"The key {where} appears more than once in its object; send each key once.",
            param=param,
            code="duplicate_key",
        )
    if problem == "too_deep":
        return bad_request(
            f"The body nests deeper than this gateway's limit of {limits.max_depth} levels at "
            f"{where}.",
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
