"""Azure OpenAI deployments: the OpenAI wire format at Azure's URLs, with `api-key` or an Entra
bearer token. Errors (content filter included) come back in OpenAI's shape through the same
mapping as any OpenAI-compatible upstream."""

from __future__ import annotations

from urllib.parse import quote

from proxy.config.providers import AzureProviderConfig
from proxy.providers.openai_compatible import OpenAICompatibleProvider

__all__ = ["AzureOpenAIProvider"]


class AzureOpenAIProvider(OpenAICompatibleProvider):
    def __init__(self, config: AzureProviderConfig) -> None:
        super().__init__(config)
        self._azure = config
        self._headers = {"content-type": "application/json"}
        if config.api_key is not None:
            self._headers["api-key"] = config.api_key.get_secret_value()
        elif config.entra_token is not None:
            self._headers["authorization"] = f"Bearer {config.entra_token.get_secret_value()}"
        self._version = f"api-version={quote(config.api_version)}"

    def url(self, path: str, model: str) -> str:
        if path == "/models":
            return f"{self._base}/openai/models?{self._version}"
        if path == "/responses":  # Azure's v1 API: no deployment in the path, no api-version
            return f"{self._base}/openai/v1/responses"
        deployment = quote(self.upstream_model(model), safe="")
        return f"{self._base}/openai/deployments/{deployment}{path}?{self._version}"

    def upstream_model(self, model: str) -> str:
        """The deployment of `model` (a model not listed is its own deployment name)."""
        return self._azure.deployments.get(model, model)
