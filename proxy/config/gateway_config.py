"""Gateway configuration: one YAML file, pydantic-validated, `${VAR}` expanded from the environment.

This is the only module that reads the environment.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import (
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from governance.yaml_error import describe_yaml_error
from proxy.config.providers import (
    PROVIDER_KINDS,
    AnthropicProviderConfig,
    AzureProviderConfig,
    LlamaCppProviderConfig,
    MockProviderConfig,
    OpenAIProviderConfig,
    ProviderConfig,
)
from proxy.config.sections import (
    AdaptiveWeights,
    AdminConfig,
    AliasConfig,
    BreakersConfig,
    CacheConfig,
    EvidenceConfig,
    GovernanceConfig,
    LimitsConfig,
    ResponsesConfig,
    RoutingConfig,
    SecretRef,
    SkillConfig,
    TelemetryConfig,
)
from proxy.config.strict_model import StrictModel

__all__ = [
    "AdaptiveWeights",
    "AdminConfig",
    "AliasConfig",
    "AliasTarget",
    "AnthropicProviderConfig",
    "AzureProviderConfig",
    "CacheConfig",
    "ConfigError",
    "EvidenceConfig",
    "GatewayConfig",
    "GovernanceConfig",
    "KeyConfig",
    "LlamaCppProviderConfig",
    "LoadedConfig",
    "MockProviderConfig",
    "OpenAIProviderConfig",
    "ProviderConfig",
    "ServerConfig",
    "SkillConfig",
    "TelemetryConfig",
    "config_path_from_env",
    "load_config",
]

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
CONFIG_ENV_VAR = "METAQORE_CONFIG"


class ConfigError(Exception):
    """A config mistake as one line naming the field and, where known, the file line."""


class ServerConfig(StrictModel):
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=0, le=65535)
    max_body_bytes: int = Field(10 * 1024 * 1024, gt=0)
    # What a body may hold, checked before it is parsed (400 naming the place): its parse,
    # validation and scan cost in proportion to its values. Depth stays well under orjson's
    # ceiling of 254 levels when it writes a body back out.
    max_json_depth: int = Field(64, ge=2, le=200)
    max_array_items: int = Field(2048, gt=0)  # messages, inputs, parts: OpenAI's own cap
    max_json_values: int = Field(32_768, gt=0)
    max_string_chars: int = Field(10 * 1024 * 1024, gt=0)
    access_log: bool = False
    # How often the config file is checked for changes to the keys section.
    reload_interval_s: float = Field(2.0, gt=0)
    # On SIGTERM, how long calls in flight may take to finish; the gateway ends those still
    # running just before it, each with an error its client can read.
    shutdown_grace_s: float = Field(30.0, ge=0)
    # The edge (proxy/edge): a client that does not finish its request in time is closed, a
    # head too big is answered 431, idle connections are shed before descriptors run out.
    header_timeout_s: float = Field(10.0, gt=0)
    body_idle_timeout_s: float = Field(30.0, gt=0)
    request_timeout_s: float = Field(60.0, gt=0)
    max_header_bytes: int = Field(32 * 1024, ge=1024)
    max_headers: int = Field(100, ge=16)
    # Client connections per process; none: derived from the descriptor limit (RLIMIT_NOFILE).
    max_connections: int | None = Field(None, gt=0)
    keep_alive_s: float = Field(5.0, gt=0)
    # `/readyz?deep=1` (admin key) reuses its probes of the backends this long.
    deep_probe_cache_s: float = Field(5.0, ge=0)


class KeyConfig(SecretRef):
    """A client key and the principal it stands for. Give `key` or its `key_sha256`, not both."""

    org: str = Field(min_length=1)
    team: str = "default"
    name: str = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class AliasTarget:
    provider: str
    model: str


class GatewayConfig(StrictModel):
    server: ServerConfig = Field(default_factory=ServerConfig)
    providers: list[ProviderConfig] = Field(min_length=1)
    aliases: dict[str, list[str] | AliasConfig] = Field(default_factory=dict)
    skills: dict[str, SkillConfig] = Field(default_factory=dict)
    keys: list[KeyConfig] | None = None
    governance: GovernanceConfig = Field(default_factory=GovernanceConfig)
    evidence: EvidenceConfig = Field(default_factory=EvidenceConfig)
    cache: CacheConfig = Field(default_factory=CacheConfig)
    breakers: BreakersConfig = Field(default_factory=BreakersConfig)
    limits: LimitsConfig = Field(default_factory=LimitsConfig)
    routing: RoutingConfig = Field(default_factory=RoutingConfig)
    responses: ResponsesConfig = Field(default_factory=ResponsesConfig)
    admin: AdminConfig | None = None
    telemetry: TelemetryConfig = Field(default_factory=TelemetryConfig)

    @field_validator("providers")
    @classmethod
    def _unique_names(cls, providers: list[ProviderConfig]) -> list[ProviderConfig]:
        seen: set[str] = set()
        for p in providers:
            if p.name in seen:
                raise ValueError(f"provider name '{p.name}' is used twice")
            seen.add(p.name)
        return providers

    @field_validator("keys")
    @classmethod
    def _unique_keys(cls, keys: list[KeyConfig] | None) -> list[KeyConfig] | None:
        names = [k.name for k in keys or []]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"key name '{sorted(dup)[0]}' is used twice")
        return keys

    @model_validator(mode="after")
    def _aliases_resolve(self) -> GatewayConfig:
        served = {(p.name, m) for p in self.providers for m in p.models}
        for alias, spec in self.aliases.items():
            targets = spec if isinstance(spec, list) else spec.targets
            if not targets:
                raise ValueError(f"alias '{alias}' has no targets")
            for target in targets:
                provider, _, model = target.partition("/")
                if (provider, model) not in served:
                    raise ValueError(
                        f"alias '{alias}' names '{target}', which no provider serves "
                        "(write provider/model)"
                    )
            if isinstance(spec, AliasConfig):
                unknown = sorted(set(spec.weights) - set(targets))
                if unknown:
                    raise ValueError(f"alias '{alias}': weight for '{unknown[0]}', not a target")
                for skill, routes in spec.specialists.items():
                    if skill not in self.skills:
                        raise ValueError(f"alias '{alias}': skill '{skill}' is not in 'skills'")
                    missing = [r for r in routes if tuple(r.partition("/")[::2]) not in served]
                    if missing:
                        raise ValueError(
                            f"alias '{alias}': specialist '{missing[0]}' is not served"
                        )
        return self

    def alias_targets(self, alias: str) -> list[AliasTarget]:
        spec = self.aliases.get(alias, [])
        out = []
        for target in spec if isinstance(spec, list) else spec.targets:
            provider, _, model = target.partition("/")
            out.append(AliasTarget(provider, model))
        return out

    def alias_strategy(self, alias: str) -> AliasConfig:
        spec = self.aliases.get(alias)
        return spec if isinstance(spec, AliasConfig) else AliasConfig(targets=list(spec or []))


@dataclass(frozen=True)
class LoadedConfig:
    """A validated config plus what the environment switched off (provider name → reason)."""

    config: GatewayConfig
    path: Path
    disabled_providers: Mapping[str, str] = field(default_factory=dict)


def config_path_from_env(default: str = "gateway.yaml") -> Path:
    return Path(os.environ.get(CONFIG_ENV_VAR, default))


def load_config(path: str | Path, env: Mapping[str, str] | None = None) -> LoadedConfig:
    """Read, expand and validate the file; raise ConfigError with one clear line on any mistake."""
    path = Path(path)
    environ = os.environ if env is None else env
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(describe_yaml_error(path, exc)) from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping with a 'providers' list")

    disabled: dict[str, str] = {}
    data = _expand(data, (), environ, disabled, path, root)
    try:
        config = GatewayConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, path, root)) from None
    return LoadedConfig(config=config, path=path, disabled_providers=disabled)


def _expand(
    value: Any,
    loc: tuple[str | int, ...],
    environ: Mapping[str, str],
    disabled: dict[str, str],
    path: Path,
    root: yaml.Node | None,
) -> Any:
    if isinstance(value, dict):
        return {k: _expand(v, (*loc, k), environ, disabled, path, root) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, (*loc, i), environ, disabled, path, root) for i, v in enumerate(value)]
    if not isinstance(value, str) or "${" not in value:
        return value

    missing: list[str] = []

    def substitute(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if name in environ:
            return environ[name]
        if default is not None:
            return default
        missing.append(name)
        return ""

    expanded = _ENV_REF.sub(substitute, value)
    if not missing:
        return expanded
    # A cloud provider whose key is not in the environment is switched off, not an error:
    # that is how one gateway.yaml serves a laptop with no keys and production alike.
    if len(loc) == 3 and loc[0] == "providers" and loc[2] == "api_key":
        provider = _provider_name(root, loc[1])
        disabled[provider] = f"environment variable {missing[0]} is not set"
        return None
    raise ConfigError(
        f"{path}: {_dotted(loc)}: environment variable {missing[0]} is not set"
        f"{_line_suffix(root, loc)}"
    )


def _provider_name(root: yaml.Node | None, index: str | int) -> str:
    node = _node_at(root, ("providers", index, "name"))
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    return f"providers[{index}]"


def _describe(exc: ValidationError, path: Path, root: yaml.Node | None) -> str:
    err = exc.errors()[0]
    loc = tuple(p for p in err["loc"] if not _is_union_tag(p))
    field_name = _dotted(loc) or "(top level)"
    message = err["msg"]
    if err["type"] == "extra_forbidden":
        message = "unknown field"
    elif err["type"] == "union_tag_invalid":
        message = f"unknown provider kind; expected one of {err['ctx']['expected_tags']}"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{path}: {field_name}: {message}{_line_suffix(root, loc)}{more}"


def _is_union_tag(part: str | int) -> bool:
    """pydantic puts the union member's tag (the provider kind) into error locations."""
    return isinstance(part, str) and part in PROVIDER_KINDS


def _dotted(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line_suffix(root: yaml.Node | None, loc: tuple[str | int, ...]) -> str:
    # Walk as deep as the file goes: a missing field points at its parent.
    for depth in range(len(loc), -1, -1):
        node = _node_at(root, loc[:depth])
        if node is not None and depth > 0:
            return f" (line {node.start_mark.line + 1})"
    return ""


def _node_at(root: yaml.Node | None, loc: tuple[str | int, ...]) -> yaml.Node | None:
    node = root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if part < len(node.value) else None
        else:
            return None
    return node
