"""Sliding-window limits: the arithmetic, the in-process counters, the Redis script and the
stage that counts each call."""

from __future__ import annotations

import uuid

import pytest

from governance.policy import Verdict
from governance.policy.effective import EffectivePolicy, Quota
from proxy.call import Call, Principal, Reply
from proxy.limits import MemoryLimiter, RedisLimiter
from proxy.limits.limiter import Hit, Limiter, decide
from proxy.middleware.rate_limit import RateLimitStage
from proxy.wire.errors import GatewayError


def test_the_previous_window_weighs_by_its_overlap() -> None:
    assert decide(0, 0, 0.0, 1, 10, 60).remaining == 9
    half = decide(10, 0, 30.0, 1, 10, 60)  # 10 * 0.5 + 0 + 1 <= 10
    assert half.allowed and half.remaining == 4
    full = decide(10, 5, 30.0, 1, 10, 60)  # 5 + 5 + 1 > 10
    assert not full.allowed and full.retry_after_s == 6  # until 10 * w + 6 <= 10, w = 0.4
    assert decide(0, 10, 10.0, 1, 10, 60).retry_after_s == 50  # wait for the next window
    assert not decide(0, 0, 0.0, 11, 10, 60).allowed


async def exercise(limiter: Limiter) -> None:
    key = f"test:{uuid.uuid4().hex}"
    results = [(await limiter.hit([Hit(key, 1, 3)], 60))[0] for _ in range(4)]
    assert [r.allowed for r in results] == [True, True, True, False]
    assert [r.remaining for r in results[:3]] == [2, 1, 0]
    assert 1 <= results[3].retry_after_s <= 60
    await limiter.adjust([key], -2, 60)
    assert (await limiter.hit([Hit(key, 2, 3)], 60))[0].allowed
    assert not (await limiter.hit([Hit(key, 1, 3)], 60))[0].allowed

    # Several quotas at once: all counted, or none when one of them is full.
    roomy, tight = f"test:{uuid.uuid4().hex}", f"test:{uuid.uuid4().hex}"
    both = await limiter.hit([Hit(roomy, 5, 100), Hit(tight, 2, 2)], 60)
    assert [r.allowed for r in both] == [True, True]
    assert [r.remaining for r in both] == [95, 0]
    refused = await limiter.hit([Hit(roomy, 5, 100), Hit(tight, 1, 2)], 60)
    assert [r.allowed for r in refused] == [True, False]
    assert refused[1].retry_after_s >= 1
    after = await limiter.hit([Hit(roomy, 0, 100), Hit(tight, 0, 2)], 60)
    assert [r.remaining for r in after] == [95, 0]  # the refused call counted nothing
    await limiter.adjust([roomy, tight], -1, 60)
    after = await limiter.hit([Hit(roomy, 0, 100), Hit(tight, 0, 2)], 60)
    assert [r.remaining for r in after] == [96, 1]


async def test_memory_limiter() -> None:
    await exercise(MemoryLimiter())




@pytest.mark.filterwarnings("ignore::ResourceWarning")
async def test_redis_limiter_counts_locally_when_redis_is_gone() -> None:
    limiter = RedisLimiter("redis://127.0.0.1:1/0")
    try:
        await exercise(limiter)
        assert limiter.trouble.count > 0
    finally:
        await limiter.aclose()


async def test_a_changed_policy_counts_against_its_new_limits() -> None:
    """The stage keeps each principal's counters between calls; a reloaded policy (new
    quotas) must not be counted against the old ones."""
    stage = RateLimitStage(MemoryLimiter(), lambda _route, _prompt, _completion: None)
    principal = Principal("acme", "web", "k1")

    async def answer(_call: Call) -> Reply:
        return Reply(status=200, route="up/m", body=b"{}")

    async def call_with(quotas: tuple[Quota, ...]) -> Reply:
        body = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
        call = Call("r", "chat", body, b"", "m", False, principal=principal)
        call.verdict = Verdict(EffectivePolicy(quotas=quotas), ())
        return await stage(call, answer)

    one_a_minute = (Quota("team", rpm=1, tpm=None),)
    reply = await call_with(one_a_minute)
    assert (b"x-ratelimit-limit-requests", b"1") in reply.headers
    with pytest.raises(GatewayError) as refused:
        await call_with(one_a_minute)
    assert refused.value.status == 429
    # Reloaded with a higher limit on the same counter: the call that was refused now fits.
    reply = await call_with((Quota("team", rpm=5, tpm=None),))
    assert (b"x-ratelimit-limit-requests", b"5") in reply.headers
    assert (b"x-ratelimit-remaining-requests", b"3") in reply.headers
