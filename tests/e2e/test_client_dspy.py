"""dspy through the gateway: `dspy.LM("openai/<model>", api_base=...)` driving `Predict` and
`ChainOfThought` (chat completions, and the Responses API with `model_type="responses"`), and a
policy block as dspy's own exception."""

from __future__ import annotations

import asyncio
import json

import dspy
import pytest
from dspy.utils.exceptions import LMAuthError, LMServerError, LMUnsupportedModelError

from tests.support.client_gateway import (
    BLOCKED,
    BLOCKED_CODE,
    KEY,
    SECRET,
    ClientGateway,
    client_gateway,
)

__all__ = ["client_gateway"]

ANSWER = {"reasoning": "Paris is in France.", "answer": "Paris"}


def _lm(g: ClientGateway, model_type: str = "chat", model: str = "echo") -> dspy.LM:
    return dspy.LM(
        f"openai/{model}",
        api_base=g.base_url,
        api_key=KEY,
        cache=False,
        num_retries=0,
        model_type=model_type,
    )


@pytest.mark.parametrize("model_type", ["chat", "responses"])
def test_predict_and_chain_of_thought(client_gateway: ClientGateway, model_type: str) -> None:
    """`echo` answers the user's message: the question carries the fields dspy parses back."""
    lm = _lm(client_gateway, model_type)
    question = "[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]"
    with dspy.context(lm=lm):
        assert dspy.Predict("question -> answer")(question=question).answer == "Paris"
        fields = "[[ ## reasoning ## ]]\nParis is in France.\n\n" + question
        predicted = dspy.ChainOfThought("question -> answer")(question=fields)
    assert {"reasoning": predicted.reasoning, "answer": predicted.answer} == ANSWER


def test_json_adapter(client_gateway: ClientGateway) -> None:
    with dspy.context(lm=_lm(client_gateway), adapter=dspy.JSONAdapter()):
        predicted = dspy.Predict("question -> answer")(question=json.dumps({"answer": "Paris"}))
    assert predicted.answer == "Paris"


@pytest.mark.parametrize("model_type", ["chat", "responses"])
def test_policy_block(client_gateway: ClientGateway, model_type: str) -> None:
    """dspy maps every 403 to `LMAuthError`; the gateway's message and code come with it."""
    with dspy.context(lm=_lm(client_gateway, model_type)), pytest.raises(LMAuthError) as caught:
        dspy.Predict("question -> answer")(question=f"Deploy with {SECRET}")
    assert BLOCKED in str(caught.value) and BLOCKED_CODE in str(caught.value)
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize("model", ["reset-mid-stream", "native-fail"])
def test_a_responses_stream_failing_midway_is_a_server_error(
    client_gateway: ClientGateway, model: str
) -> None:
    """dspy tells a Responses stream's failure by the `error` event's code."""
    program = dspy.streamify(dspy.Predict("question -> answer"))

    async def drain() -> None:
        async for _ in program(question="hello"):
            pass

    lm = _lm(client_gateway, "responses", model)
    with dspy.context(lm=lm), pytest.raises(LMServerError, match="upstream"):
        asyncio.run(drain())


@pytest.mark.parametrize("model_type", ["chat", "responses"])
def test_a_wrong_key_and_an_unknown_model_are_their_own_errors(
    client_gateway: ClientGateway, model_type: str
) -> None:
    wrong = dspy.LM("openai/echo", api_base=client_gateway.base_url, api_key="sk-wrong-0123456789",
                    cache=False, num_retries=0, model_type=model_type)  # fmt: skip
    with pytest.raises(LMAuthError, match="Incorrect API key"):
        wrong("hello")
    with pytest.raises(LMUnsupportedModelError, match="no-such-model"):
        _lm(client_gateway, model_type, "no-such-model")("hello")
