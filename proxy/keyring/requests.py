"""What a client may send to `/admin/keys` (pydantic at the edge; the CLI builds the same)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from proxy.config.strict_model import StrictModel

__all__ = ["NewKey", "RotateKey"]

# Printable, no path separators: org, team and id also name policy files.
_Label = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[^\x00-\x1f\x7f/\\]+$")]
# A rotation's grace: at most 30 days.
MAX_GRACE_S = 30 * 24 * 3600


class NewKey(StrictModel):
    name: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$")]
    org: _Label
    team: _Label = "default"
    policy: dict[str, Any] | None = None
    limits: dict[str, Any] | None = None
    expires_at: str | None = None


class RotateKey(StrictModel):
    grace_s: float = Field(0.0, ge=0, le=MAX_GRACE_S)
