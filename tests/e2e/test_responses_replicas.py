"""`previous_response_id` across two gateway processes sharing the default SQLite file."""

from __future__ import annotations

from pathlib import Path

from tests.support.fake_openai import FakeOpenAI
from tests.support.responses_replicas import follow_up_across_replicas, replica_config
from tests.support.servers import ServerThread


def test_a_follow_up_on_another_process_sees_the_stored_response(tmp_path: Path) -> None:
    fake = FakeOpenAI()
    with ServerThread(fake) as upstream:
        follow_up_across_replicas(replica_config(tmp_path, upstream.url), fake)
