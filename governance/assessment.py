"""One request assessed end to end, as pure functions: scan its texts, build the facts, decide
the sensitivity actions, and rewrite what must not leave as it is. The sensitivity stage and
`metaqore policy explain` both go through here."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from governance.judgement import Judgement, judge
from governance.policy import (
    PERSONAL_DATA,
    Action,
    Backend,
    CallFacts,
    EffectivePolicy,
    Verdict,
)
from governance.sensitivity import (
    EntityType,
    Level,
    Pseudonyms,
    TextAction,
    TextScan,
    rewrite,
    roll_up,
    scan_text,
)
from governance.sensitivity.request_text import Path, body_texts, replace_texts
from governance.sensitivity.text_batch import scan_batch

__all__ = ["Assessment", "Scanned", "assess", "request_texts", "rewrite_request", "scan_texts"]

Scanned = list[tuple[Path, str, TextScan]]


@dataclass
class Assessment:
    facts: CallFacts
    verdict: Verdict
    counts: dict[str, int]
    actions: dict[EntityType, Action]
    # The finding types to rewrite in the request, and how (empty when nothing must change).
    rewrites: dict[EntityType, TextAction]


def request_texts(endpoint: str, body: Mapping[str, Any]) -> list[tuple[Path, str]]:
    return body_texts(endpoint, body)


def scan_texts(
    texts: list[tuple[Path, str]], scan: Callable[[str], TextScan] = scan_text
) -> Scanned:
    """`scan` may be a ScanMemo: a text scans the same every time."""
    scans = scan_batch([text for _, text in texts], scan)
    return [(path, text, result) for (path, text), result in zip(texts, scans, strict=True)]


def assess(
    scanned: Scanned,
    body: Mapping[str, Any],
    *,
    endpoint: str,
    model: str,
    stream: bool,
    authenticated: bool,
    policy: EffectivePolicy,
    candidates: tuple[Backend, ...],
    type_levels: Mapping[EntityType, Level],
    judge_with: Callable[[CallFacts, EffectivePolicy, tuple[Backend, ...]], Judgement]
    | None = None,
) -> Assessment:
    """`judge_with` may be a JudgementMemo: the judgement is a pure function of its inputs."""
    counts = Counter(f.type for _, _, scan in scanned for f in scan.findings)
    types = frozenset(counts)
    health = any(scan.health_context for _, _, scan in scanned)
    phi = "MEDICAL_RECORD_NUMBER" in types or (health and bool(types & PERSONAL_DATA))
    limit = body.get("max_completion_tokens") or body.get("max_tokens")
    facts = CallFacts(
        endpoint=endpoint,
        model=model,
        stream=stream,
        max_tokens=limit if isinstance(limit, int) else None,
        has_tools=bool(body.get("tools") or body.get("functions")),
        level=roll_up(types, phi, type_levels),
        types=types,
        phi=phi,
        authenticated=authenticated,
    )
    judged = (
        judge_with(facts, policy, candidates)
        if judge_with is not None
        else judge(facts, policy, candidates, type_levels)
    )
    counted = {str(e): n for e, n in counts.items()}
    return Assessment(facts, judged.verdict, counted, judged.actions, judged.rewrites)


def rewrite_request(
    body: dict[str, Any], scanned: Scanned, rewrites: Mapping[EntityType, TextAction]
) -> tuple[dict[str, Any], Pseudonyms]:
    """A copy of `body` with the findings of the `rewrites` types masked or pseudonymized."""
    pseudonyms = Pseudonyms()
    if "pseudonymize" in rewrites.values():
        for _, text, _ in scanned:
            if text.find("<") >= 0:
                pseudonyms.skip_taken(text)

    def action_for(entity: EntityType) -> TextAction:
        return rewrites.get(entity, "allow")

    replacements: dict[Path, str] = {}
    for path, text, scan in scanned:
        if scan.findings:
            changed = rewrite(text, scan.findings, action_for, pseudonyms)
            if changed != text:
                replacements[path] = changed
    return replace_texts(body, replacements), pseudonyms
