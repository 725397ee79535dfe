"""IPv4 and IPv6 host addresses, public and private, and dotted look-alikes that are not."""

from __future__ import annotations

import ipaddress
from random import Random

# Blocks real cloud and ISP traffic comes from (global unicast).
IPV6_PREFIXES = (
    "2001:4860:4860", "2a00:1450:4001", "2606:4700:3033", "2a03:2880:f12f", "2600:1f18:24e6",
    "2a01:4f8:c17", "2404:6800:4003", "2620:1ec:bdf", "2a02:26f0:fd", "2406:da14:8a3",
)


def public_ipv4(rng: Random) -> str:
    while True:
        address = ipaddress.IPv4Address(rng.getrandbits(32))
        if address.is_global and not address.is_multicast and str(address).split(".")[3] != "0":
            return str(address)


def private_ipv4(rng: Random) -> str:
    block = rng.choice(("10", "172", "192"))
    host = rng.randint(1, 254)
    if block == "10":
        return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{host}"
    if block == "172":
        return f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{host}"
    return f"192.168.{rng.randint(0, 255)}.{host}"


def ipv4(rng: Random) -> str:
    return public_ipv4(rng) if rng.random() < 0.5 else private_ipv4(rng)


def public_ipv6(rng: Random) -> str:
    groups = rng.choice(IPV6_PREFIXES).split(":")
    while len(groups) < 8:
        groups.append(f"{rng.getrandbits(16) if rng.random() < 0.7 else 0:x}")
    groups[-1] = f"{rng.randint(1, 0xFFFF):x}"  # a host, not the subnet's all-zero address
    address = ipaddress.IPv6Address(":".join(groups))
    return address.exploded if rng.random() < 0.1 else str(address)


def private_ipv6(rng: Random) -> str:
    """A unique local address (fd00::/8), as a cluster or VPN hands them out."""
    groups = [f"fd{rng.getrandbits(8):02x}"] + [f"{rng.getrandbits(16):x}" for _ in range(3)]
    host = [f"{rng.getrandbits(16):x}" if rng.random() < 0.5 else "0" for _ in range(3)]
    host.append(f"{rng.randint(1, 0xFFFF):x}")
    return str(ipaddress.IPv6Address(":".join(groups + host)))


def ipv6(rng: Random) -> str:
    return public_ipv6(rng) if rng.random() < 0.75 else private_ipv6(rng)


def any_ip(rng: Random) -> str:
    return ipv4(rng) if rng.random() < 0.8 else ipv6(rng)


def loopback_or_unspecified(rng: Random) -> str:
    return rng.choice(("127.0.0.1", "127.0.0.1", "127.0.1.1", "0.0.0.0", "::1", "::", "127.0.0.53"))


def with_port(address: str, port: str) -> str:
    """host:port as software prints it; an IPv6 address goes in brackets."""
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def netmask(rng: Random) -> str:
    return rng.choice(
        ("255.255.255.0", "255.255.0.0", "255.255.255.128", "255.255.252.0", "255.0.0.0",
         "255.255.255.255", "255.255.255.240")
    )


def version_quad(rng: Random) -> str:
    """A four-part version or build number: shaped like an address, never one."""
    return (
        f"{rng.randint(1, 24)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}.{rng.randint(0, 250)}"
    )


def oid(rng: Random) -> str:
    return rng.choice(
        (
            "1.2.840.113549.1.1.11", "1.3.6.1.4.1.311.60.2.1.3", "2.5.4.3", "1.3.6.1.2.1.1.3.0",
            "1.2.840.10045.2.1", "2.16.840.1.101.3.4.2.1", "1.3.6.1.5.5.7.3.1",
            f"1.3.6.1.4.1.{rng.randint(1000, 60000)}.{rng.randint(1, 9)}.{rng.randint(1, 99)}",
        )
    )


def mac_address(rng: Random) -> str:
    sep = rng.choice((":", "-"))
    octets = [f"{rng.getrandbits(8):02x}" for _ in range(6)]
    text = sep.join(octets)
    return text.upper() if rng.random() < 0.5 else text


def host_name_with_address(rng: Random) -> str:
    a, b, c = rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254)
    return rng.choice(
        (
            f"ip-10-{a}-{b}-{c}.ec2.internal",
            f"ec2-{rng.randint(3, 54)}-{a}-{b}-{c}.compute-1.amazonaws.com",
            f"10-{a}-{b}-{c}.default.pod.cluster.local",
            f"host-192-168-{b}-{c}.lan",
            f"{c}.{b}.{a}.10.in-addr.arpa",
        )
    )
