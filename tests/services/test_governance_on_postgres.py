"""The governed gateway's end-to-end tests (tests/e2e/test_governance.py) with the evidence
ledger in the real PostgreSQL: the same tests, with the fixture below in place of SQLite's."""

from __future__ import annotations

# In the suite's own order, which pytest keeps: later tests build on what earlier ones left.
from tests.e2e.test_governance import (  # isort: skip
    test_a_card_is_redacted_before_it_leaves,
    test_a_stricter_key_blocks_the_card_and_nothing_goes_upstream,
    test_pseudonymized_values_come_back_restored,
    test_phi_under_hipaa_goes_to_the_local_backend,
    test_shadow_mode_passes_but_says_what_it_would_have_done,
    test_embeddings_are_governed_too,
    test_a_failing_detector_fails_closed,
    test_every_outcome_is_evidence_and_tampering_is_named,
    test_policy_edits_apply_live_and_a_broken_edit_keeps_the_last_good,
    test_checkpoint_export_and_truncation,
    test_admin_endpoints_need_the_admin_key,
    test_answers_are_scanned_and_masked_when_policy_says_so,
)
from tests.services.governed_on_postgres import governed_on_postgres

__all__ = [
    "test_a_card_is_redacted_before_it_leaves",
    "test_a_failing_detector_fails_closed",
    "test_a_stricter_key_blocks_the_card_and_nothing_goes_upstream",
    "test_admin_endpoints_need_the_admin_key",
    "test_answers_are_scanned_and_masked_when_policy_says_so",
    "test_checkpoint_export_and_truncation",
    "test_embeddings_are_governed_too",
    "test_every_outcome_is_evidence_and_tampering_is_named",
    "test_phi_under_hipaa_goes_to_the_local_backend",
    "test_policy_edits_apply_live_and_a_broken_edit_keeps_the_last_good",
    "test_pseudonymized_values_come_back_restored",
    "test_shadow_mode_passes_but_says_what_it_would_have_done",
]


governed = governed_on_postgres("governed", "evidence_e2e")
