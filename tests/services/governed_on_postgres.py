"""The governed gateway of tests/e2e/test_governance.py with its ledger in the real PostgreSQL,
for the suites that re-run its tests there (a table of their own, dropped after)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator

import pytest

from tests.e2e.test_governance import Governed, governed_gateway
from tests.support.services import drop_table, postgres_dsn

__all__ = ["governed_on_postgres"]


def governed_on_postgres(
    name: str, prefix: str
) -> Callable[[pytest.TempPathFactory], Iterator[Governed]]:
    """A module's fixture called `name`, the one the re-run tests ask for."""

    @pytest.fixture(scope="module", name=name)
    def governed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Governed]:
        dsn = postgres_dsn()
        table = f"{prefix}_{uuid.uuid4().hex[:8]}"
        with governed_gateway(tmp_path_factory.mktemp(prefix), dsn, table) as running:
            yield running
        asyncio.run(drop_table(dsn, table))

    return governed
