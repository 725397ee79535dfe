"""IPv4 and IPv6 host addresses; not loopback, unspecified, netmasks, versions, OIDs or MACs."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from governance.sensitivity.fields import Fields
from governance.sensitivity.findings import EntityType
from governance.sensitivity.scan_budget import check_budget

__all__ = ["detect_ip_addresses"]

# Not inside a longer dotted or IPv6 token; `1.2.3.4:443:` (host, port, colon) is an address.
_IPV4 = re.compile(
    r"(?<![\w.\-:])(?:\d{1,3}\.){3}\d{1,3}(?![\w\-]|\.[\w\-]|:[0-9a-fA-F]*:[0-9a-fA-F:])"
)
_IPV6 = re.compile(
    r"(?<![\w:.\-])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?"
    r"(?![\w:\-]|\.\w)"
)
# Two colons around at most four hex digits.
_IPV6_CUE = re.compile(r":[0-9A-Fa-f]{0,4}:")
_NOT_A_HOST_BEFORE = re.compile(
    r"(?<![a-z])(?:version|ver\.?|release|build|firmware|fw|v|oid|netmask|mask|subnet mask|sdk"
    r"|api level)\s*[:=]?\s*$|(?:==|~=|>=|<=|!=|\^|~)\s*$"
)
_NOT_A_HOST_LAST = frozenset("nr.edwvkl:=^~")
# A field named for a version, whatever its spelling (`app_version`, `FIRMWARE`, `buildNumber`).
_VERSION_FIELD = re.compile(
    r"version|(?<![a-z])ver(?![a-z])|release|build|firmware|(?<![a-z])fw(?![a-z])|(?<![a-z])sdk"
    r"|revision|(?<![a-z])rev(?![a-z])|(?<![a-z])tag(?![a-z])|oid|netmask|subnet|(?<![a-z])mask"
)
_PREFIX = re.compile(r"/(\d{1,3})(?!\d)")
_NETMASK = re.compile(r"(?:255\.){1,3}(?:0|128|192|224|240|248|252|254|255)(?:\.0)*")


def detect_ip_addresses(
    text: str, digit_runs: list[tuple[int, int]], fields: Fields
) -> Iterator[tuple[int, int, EntityType, float]]:
    for run_start, run_end in digit_runs:
        if run_end - run_start < 7 or text.find(".", run_start, run_end) == -1:
            continue
        check_budget()  # a run that may hold an address is weighed
        for match in _IPV4.finditer(text, run_start, min(len(text), run_end + 3)):
            value = match.group()
            if _NETMASK.fullmatch(value) or _context_says_not_host(text, match.start()):
                continue
            if _VERSION_FIELD.search(_field_name(fields, match.start())):
                continue
            if _is_host(value, text, match.end()):
                yield match.start(), match.end(), "IP_ADDRESS", 0.9
    if not _has_ipv6_cue(text):
        return
    for match in _IPV6.finditer(text):
        check_budget()
        value = match.group()
        if value.count(":") < 2 or not any(c.isdigit() for c in value):
            continue
        if _is_host(value, text, match.end()):
            yield match.start(), match.end(), "IP_ADDRESS", 0.85


def _field_name(fields: Fields, start: int) -> str:
    """The value's field name; a longer label is a phrase, which _NOT_A_HOST_BEFORE reads."""
    name = fields.name_at(start)
    return name if name.count(" ") < 2 else ""


def _has_ipv6_cue(text: str) -> bool:
    # From colon to colon: a regex search would step through every character of the text.
    colon = text.find(":")
    while colon != -1:
        if _IPV6_CUE.match(text, colon) is not None:
            return True
        colon = text.find(":", colon + 1)
    return False


def _context_says_not_host(text: str, start: int) -> bool:
    before = text[max(0, start - 16) : start].rstrip()
    # Every match ends (spaces aside) with the last character of one of its words or operators.
    if not before or before[-1].lower() not in _NOT_A_HOST_LAST:
        return False
    return _NOT_A_HOST_BEFORE.search(before.lower()) is not None


def _is_host(value: str, text: str, end: int) -> bool:
    # `10.0.0.0/8` names a network, not a host.
    prefix = _PREFIX.match(text, end, end + 4) if text.startswith("/", end) else None
    if prefix is None and "." in value and ":" not in value:
        return _ipv4_host(value)  # the usual case, without parsing it into an object
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    if address.is_loopback or address.is_unspecified:
        return False
    if prefix is not None:
        try:
            network = ipaddress.ip_network(f"{value}/{prefix.group(1)}", strict=False)
        except ValueError:
            return True
        return address != network.network_address
    return True


def _ipv4_host(value: str) -> bool:
    """What `ipaddress.ip_address(value)` says of four dotted numbers (each 0 to 255, written
    without leading zeros), and not loopback (127/8) or unspecified (0.0.0.0)."""
    octets = value.split(".")
    if len(octets) != 4:
        return False
    for octet in octets:
        if not (octet.isascii() and octet.isdigit()) or len(octet) > 3:
            return False
        if (octet[0] == "0" and len(octet) > 1) or int(octet) > 255:
            return False
    return octets[0] != "127" and value != "0.0.0.0"
