"""The admin API's evidence tests (tests/e2e/test_admin_api.py) with the ledger in the real
PostgreSQL: search and verify through the running writer's pool, as on SQLite."""

from __future__ import annotations

from tests.e2e.test_admin_api import (
    test_a_bad_search_parameter_is_a_400_that_names_it,
    test_records_found_by_request_id_key_and_decision,
    test_records_page_by_cursor_without_repeats,
    test_stats_count_calls_overhead_and_denials_by_rule,
    test_verify_reports_the_ledger_intact,
)
from tests.services.governed_on_postgres import governed_on_postgres

__all__ = [
    "test_a_bad_search_parameter_is_a_400_that_names_it",
    "test_records_found_by_request_id_key_and_decision",
    "test_records_page_by_cursor_without_repeats",
    "test_stats_count_calls_overhead_and_denials_by_rule",
    "test_verify_reports_the_ledger_intact",
]


gateway = governed_on_postgres("gateway", "evidence_admin")
