"""Dotted versions are not IP addresses; addresses beside ports and in configs are."""

from __future__ import annotations

import pytest

from governance.sensitivity import scan_text


def addresses(text: str) -> list[str]:
    return [text[f.start : f.end] for f in scan_text(text).findings if f.type == "IP_ADDRESS"]


@pytest.mark.parametrize(
    "text",
    [
        'app_version = "1.2.3.4"',
        '{"msg": "config loaded", "build": "8.8.0.104"}',
        "firmware: 21.3.8.37",
        "released v10.0.1.2 today",
        "requests==2.31.0.1 and numpy>=1.26.4.2",
        "service,version,build\nweb-01,4.2.1,10.16.9.106\nweb-02,4.2.2,21.10.7.197",
        "name\tFirmwareVersion\nnode-1\t14.16.5.94",
        "<release>3.4.1.130</release>",
    ],
)
def test_dotted_versions_are_not_addresses(text: str) -> None:
    assert addresses(text) == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ('dial tcp 172.19.224.194:443: i/o timeout', "172.19.224.194"),
        ("    server 10.255.130.50:8080 weight=3;", "10.255.130.50"),
        ("TLS handshake error from 94.89.192.194:50460: remote error", "94.89.192.194"),
        ("host,ip,build\nweb-01,10.25.145.214,4.2.1", "10.25.145.214"),
        ("ssh deploy@43.112.223.102 uptime", "43.112.223.102"),
    ],
)
def test_addresses_beside_ports_and_in_tables(text: str, address: str) -> None:
    assert addresses(text) == [address]


@pytest.mark.parametrize(
    "text",
    [
        "everything broke after the update to 5.2.14.201 this morning",
        "we upgraded from 2.0.11.4 and rolled back to 2.0.10.9",
        "login ok (app 7.3.12.240) on android",
        "ALTER TABLE devices ADD COLUMN fw_version DEFAULT '3.18.2.77';",
        "urllib3>=1.26,<2.14.3.9",
        '"GET / HTTP/1.1" 200 512 "-" "FleetAgent/6.1.0.23"',
    ],
)
def test_versions_named_by_a_change_a_pin_or_a_product_are_not_addresses(text: str) -> None:
    assert addresses(text) == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("client 10.14.2.7 connected", "10.14.2.7"),
        ("ssh ops@10.14.2.7 -p 22", "10.14.2.7"),
        ("curl http://10.14.2.7/healthz", "10.14.2.7"),
        ("routed to the app server at 10.14.2.7", "10.14.2.7"),
        ("ovpn-server[81]: git/203.0.113.44:18437 MULTI: Learn", "203.0.113.44"),
    ],
)
def test_hosts_beside_those_words_stay_addresses(text: str, address: str) -> None:
    assert addresses(text) == [address]
