"""Provider entries of gateway.yaml, one model per `kind`, joined in one tagged union."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, get_args

from pydantic import Field, SecretStr, field_validator, model_validator

from proxy.config.strict_model import StrictModel

__all__ = [
    "PROVIDER_KINDS",
    "AnthropicProviderConfig",
    "AzureProviderConfig",
    "LlamaCppProviderConfig",
    "MockProviderConfig",
    "OpenAIProviderConfig",
    "ProviderConfig",
]


class _ProviderBase(StrictModel):
    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+$")]
    models: list[str] = Field(min_length=1)
    # USD per million tokens, [input, output], per model: for least_cost routing and evidence.
    prices: dict[str, tuple[float, float]] = Field(default_factory=dict)
    locality: Literal["cloud", "local"] = "cloud"
    region: str | None = None
    certifications: list[Literal["hipaa_baa", "gdpr_dpa", "soc2"]] = Field(default_factory=list)


class OpenAIProviderConfig(_ProviderBase):
    """Any OpenAI-compatible upstream: api.openai.com, vLLM, llama.cpp's server, Ollama's /v1."""

    kind: Literal["openai"]
    base_url: Annotated[str, Field(pattern=r"^https?://[^\s/]+")]
    api_key: SecretStr | None = None
    connect_timeout_s: float = Field(5.0, gt=0)
    read_timeout_s: float = Field(120.0, gt=0)
    max_connections: int = Field(256, gt=0)
    # How long a call may wait for one of the `max_connections` when all are busy (then 503).
    pool_timeout_s: float = Field(5.0, ge=0)
    # Older OpenAI-compatible servers reject stream_options; then usage of streams stays unknown.
    stream_usage: bool = True
    # How `/v1/responses` reaches this backend: `translated` to chat completions (any server),
    # or `native` to its own `/responses` (OpenAI, Azure's v1 API), stateless: the gateway
    # keeps the conversation and sends it whole with `store: false`.
    responses: Literal["translated", "native"] = "translated"


class AzureProviderConfig(OpenAIProviderConfig):
    """Azure OpenAI: `{base_url}/openai/deployments/{deployment}/…?api-version=…`."""

    kind: Literal["azure"]  # type: ignore[assignment]
    base_url: Annotated[str, Field(pattern=r"^https?://[^\s/]+")]
    api_version: str = "2024-10-21"
    # Model name → deployment name; a model not listed is its own deployment name.
    deployments: dict[str, str] = Field(default_factory=dict)
    # An Entra ID bearer token instead of the api-key (one of the two).
    entra_token: SecretStr | None = None

    @field_validator("api_version", mode="before")
    @classmethod
    def _date_is_text(cls, value: object) -> object:
        # YAML reads an unquoted 2024-10-21 as a date; Azure wants the text.
        return value.isoformat() if isinstance(value, dt.date) else value

    @model_validator(mode="after")
    def _one_credential(self) -> AzureProviderConfig:
        if self.api_key is not None and self.entra_token is not None:
            raise ValueError("give 'api_key' or 'entra_token', not both")
        return self


class AnthropicProviderConfig(OpenAIProviderConfig):
    """Anthropic's Messages API, translated to and from chat completions."""

    kind: Literal["anthropic"]  # type: ignore[assignment]
    base_url: Annotated[str, Field(pattern=r"^https?://[^\s/]+")] = "https://api.anthropic.com"
    anthropic_version: str = "2023-06-01"
    # Anthropic requires max_tokens; this is sent when the client set none.
    default_max_tokens: int = Field(4096, gt=0)
    # Anthropic has no Responses API: `/v1/responses` goes through the Messages translation.
    responses: Literal["translated"] = "translated"


class LlamaCppProviderConfig(_ProviderBase):
    """A GGUF model loaded in this process by llama-cpp-python (`pip install '.[local]'`)."""

    kind: Literal["llama_cpp"]
    locality: Literal["cloud", "local"] = "local"
    model_path: str = Field(min_length=1)
    n_ctx: int = Field(4096, gt=0)
    n_gpu_layers: int = Field(0, ge=-1)  # -1: all layers on the GPU
    chat_format: str | None = None  # default: the template in the GGUF file
    embedding: bool = False  # load for /v1/embeddings (mean pooling)
    threads: int | None = Field(None, gt=0)
    max_queue: int = Field(8, gt=0)  # calls waiting or running; more get a 429
    default_max_tokens: int = Field(512, gt=0)


class MockProviderConfig(_ProviderBase):
    """Deterministic answers without any network: demos and tests."""

    kind: Literal["mock"]
    locality: Literal["cloud", "local"] = "local"
    # Delay between streamed chunks, to make streaming visible in a demo.
    chunk_delay_s: float = Field(0.0, ge=0)


ProviderConfig = Annotated[
    OpenAIProviderConfig
    | AzureProviderConfig
    | AnthropicProviderConfig
    | LlamaCppProviderConfig
    | MockProviderConfig,
    Field(discriminator="kind"),
]


# The `kind` tags, which pydantic puts into the locations of its errors.
PROVIDER_KINDS = frozenset(
    kind for model in get_args(get_args(ProviderConfig)[0])
    for kind in get_args(model.model_fields["kind"].annotation)
)  # fmt: skip
