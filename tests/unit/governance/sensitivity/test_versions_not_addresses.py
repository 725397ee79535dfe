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
