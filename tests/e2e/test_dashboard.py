"""The dashboard as an operator uses it: headless Chromium (Debian's, driven by playwright) on
`/admin/ui` of the real governed gateway, after real calls through the openai SDK (one of them
denied). Asserts what is on the screen, and saves screenshots (`make screenshots` writes the
README's, docs/dashboard-*.png)."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from tests.e2e.test_governance import ADMIN_KEY, CARD, Governed, chat, governed_gateway
from tests.support.servers import eventually

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra")

CHROMIUM = Path("/usr/bin/chromium")
# Long enough for a loaded 2-core machine; a passing step takes milliseconds.
SEEN_MS = 15_000
sync_api.expect.set_options(timeout=SEEN_MS)


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Governed]:
    table = f"evidence_ui_{uuid.uuid4().hex[:8]}"
    root = tmp_path_factory.mktemp("dashboard")
    with governed_gateway(root, "sqlite:///evidence.db", table) as governed:
        yield governed


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is not installed (make chromium: Debian's package)"
        if os.environ.get("METAQORE_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{message}; CI requires it (METAQORE_REQUIRE_SERVICES=1)")
        pytest.skip(message)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: sync_api.Browser) -> Iterator[sync_api.Page]:
    """A fresh tab; at the end, no script failed and the page's policy blocked nothing."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(SEEN_MS)
    faults: list[str] = []
    page.on("pageerror", lambda error: faults.append(str(error)))
    page.on(
        "console",
        lambda m: faults.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield page
    context.close()
    assert faults == []


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: METAQORE_SCREENSHOTS (docs/ for `make screenshots`), else tmp."""
    folder = Path(os.environ.get("METAQORE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def expect(locator: sync_api.Locator) -> sync_api.LocatorAssertions:
    return sync_api.expect(locator)


def sign_in(page: sync_api.Page, url: str, key: str) -> None:
    page.goto(f"{url}/admin/ui")
    page.get_by_label("Admin key").fill(key)
    page.get_by_role("button", name="Sign in").click()


def test_a_wrong_admin_key_is_refused_on_screen(gateway: Governed, page: sync_api.Page) -> None:
    sign_in(page, gateway.url, "sk-not-the-admin-key")
    expect(page.get_by_role("alert")).to_have_text("That admin key was not accepted.")
    expect(page.get_by_role("link", name="Traffic")).to_be_hidden()
    assert page.evaluate("sessionStorage.length") == 0


def test_a_key_refused_mid_session_returns_to_sign_in(
    gateway: Governed, page: sync_api.Page
) -> None:
    sign_in(page, gateway.url, ADMIN_KEY)
    expect(page.get_by_role("heading", name="Live traffic")).to_be_visible()
    # As if the key were revoked while the tab is open: the next call is refused.
    page.evaluate("sessionStorage.setItem('metaqore.adminKey', 'sk-revoked')")
    page.get_by_role("link", name="Routing").click()
    expect(page.get_by_role("alert")).to_have_text("That admin key was not accepted.")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_role("heading", name="Route scores")).to_be_hidden()


def test_an_operator_follows_a_denied_call_from_traffic_to_evidence_and_policy(
    gateway: Governed, page: sync_api.Page, shots: Path
) -> None:
    allowed, denied = f"ui-ok-{uuid.uuid4().hex[:6]}", f"ui-denied-{uuid.uuid4().hex[:6]}"
    for n in range(3):
        headers = {"x-request-id": f"{allowed}-{n}"}
        chat(gateway.client("payments"), f"Plan item {n}", extra_headers=headers)
    with pytest.raises(openai.PermissionDeniedError):
        chat(gateway.client("strict"), f"Refund {CARD}", extra_headers={"x-request-id": denied})
    eventually(lambda: _stored(gateway, denied))

    sign_in(page, gateway.url, ADMIN_KEY)
    # Traffic: the calls, the gateway's overhead and the denial under its rule.
    expect(page.get_by_role("heading", name="Live traffic")).to_be_visible()
    requests = page.locator(".card", has_text="Requests").locator("strong")
    expect(requests).to_have_text("4")
    overhead = page.locator(".card", has_text="Overhead p99").locator("strong")
    expect(overhead).to_have_text(re.compile(r"^\d+(\.\d+)? ms$"))
    denial = page.get_by_role("row", name="deny sensitive_data_blocked")
    expect(denial.get_by_role("cell").nth(2)).to_have_text("1")
    expect(page.get_by_role("row", name="cloud-us")).to_be_visible()
    page.screenshot(path=shots / "dashboard-traffic.png", full_page=True)

    # Evidence: the ledger verifies; the denied call is found by its request id.
    page.get_by_role("link", name="Evidence").click()
    expect(page.get_by_text("Writer gateway-under-test: ok; 4 records written")).to_be_visible()
    page.get_by_role("button", name="Verify the ledger").click()
    expect(page.get_by_text("Ledger verified: 4 records in 1 chain.")).to_be_visible()
    page.get_by_label("Request id").fill(denied)
    page.get_by_role("button", name="Search").click()
    row = page.get_by_role("row", name=denied)
    expect(row).to_contain_text("deny:sensitive_data_blocked")
    expect(row).to_contain_text("strict")
    expect(page.get_by_text("1 record shown")).to_be_visible()
    expect(page.get_by_text("null", exact=True)).to_have_count(0)
    row.get_by_role("button", name=denied).click()
    expect(page.locator("pre")).to_contain_text('"outcome": "denied"')
    expect(page.locator("pre")).not_to_contain_text(CARD)
    page.screenshot(path=shots / "dashboard-evidence.png", full_page=True)

    # Policies: the tree down to the strict key's own file, and explain for a sample prompt.
    page.get_by_role("link", name="Policies").click()
    expect(page.get_by_role("heading", name="Policy tree")).to_be_visible()
    strict = page.locator("li").filter(has=page.locator("summary", has_text="strict")).last
    expect(strict).to_be_visible()
    strict.locator("summary").click()  # a key's node opens on a click
    rule = strict.get_by_role("row", name="sensitivity.types.CREDIT_CARD block")
    expect(rule).to_contain_text("keys/strict.yaml")
    page.get_by_label("Key (").fill("strict")
    page.get_by_label("Model").select_option("gpt-4o-mini")
    page.get_by_label("Sample prompt").fill(f"Please refund card {CARD}")
    page.get_by_role("button", name="Explain").click()
    expect(page.get_by_text("Decision: deny:sensitive_data_blocked")).to_be_visible()
    expect(page.get_by_text("Denied by sensitive_data_blocked")).to_be_visible()
    page.screenshot(path=shots / "dashboard-policies.png", full_page=True)

    # Routing: the route scores of a model the calls used.
    page.get_by_role("link", name="Routing").click()
    # The view is drawn once its data is in: pick the model there, not on the page it replaces.
    expect(page.get_by_role("heading", name="Route scores")).to_be_visible()
    page.get_by_label("Model").select_option("gpt-4o-mini")
    scores = page.locator("table").last
    expect(scores.get_by_role("row", name="cloud-us/gpt-4o-mini")).to_contain_text("closed")
    page.screenshot(path=shots / "dashboard-routing.png", full_page=True)


def _stored(gateway: Governed, request_id: str) -> bool:
    found = httpx.get(
        f"{gateway.url}/admin/evidence/records",
        params={"request_id": request_id},
        headers={"authorization": f"Bearer {ADMIN_KEY}"},
    )
    return bool(found.json()["records"])


def test_an_operator_creates_rotates_and_revokes_a_key(
    gateway: Governed, page: sync_api.Page, shots: Path
) -> None:
    def status(secret: str) -> int:
        answer = httpx.post(
            f"{gateway.url}/v1/chat/completions",
            headers={"authorization": f"Bearer {secret}"},
            json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]},
        )
        return answer.status_code

    sign_in(page, gateway.url, ADMIN_KEY)
    page.get_by_role("link", name="Keys").click()
    expect(page.get_by_role("row", name="cfg_strict")).to_contain_text("read-only (config)")
    page.get_by_label("Name").fill("ui-batch")
    page.get_by_label("Org").fill("acme")
    page.get_by_label("Team").fill("payments")
    page.get_by_role("button", name="Create key").click()
    expect(page.get_by_role("status")).to_contain_text("Created ui-batch")
    first = page.locator(".secret code").inner_text()
    row = page.get_by_role("row", name="ui-batch")
    expect(row).to_contain_text("active")
    assert status(first) == 200

    row.get_by_role("button", name="Rotate ui-batch").click()
    page.get_by_role("button", name="Rotate now").click()
    expect(page.get_by_role("status")).to_contain_text("Rotated ui-batch")
    second = page.locator(".secret code").inner_text()
    assert second != first
    assert (status(first), status(second)) == (401, 200)  # no grace: the old one stops at once
    page.screenshot(path=shots / "dashboard-keys.png", full_page=True)

    page.get_by_role("row", name="ui-batch").get_by_role("button", name="Revoke ui-batch").click()
    page.get_by_role("button", name="Revoke now").click()
    expect(page.get_by_role("status")).to_have_text("Revoked ui-batch.")
    expect(page.get_by_role("row", name="ui-batch")).to_contain_text("revoked")
    expect(page.get_by_role("button", name="Rotate ui-batch")).to_have_count(0)
    assert status(second) == 401
