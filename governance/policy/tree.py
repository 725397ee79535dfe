"""The HMCP tree on disk: org → team → key files under one directory, loaded and checked at once.

    policies/default.yaml                              the root: every org's parent
    policies/orgs/<org>.yaml                           an org, narrowing the root
    policies/orgs/<org>/teams/<team>.yaml              a team, narrowing its org
    policies/orgs/<org>/teams/<team>/keys/<key>.yaml   a key, narrowing its team (or org)

A principal with no node of its own inherits its nearest ancestor's policy; without
default.yaml the root is the built-in base, which restricts nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from pydantic import ValidationError

from governance.policy.document import PolicyDocument
from governance.policy.effective import PERMISSIVE, EffectivePolicy, PolicyError, QuotaLevel
from governance.policy.narrowing import narrow
from governance.yaml_error import describe_yaml_error

__all__ = ["PolicyTree", "load_tree", "parse_document"]

DEFAULT_FILE = "default.yaml"


@dataclass(frozen=True)
class PolicyTree:
    root: Path
    # The root's policy: every org's parent, and the policy of an org without a file.
    default: EffectivePolicy
    orgs: dict[str, EffectivePolicy]
    teams: dict[tuple[str, str], EffectivePolicy]
    keys: dict[tuple[str, str, str], EffectivePolicy]
    # Newest modification time of any file, for reload checks.
    stamp: float

    def for_principal(self, org: str, team: str, key_id: str) -> EffectivePolicy:
        return (
            self.keys.get((org, team, key_id))
            or self.teams.get((org, team))
            or self.orgs.get(org)
            or self.default
        )

    def nodes(self) -> int:
        return 1 + len(self.orgs) + len(self.teams) + len(self.keys)


def load_tree(root: str | Path) -> PolicyTree:
    """Read and check every file; raise PolicyError with one clear line on the first problem."""
    root = Path(root)
    if not root.is_dir():
        raise PolicyError(f"{root}: policy directory not found")
    files = sorted(p for p in root.rglob("*.yaml") if p.is_file())
    stamp = max((p.stat().st_mtime for p in files), default=0.0)
    default_path = root / DEFAULT_FILE
    default = _apply(PERMISSIVE, default_path, root) if default_path.is_file() else PERMISSIVE
    orgs: dict[str, EffectivePolicy] = {}
    teams: dict[tuple[str, str], EffectivePolicy] = {}
    keys: dict[tuple[str, str, str], EffectivePolicy] = {}
    orgs_dir = root / "orgs"
    for org_file in sorted(orgs_dir.glob("*.yaml")) if orgs_dir.is_dir() else []:
        orgs[org_file.stem] = _apply(default, org_file, root)
    for team_file in sorted(orgs_dir.glob("*/teams/*.yaml")) if orgs_dir.is_dir() else []:
        org = team_file.parent.parent.name
        parent = orgs.get(org, default)
        teams[(org, team_file.stem)] = _apply(parent, team_file, root, "team")
    for key_file in sorted(orgs_dir.glob("*/teams/*/keys/*.yaml")) if orgs_dir.is_dir() else []:
        team_dir = key_file.parent.parent
        org, team = team_dir.parent.parent.name, team_dir.name
        parent = teams.get((org, team)) or orgs.get(org, default)
        keys[(org, team, key_file.stem)] = _apply(parent, key_file, root, "key")
    known = {
        *(p.resolve() for p in orgs_dir.glob("*.yaml")),
        *(p.resolve() for p in orgs_dir.glob("*/teams/*.yaml")),
        *(p.resolve() for p in orgs_dir.glob("*/teams/*/keys/*.yaml")),
        default_path.resolve(),
    }
    for path in files:
        if path.resolve() not in known:
            raise PolicyError(f"{path}: not where a policy file can be (see policies/README.md)")
    return PolicyTree(root, default, orgs, teams, keys, stamp)


def _apply(
    parent: EffectivePolicy, path: Path, root: Path, level: QuotaLevel = "org"
) -> EffectivePolicy:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text) or {}
    except OSError as exc:
        raise PolicyError(f"{name}: cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise PolicyError(describe_yaml_error(name, exc)) from None
    effective = narrow(parent, parse_document(data, name), name, level)
    digest = hashlib.sha256(parent.version.encode())
    digest.update(str(path.relative_to(root)).encode() + b"\0" + text.encode())
    return replace(effective, version="sha256:" + digest.hexdigest()[:16])


def parse_document(data: object, name: str) -> PolicyDocument:
    """A policy file's (or a key's) document; PolicyError naming `name` and the field."""
    if not isinstance(data, dict):
        raise PolicyError(f"{name}: the top level must be a mapping")
    try:
        return PolicyDocument.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"]) or "(top level)"
        message = "unknown field" if error["type"] == "extra_forbidden" else error["msg"]
        raise PolicyError(f"{name}: {where}: {message}") from None
