"""The stages that judge a call (sensitivity, HMCP policy, compliance), built from one config:
the same for `metaqore serve` and `metaqore policy explain`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from governance.compliance import soc2_startup_problems
from governance.policy import Backend, PolicyError
from governance.sensitivity import DEFAULT_TYPE_LEVELS
from proxy.call import Stage
from proxy.config.gateway_config import ConfigError, LoadedConfig
from proxy.middleware.policy_source import PolicySource
from proxy.middleware.scan_offload import ScanOffload
from proxy.middleware.sensitivity import SensitivitySettings, SensitivityStage
from proxy.middleware.verdict_stage import compliance_stage, policy_stage

__all__ = ["Judging", "build_judging", "load_policies"]


@dataclass(frozen=True, slots=True)
class Judging:
    """The policy tree in force, the scan threads, and the stages that judge a call."""

    policies: PolicySource
    offload: ScanOffload
    stages: list[Stage]


def build_judging(
    loaded: LoadedConfig, keys_enabled: bool, candidates: Callable[[str], tuple[Backend, ...]]
) -> Judging:
    """What `metaqore serve` and `metaqore policy explain` judge a call with. `candidates`:
    the backends that could serve a model (routing's)."""
    policies = load_policies(loaded, keys_enabled)
    offload = _scan_offload(loaded)
    return Judging(policies, offload, _judging_stages(loaded, policies, candidates, offload))


def load_policies(loaded: LoadedConfig, keys_enabled: bool) -> PolicySource:
    """The policy tree the config names, refused at start-up if SOC 2 cannot hold over it."""
    config = loaded.config
    governance, base = config.governance, loaded.path.parent
    try:
        root = base / governance.policies if governance.policies is not None else None
        policies = PolicySource(root)
    except PolicyError as exc:
        raise ConfigError(f"governance.policies: {exc}") from None
    if policies.tree is not None:
        problems = soc2_startup_problems(policies.tree, keys_enabled, config.evidence.enabled)
        if problems:
            raise ConfigError(problems[0])
    return policies


def _scan_offload(loaded: LoadedConfig) -> ScanOffload:
    governance = loaded.config.governance
    return ScanOffload(
        governance.scan_threads, governance.scans_per_key, governance.scans_in_flight
    )


def _judging_stages(
    loaded: LoadedConfig,
    policies: PolicySource,
    candidates: Callable[[str], tuple[Backend, ...]],
    offload: ScanOffload,
) -> list[Stage]:
    """Sensitivity, policy and compliance, in that order; none when governance is off."""
    governance = loaded.config.governance
    if not governance.enabled:
        return []
    settings = SensitivitySettings(
        type_levels={**DEFAULT_TYPE_LEVELS, **governance.type_levels},
        inline_scan_chars=governance.inline_scan_chars,
        timeout_s=governance.timeout_s,
        scan_responses=governance.scan_responses,
        scan_memo_entries=governance.scan_memo_entries,
        inline_scan_s=governance.inline_scan_ms / 1000,
    )
    sensitivity = SensitivityStage(policies.for_call, candidates, settings, offload)
    return [sensitivity, policy_stage(), compliance_stage()]
