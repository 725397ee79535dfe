"""One check's verdict: `ok`, `warn` (degraded, serving goes on) or `fail` (fix before serving)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Finding", "Status", "fail", "ok", "warn"]

Status = Literal["ok", "warn", "fail"]


@dataclass(frozen=True, slots=True)
class Finding:
    status: Status
    name: str
    detail: str
    fix: str | None = None

    def lines(self) -> list[str]:
        """`status  name  detail`, then `fix: …` under a problem."""
        head = f"{self.status:<4}  {self.name}  {self.detail}"
        return [head] if self.fix is None else [head, f"      fix: {self.fix}"]


def ok(name: str, detail: str) -> Finding:
    return Finding("ok", name, detail)


def warn(name: str, detail: str, fix: str) -> Finding:
    return Finding("warn", name, detail, fix)


def fail(name: str, detail: str, fix: str) -> Finding:
    return Finding("fail", name, detail, fix)
