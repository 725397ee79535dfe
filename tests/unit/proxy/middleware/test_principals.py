"""Who a credential is: the config's keys first, then the keys API's table; a swapped-in ring
applies at once, and explain finds a config key by name and an API key by id."""

from __future__ import annotations

from proxy.config.gateway_config import KeyConfig
from proxy.config.keys import KeyRing
from proxy.keyring.table import KeyTable
from proxy.middleware.principals import Principals
from tests.support.key_store_contract import new_row


def _ring(*keys: tuple[str, str]) -> KeyRing:
    return KeyRing.from_config([KeyConfig(key=key, org="acme", name=name) for key, name in keys])


def test_config_keys_then_api_keys() -> None:
    row, secret = new_row(name="api")
    table = KeyTable()
    principals = Principals(_ring(("k1", "one")), table)
    assert principals.principal_for(secret) is None  # the table has seen nothing yet
    table.apply([row])
    found = principals.principal_for(secret)
    assert found is not None and found.key_id == row.id
    one = principals.principal_for("k1")
    assert one is not None and one.key_id == "one"
    assert principals.principal_for(None) is None and principals.principal_for("nope") is None


def test_a_swapped_ring_applies_at_once() -> None:
    principals = Principals(_ring(("k1", "one")), None)
    principals.swap(_ring(("k2", "two")))
    assert principals.principal_for("k1") is None
    assert [p.key_id for p in principals.in_config()] == ["two"]


def test_named_finds_a_config_key_by_name_and_an_api_key_by_id() -> None:
    row, _ = new_row(name="api")
    table = KeyTable()
    table.apply([row])
    principals = Principals(_ring(("k1", "one")), table)
    one, api = principals.named("one"), principals.named(row.id)
    assert one is not None and one.key_id == "one"
    assert api is not None and api.key_id == row.id
    assert principals.named("nobody") is None
