"""deploy/k8s and deploy/docker-compose.yaml agree with the gateway config they ship: the config
loads with what the pod's environment gives, the pod outlives the config's grace periods, ports
and probe paths match, and every path the config names is mounted (writable where written)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from governance.policy import load_tree
from proxy.config.gateway_config import GatewayConfig, load_config

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
POLICIES = DEPLOY.parent / "policies"
LABEL = {"app.kubernetes.io/name": "metaqore-gateway"}


def manifests() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            assert doc["kind"] not in found, f"two {doc['kind']}s"
            found[doc["kind"]] = doc
    return found


K8S = manifests()
POD = K8S["Deployment"]["spec"]["template"]
CONTAINER = POD["spec"]["containers"][0]


def pod_environment() -> dict[str, str]:
    """A value for every variable the pod sets, shaped as the config wants it."""
    values = {
        "METAQORE_POSTGRES_URL": "postgresql://metaqore:pw@db.example:5432/metaqore",
        "METAQORE_REDIS_URL": "redis://redis.example:6379/0",
    }
    return {e["name"]: values.get(e["name"], "x" * 32) for e in CONTAINER["env"]}


def flag(name: str) -> str:
    command = CONTAINER["command"]
    return str(command[command.index(name) + 1])


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> GatewayConfig:
    """The ConfigMap's gateway.yaml and policy files laid out as the config volume lays them."""
    root = tmp_path_factory.mktemp("etc-metaqore")
    data = K8S["ConfigMap"]["data"]
    for item in POD["spec"]["volumes"][0]["configMap"]["items"]:
        (root / item["path"]).parent.mkdir(parents=True, exist_ok=True)
        (root / item["path"]).write_text(data[item["key"]])
    # Every key is mounted: a policy file left out of the items would silently be missing.
    mapped = {i["key"] for i in POD["spec"]["volumes"][0]["configMap"]["items"]}
    assert mapped == set(data)
    return load_config(root / "gateway.yaml", env=pod_environment()).config


def test_every_variable_the_config_needs_comes_from_the_secret() -> None:
    text = K8S["ConfigMap"]["data"]["gateway.yaml"]
    needed = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", text))
    refs = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in CONTAINER["env"]}
    assert needed == set(refs)
    assert {ref["name"] for ref in refs.values()} == {"metaqore-secrets"}
    # Only a provider's key may be missing (that provider is switched off), never the rest.
    assert {n for n, ref in refs.items() if ref.get("optional")} == {"OPENAI_API_KEY"}


def test_the_pod_outlives_every_grace_period_of_the_config(config: GatewayConfig) -> None:
    pre_stop = CONTAINER["lifecycle"]["preStop"]["sleep"]["seconds"]
    needed = pre_stop + config.server.shutdown_grace_s + config.evidence.close_timeout_s
    assert POD["spec"]["terminationGracePeriodSeconds"] > needed


def test_ports_and_probes_match_the_config(config: GatewayConfig) -> None:
    (port,) = CONTAINER["ports"]
    assert port["containerPort"] == config.server.port == int(flag("--port"))
    assert flag("--host") == config.server.host == "0.0.0.0"
    assert CONTAINER["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": port["name"]}
    assert CONTAINER["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": port["name"]}
    assert POD["metadata"]["annotations"]["prometheus.io/port"] == str(port["containerPort"])
    (service_port,) = K8S["Service"]["spec"]["ports"]
    assert service_port["targetPort"] == port["name"]


def test_selectors_and_targets_name_the_deployment() -> None:
    deployment = K8S["Deployment"]
    assert POD["metadata"]["labels"] == deployment["spec"]["selector"]["matchLabels"] == LABEL
    assert K8S["Service"]["spec"]["selector"] == LABEL
    assert K8S["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"] == LABEL
    target = K8S["HorizontalPodAutoscaler"]["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])
    assert K8S["HorizontalPodAutoscaler"]["spec"]["minReplicas"] > (
        K8S["PodDisruptionBudget"]["spec"]["minAvailable"]
    )


def test_the_paths_the_config_names_are_mounted(config: GatewayConfig) -> None:
    mounts = {m["mountPath"]: m for m in CONTAINER["volumeMounts"]}
    config_dir = posixpath.dirname(flag("--config"))
    assert mounts[config_dir]["readOnly"] is True
    assert config.governance.policies == posixpath.join(config_dir, "policies")
    spool = config.evidence.spool_dir
    assert spool is not None
    writable = [p for p, m in mounts.items() if not m.get("readOnly") and spool.startswith(p)]
    assert writable, f"{spool} is not on a writable volume"
    # Keys from the Secret: no key file to write on the read-only root.
    assert config.evidence.hmac_key is not None
    assert CONTAINER["securityContext"]["readOnlyRootFilesystem"] is True


def test_the_configmap_ships_the_repository_policy_tree(tmp_path: Path) -> None:
    data = K8S["ConfigMap"]["data"]
    shipped = {
        "policies." + str(p.relative_to(POLICIES)).replace("/", "."): p.read_text()
        for p in POLICIES.rglob("*.yaml")
    }
    assert {k: v for k, v in data.items() if k.startswith("policies.")} == shipped
    (tmp_path / "default.yaml").write_text(data["policies.default.yaml"])
    assert load_tree(tmp_path).default.files


def test_the_pod_runs_unprivileged() -> None:
    security = POD["spec"]["securityContext"]
    assert security["runAsNonRoot"] is True and security["runAsUser"] != 0
    assert CONTAINER["securityContext"]["allowPrivilegeEscalation"] is False
    assert CONTAINER["securityContext"]["capabilities"]["drop"] == ["ALL"]
    assert {"requests", "limits"} <= set(CONTAINER["resources"])


def test_compose_mounts_the_spool_its_config_names() -> None:
    compose = yaml.safe_load((DEPLOY / "docker-compose.yaml").read_text())
    gateway = compose["services"]["gateway"]
    mounted = {parts[1]: parts[0] for parts in (v.split(":") for v in gateway["volumes"])}
    (config_target,) = (t for t in mounted if t.endswith("gateway.yaml"))
    assert mounted[config_target] == "./gateway.yaml"
    env = {name: "x" * 32 for name in ("OPENAI_API_KEY", "METAQORE_EVIDENCE_KEY",
                                       "METAQORE_ADMIN_KEY")}  # fmt: skip
    config = load_config(DEPLOY / "gateway.yaml", env=env).config
    spool = config.evidence.spool_dir
    assert spool is not None
    assert any(spool.startswith(target) and source in compose["volumes"]
               for target, source in mounted.items())  # fmt: skip
    assert gateway["command"][gateway["command"].index("--config") + 1] == config_target
