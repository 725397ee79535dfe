"""`include` of a Responses request, over a chat-completions backend.

- `message.output_text.logprobs`: the backend is asked for `logprobs` (and `top_logprobs`
  alternatives when the request sets them; a native backend reads them back as its `include`,
  proxy/translate/responses_native.py), and the answer's text parts carry them.
- `reasoning.encrypted_content`: a chat-completions backend hands out no reasoning to encrypt,
  and a native backend's reasoning items are not passed back (the gateway keeps conversations
  in chat form); 400, as OpenAI answers it for a model without reasoning.
- The results and outputs of built-in tools (`web_search_call.*`, `file_search_call.results`,
  `code_interpreter_call.outputs`, `computer_call_output.output.image_url`): nothing here can
  produce them, since those tools are refused; accepted and empty, as OpenAI answers a request
  naming them without the tool.
- `message.input_image.image_url`: input items always carry their image URLs.
- Anything else: 400 `invalid_value`, as OpenAI answers.
"""

from __future__ import annotations

from typing import Any

from proxy.wire.errors import GatewayError, bad_request

__all__ = ["LOGPROBS", "check_include", "request_logprobs"]

LOGPROBS = "message.output_text.logprobs"
_ENCRYPTED = "reasoning.encrypted_content"
_KNOWN = (
    "file_search_call.results", "web_search_call.results", "web_search_call.action.sources",
    "message.input_image.image_url", "computer_call_output.output.image_url",
    "code_interpreter_call.outputs", _ENCRYPTED, LOGPROBS,
)  # fmt: skip


def check_include(include: list[str]) -> None:
    for index, value in enumerate(include):
        where = f"include[{index}]"
        if value not in _KNOWN:
            raise bad_request(
                f"Invalid value: '{value}'. Supported values are: "
                + ", ".join(f"'{v}'" for v in _KNOWN) + ".",
                where,
                "invalid_value",
            )  # fmt: skip
        if value == _ENCRYPTED:
            raise GatewayError(
                400,
                "Encrypted content is not supported with this model: this gateway keeps each "
                "conversation in chat form, which holds no reasoning to encrypt.",
                code="unsupported_include",
                param=where,
            )


def request_logprobs(body: dict[str, Any], chat: dict[str, Any]) -> bool:
    """Asks the backend for what `include` wants of it; whether logprobs were asked for."""
    if LOGPROBS not in (body.get("include") or ()):
        return False
    chat["logprobs"] = True
    if body.get("top_logprobs"):
        chat["top_logprobs"] = body["top_logprobs"]
    return True
