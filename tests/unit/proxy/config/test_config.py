from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from proxy.config.gateway_config import ConfigError, OpenAIProviderConfig, load_config

MINIMAL = """\
providers:
  - name: up
    kind: openai
    base_url: ${UP_URL:-http://127.0.0.1:9000/v1}
    api_key: ${UP_KEY}
    models: [gpt-4o-mini]
"""


def test_minimal_file_gets_safe_defaults(write_config: Callable[[str], Path]) -> None:
    loaded = load_config(write_config(MINIMAL), env={"UP_KEY": "sk-secret-value"})
    provider = loaded.config.providers[0]
    assert isinstance(provider, OpenAIProviderConfig)
    assert provider.base_url == "http://127.0.0.1:9000/v1"
    assert provider.api_key is not None and provider.api_key.get_secret_value() == "sk-secret-value"
    assert (provider.connect_timeout_s, provider.read_timeout_s) == (5.0, 120.0)
    assert loaded.config.server.max_body_bytes == 10 * 1024 * 1024
    assert loaded.config.keys is None and not loaded.disabled_providers
    assert "sk-secret-value" not in repr(loaded.config)  # secrets never show in reprs or logs


def test_unset_provider_key_disables_the_provider(write_config: Callable[[str], Path]) -> None:
    loaded = load_config(write_config(MINIMAL), env={})
    assert loaded.disabled_providers == {"up": "environment variable UP_KEY is not set"}


def test_unset_variable_elsewhere_is_an_error(write_config: Callable[[str], Path]) -> None:
    text = MINIMAL.replace("${UP_URL:-http://127.0.0.1:9000/v1}", "${UP_URL}")
    with pytest.raises(
        ConfigError,
        match=r"providers\[0\]\.base_url: environment variable "
        r"UP_URL is not set \(line 4\)",
    ):
        load_config(write_config(text), env={"UP_KEY": "k"})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("providers: [", "not valid YAML (line 1, column 13): expected the node content"),
        ("- a\n- b\n", "top level must be a mapping"),
        (
            "providers:\n  - {name: a, kind: mock, models: [m]}\n"
            "  - {name: a, kind: mock, models: [n]}\n",
            "provider name 'a' is used twice",
        ),
        (
            "providers:\n  - {name: a, kind: mock, models: [m]}\naliases:\n  x: [a/zzz]\n",
            "alias 'x' names 'a/zzz', which no provider serves",
        ),
        (
            "providers:\n  - {name: a, kind: openai, base_url: ftp://x, models: [m]}\n",
            "providers[0].base_url: String should match pattern",
        ),
        (
            "providers:\n  - {name: a, kind: mock, models: [m]}\nkeys:\n  - {org: o, name: n}\n",
            "keys[0]: Value error, give exactly one of 'key' or 'key_sha256' (line 4)",
        ),
        (
            "providers:\n  - {name: a, kind: mock, models: [m]}\nserver:\n  port: high\n",
            "server.port: Input should be a valid integer",
        ),
        (
            "providers:\n  - {name: a, kind: mock, models: [m]}\ncaching: {}\n",
            "caching: unknown field",
        ),
        (
            "providers:\n  - {name: a, kind: openai, base_url: http://x, models: [m],\n"
            "      responses: passthrough}\n",
            "providers[0].responses: Input should be 'translated' or 'native'",
        ),
        (  # Anthropic has no Responses API to pass a call to
            "providers:\n  - {name: a, kind: anthropic, models: [m], responses: native}\n",
            "providers[0].responses: Input should be 'translated'",
        ),
        (
            "providers:\n  - {name: a, kind: mock, models: [m], responses: native}\n",
            "providers[0].responses: unknown field",
        ),
    ],
)
def test_mistakes_name_the_field(
    write_config: Callable[[str], Path], text: str, message: str
) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write_config(text), env={})
    assert message in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_config(tmp_path / "absent.yaml")
