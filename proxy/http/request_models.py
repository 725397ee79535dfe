"""Validation of client bodies at the edge. The checked dict is what travels on, so fields this
gateway does not know (new OpenAI parameters) pass through untouched."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from proxy.wire.invalid_body import check_body

__all__ = ["validate_chat", "validate_completions", "validate_embeddings"]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class _Message(_Open):
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None
    name: str | None = None
    tool_calls: list[dict[str, Any]] | None = None
    tool_call_id: str | None = None


class _Function(_Open):
    name: str = Field(min_length=1, max_length=64)
    parameters: dict[str, Any] | None = None


class _Tool(_Open):
    type: str
    function: _Function | None = None


class _StreamOptions(_Open):
    include_usage: bool | None = None


class _ChatRequest(_Open):
    model: str = Field(min_length=1)
    messages: list[_Message] = Field(min_length=1)
    stream: bool | None = None
    stream_options: _StreamOptions | None = None
    n: int | None = Field(None, ge=1, le=128)
    max_tokens: int | None = Field(None, ge=1)
    max_completion_tokens: int | None = Field(None, ge=1)
    temperature: float | None = Field(None, ge=0, le=2)
    top_p: float | None = Field(None, ge=0, le=1)
    seed: int | None = None
    logprobs: bool | None = None
    top_logprobs: int | None = Field(None, ge=0, le=20)
    tools: list[_Tool] | None = None
    tool_choice: str | dict[str, Any] | None = None
    response_format: dict[str, Any] | None = None
    user: str | None = None

    @model_validator(mode="after")
    def _options_need_stream(self) -> _ChatRequest:
        if self.stream_options is not None and self.stream is not True:
            raise ValueError(
                "The 'stream_options' parameter is only allowed when 'stream' is enabled."
            )
        return self


class _EmbeddingsRequest(_Open):
    model: str = Field(min_length=1)
    input: str | list[str] | list[int] | list[list[int]]
    encoding_format: Literal["float", "base64"] | None = None
    dimensions: int | None = Field(None, ge=1)
    user: str | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> _EmbeddingsRequest:
        if self.input == "" or self.input == []:
            raise ValueError("'input' cannot be empty.")
        return self


class _CompletionsRequest(_Open):
    """The legacy text completions: a prompt is a string, strings, or token ids."""

    model: str = Field(min_length=1)
    prompt: str | list[str] | list[int] | list[list[int]]
    stream: bool | None = None
    stream_options: _StreamOptions | None = None
    n: int | None = Field(None, ge=1, le=128)
    best_of: int | None = Field(None, ge=1, le=20)
    max_tokens: int | None = Field(None, ge=0)
    temperature: float | None = Field(None, ge=0, le=2)
    top_p: float | None = Field(None, ge=0, le=1)
    logprobs: int | None = Field(None, ge=0, le=5)
    echo: bool | None = None
    stop: str | list[str] | None = None
    suffix: str | None = None
    seed: int | None = None
    user: str | None = None

    @model_validator(mode="after")
    def _options_need_stream(self) -> _CompletionsRequest:
        if self.stream_options is not None and self.stream is not True:
            raise ValueError(
                "The 'stream_options' parameter is only allowed when 'stream' is enabled."
            )
        return self


def validate_completions(body: dict[str, Any]) -> None:
    check_body(body, _CompletionsRequest)


def validate_chat(body: dict[str, Any]) -> None:
    check_body(body, _ChatRequest)


def validate_embeddings(body: dict[str, Any]) -> None:
    check_body(body, _EmbeddingsRequest)
