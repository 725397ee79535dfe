"""`/admin/evidence` (the writer's health), `/admin/evidence/records` and
`/admin/evidence/verify`: the ledger searched a page at a time and verified, through the running
writer's own store (its one SQLite connection and thread, or its PostgreSQL pool): a reader of
its own would contend with the writer for SQLite's lock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from governance.evidence import (
    EvidenceLedger,
    RecordQuery,
    cursor_after,
    parse_cursor,
    record_ts,
    verify,
)
from proxy.http.routes import json_response
from proxy.middleware.evidence_health import evidence_state
from proxy.wire.errors import GatewayError

__all__ = ["AdminEvidence"]

_DEFAULT_LIMIT = 50
_MAX_LIMIT = 200


class AdminEvidence:
    def __init__(
        self, ledger: EvidenceLedger | None, authorize: Callable[[Request], object]
    ) -> None:
        self._ledger = ledger
        self._authorize = authorize
        # One verify at a time: callers that ask while it runs share its answer.
        self._verifying: asyncio.Task[dict[str, Any]] | None = None

    async def status(self, request: Request) -> Response:
        self._authorize(request)
        if self._ledger is None:
            return json_response(request, {"enabled": False})
        return json_response(request, {"enabled": True, **evidence_state(self._ledger)})

    async def records(self, request: Request) -> Response:
        """Newest first; `next` is the cursor for `?after=` (null on the last page)."""
        ledger = self._ledger_or_404(request)
        query = _query_of(request)
        found = await ledger.store.search(replace(query, limit=query.limit + 1))
        page = found[: query.limit]
        more = len(found) > query.limit
        return json_response(
            request,
            {
                "records": [
                    {"writer_id": r.writer_id, "seq": r.seq, "hash": r.hash, **r.fields()}
                    for r in page
                ],
                "next": cursor_after(page[-1]) if more else None,
                # Answered calls whose records are still in the spool, not yet searchable.
                "spooled": ledger.pending,
            },
        )

    async def verify(self, request: Request) -> Response:
        """Every chain recomputed, the writer's unwritten spool included, as `metaqore
        evidence verify` does; 409 when a chain is broken."""
        ledger = self._ledger_or_404(request)
        if self._verifying is None or self._verifying.done():
            self._verifying = asyncio.create_task(_summary(ledger))
        summary = await asyncio.shield(self._verifying)
        return json_response(request, summary, 200 if summary["ok"] else 409)

    def _ledger_or_404(self, request: Request) -> EvidenceLedger:
        self._authorize(request)
        if self._ledger is None:
            raise GatewayError(404, "Evidence is off in this gateway's config.", code="unknown_url")
        return self._ledger


async def _summary(ledger: EvidenceLedger) -> dict[str, Any]:
    report = await verify(ledger.store, ledger.keys, spool=ledger.settings.spool_root)
    return report.summary()


def _query_of(request: Request) -> RecordQuery:
    """The query parameters, checked: a bad one is a 400 that names it."""
    params = request.query_params

    def given(name: str) -> str | None:
        value = params.get(name)
        return value if value else None

    def checked(name: str, parse: Callable[[str], Any]) -> Any:
        value = given(name)
        if value is None:
            return None
        try:
            return parse(value)
        except ValueError as exc:
            raise GatewayError(400, f"{name}: {exc}", param=name) from None

    limit = checked("limit", int)
    limit = _DEFAULT_LIMIT if limit is None else limit
    if not 1 <= limit <= _MAX_LIMIT:
        raise GatewayError(400, f"limit: give 1 to {_MAX_LIMIT}.", param="limit")
    return RecordQuery(
        request_id=given("request_id"),
        key_id=given("key"),
        decision=given("decision"),
        since=checked("since", record_ts),
        until=checked("until", record_ts),
        after=checked("after", parse_cursor),
        limit=limit,
    )
