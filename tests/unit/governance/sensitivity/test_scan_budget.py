"""A scan's cost is bounded and stops when its call does: the work done after a stop is counted,
not timed; long texts scanned a window at a time find what a whole scan finds."""

from __future__ import annotations

import random
import threading
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.assessment import scan_texts
from governance.sensitivity import numbers, scan_text
from governance.sensitivity.scan_budget import ScanBudget, ScanStopped, check_budget, spending
from governance.sensitivity.scan_memo import ScanMemo
from governance.sensitivity.scan_windows import CONTEXT, WINDOW, scan_long

# Groups of four digits: every window of groups is weighed as a card, an SSN or a phone, the
# costliest text per character the scanner knows.
DIGIT_GROUPS = " ".join(f"{random.Random(i).randrange(10_000):04d}" for i in range(40_000))


class _Counted:
    """numbers._kind_of, counting its calls and ending the call at the `stop_at`-th."""

    def __init__(self, budget: ScanBudget, stop_at: int) -> None:
        self.budget = budget
        self.stop_at = stop_at
        self.calls = 0
        self.after_stop = 0
        self._real = numbers._kind_of

    def __call__(self, *args: Any) -> Any:
        self.calls += 1
        if self.budget.cancelled:
            self.after_stop += 1
        if self.calls == self.stop_at:
            self.budget.cancelled = True  # the call's 503 has been sent
        return self._real(*args)


def test_a_cancelled_scan_does_no_more_work(monkeypatch: pytest.MonkeyPatch) -> None:
    budget = ScanBudget(60.0)
    counted = _Counted(budget, stop_at=50)
    monkeypatch.setattr(numbers, "_kind_of", counted)
    with spending(budget), pytest.raises(ScanStopped):
        scan_long(DIGIT_GROUPS)
    assert counted.calls == 50  # the window weighed as the call ended was refused, no other
    assert counted.after_stop == 0
    assert budget.stopped


def test_a_scan_past_its_deadline_stops_within_a_few_steps() -> None:
    budget = ScanBudget(0.0)
    with spending(budget), pytest.raises(ScanStopped):
        scan_long(DIGIT_GROUPS)
    assert budget.checks <= 8  # the clock is read every eighth step


def test_a_scan_on_another_thread_stops_when_its_caller_lets_go() -> None:
    budget = ScanBudget(60.0)
    outcome: list[BaseException | None] = []
    started = threading.Event()

    def scan() -> None:
        with spending(budget):
            try:
                check_budget()
                started.set()
                scan_long(DIGIT_GROUPS * 4)
                outcome.append(None)
            except ScanStopped as exc:
                outcome.append(exc)

    thread = threading.Thread(target=scan)
    thread.start()
    started.wait()
    budget.cancelled = True
    steps_at_cancel = budget.checks
    thread.join()
    assert isinstance(outcome[0], ScanStopped)
    assert budget.checks - steps_at_cancel <= 2  # a step may have begun as the call ended


def test_budgets_belong_to_their_thread() -> None:
    spent = ScanBudget(0.0)
    spent.cancelled = True
    with spending(spent):
        seen: list[bool] = []
        other = threading.Thread(target=lambda: seen.append(bool(scan_text("a@b.io").findings)))
        other.start()
        other.join()
    assert seen == [True]


def test_a_memo_keeps_what_an_interrupted_scan_finished() -> None:
    memo = ScanMemo(100)
    texts = [(("a",), "x" * 300 + " mail me at jo@example.com"), (("b",), DIGIT_GROUPS)]
    budget = ScanBudget(60.0)
    with spending(budget), pytest.raises(ScanStopped):
        budget.deadline = 0.0  # the first text finishes before the clock is read again
        scan_texts(texts, memo)
    assert memo(texts[0][1]) is not None and memo.hits == 1


_PIECES = st.sampled_from(
    ["jo@example.com", "4111 1111 1111 1111", "DOB: 1990-02-03", "AKIA" + "Q" * 16, "x" * 997,
     "word " * 300, "\n", "192.168.10.20", "IBAN DE89 3704 0044 0532 0130 00"]
)  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(st.lists(_PIECES, min_size=20, max_size=120))
def test_windows_find_what_a_whole_scan_finds(pieces: list[str]) -> None:
    text = "".join(pieces)
    whole = scan_text(text)
    windowed = scan_long(text)
    assert windowed.findings == whole.findings
    assert windowed.health_context == whole.health_context


def test_a_finding_across_a_window_edge_is_found_once() -> None:
    email = "someone.long@example.com"
    for shift in range(-len(email), 2):
        text = "y" * (WINDOW + shift) + " " + email + " " + "z" * (WINDOW + 2 * CONTEXT)
        found = [(f.start, f.end, f.type) for f in scan_long(text).findings]
        start = WINDOW + shift + 1
        assert found == [(start, start + len(email), "EMAIL")]
