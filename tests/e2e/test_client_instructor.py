"""instructor through the gateway (in the pinned venv, tests/support/pinned): structured output in
its TOOLS and JSON_SCHEMA modes, sync, async and streamed partials, its retries (the validation
error sent back and answered), its Responses mode (translated and native), and a policy block as
the openai SDK's exception it passes on."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import pinned
from tests.support.client_gateway import (
    BLOCKED,
    BLOCKED_CODE,
    KEY,
    SECRET,
    ClientGateway,
    client_gateway,
)

__all__ = ["client_gateway"]

PARIS = {"city": "Paris"}


def _run(g: ClientGateway, scenario: str, *extra: str) -> Any:
    return pinned.run("instructor_calls", scenario, g.base_url, KEY, *extra)


@pytest.mark.parametrize(
    "scenario",
    [
        "tools",
        "json_schema",
        "async_tools",
        "streamed_partial",
        "responses_tools",
        "native_responses_tools",
    ],
)
def test_structured_output(client_gateway: ClientGateway, scenario: str) -> None:
    assert _run(client_gateway, scenario) == PARIS


def test_retries_send_the_validation_error_back(client_gateway: ClientGateway) -> None:
    assert _run(client_gateway, "retries") == {"result": PARIS, "attempts": 2}
    reask = client_gateway.sent()["messages"]
    assert reask[-2]["tool_calls"][0]["function"]["name"] == "Checked"
    assert "say it again" in reask[-1]["content"]


def test_policy_block(client_gateway: ClientGateway) -> None:
    error = _run(client_gateway, "blocked", f"Deploy with {SECRET}")
    assert (error["type"], error["cause"], error["status"]) == (
        "InstructorRetryException",
        "PermissionDeniedError",
        403,
    ), error
    assert error["attempts"] == 1, error  # a 403 is not retried
    assert BLOCKED in error["message"] and BLOCKED_CODE in error["message"]
    assert SECRET not in error["message"]
