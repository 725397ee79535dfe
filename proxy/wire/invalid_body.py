"""A client body that fails its pydantic model, said as OpenAI says it: a 400 naming the first
problem's field (`messages[0].content`). The one place pydantic's ValidationError meets the wire."""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import BaseModel, ValidationError

from proxy.wire.errors import GatewayError, bad_request

__all__ = ["check_body", "invalid_request", "param_of"]


def param_of(path: tuple[str | int, ...] | list[str | int]) -> str:
    """`messages[0].content`, as OpenAI names a place in a body."""
    param = ""
    for part in path:
        param += f"[{part}]" if isinstance(part, int) else (f".{part}" if param else part)
    return param


def check_body(body: dict[str, Any], model: type[BaseModel]) -> None:
    """`body` checked against `model`; the first problem as OpenAI's 400 naming the field."""
    try:
        model.model_validate(body)
    except ValidationError as exc:
        raise invalid_request(exc) from None


def invalid_request(exc: ValidationError) -> GatewayError:
    err = exc.errors(include_url=False)[0]
    # Union members add their own names to the location; keep only real field names and indexes.
    param = param_of([p for p in err["loc"] if isinstance(p, int) or not _is_type_tag(p)])
    if err["type"] == "missing":
        return bad_request(
            f"Missing required parameter: '{param}'.",
            param=param,
            code="missing_required_parameter",
        )
    if err["type"] == "extra_forbidden":  # only where a body's fields are all known
        return bad_request(f"Unknown parameter: '{param}'.", param=param, code="unknown_parameter")
    if err["type"] == "value_error" and not param:
        return bad_request(err["msg"].removeprefix("Value error, "), code="invalid_value")
    got = orjson.dumps(err.get("input")).decode()[:80] if "input" in err else "?"
    return bad_request(
        f"Invalid value for '{param}': {err['msg']} (got {got}).",
        param=param or None,
        code="invalid_type" if "type" in err["type"] else "invalid_value",
    )


def _is_type_tag(part: str) -> bool:
    return not part.isidentifier() or part in {"str", "int", "float", "bool", "none"}
