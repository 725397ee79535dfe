"""`build_provider` turns a config entry into its provider."""

from __future__ import annotations

from proxy.config.providers import (
    AnthropicProviderConfig,
    AzureProviderConfig,
    LlamaCppProviderConfig,
    MockProviderConfig,
    OpenAIProviderConfig,
    ProviderConfig,
)
from proxy.providers.anthropic import AnthropicProvider
from proxy.providers.azure import AzureOpenAIProvider
from proxy.providers.base import Provider
from proxy.providers.mock import MockProvider
from proxy.providers.openai_compatible import OpenAICompatibleProvider

__all__ = ["build_provider"]


def build_provider(config: ProviderConfig) -> Provider:
    if isinstance(config, AzureProviderConfig):
        return AzureOpenAIProvider(config)
    if isinstance(config, AnthropicProviderConfig):
        return AnthropicProvider(config)
    if isinstance(config, LlamaCppProviderConfig):
        # Imported here: llama-cpp-python is an optional extra ('.[local]').
        from proxy.providers.llama_cpp import LlamaCppProvider

        return LlamaCppProvider(config)
    if isinstance(config, OpenAIProviderConfig):
        return OpenAICompatibleProvider(config)
    if isinstance(config, MockProviderConfig):
        return MockProvider(config)
    raise TypeError(f"no provider for kind {config.kind!r}")  # pragma: no cover - union is closed
