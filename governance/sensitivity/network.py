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
# What says the dotted numbers after it are no host, read backwards from the number (one match
# at the start of the reversed text, not a search along it): `version: `, `fw v`, `mask=`,
# `>= ` or `~` in a pin, a bound in a pin (`django>=1.0,<`), a change of version (`update to `,
# `rolled back from `).
_NOT_A_HOST_BEFORE_REVERSED = re.compile(
    r"['\"]?\s*(?:[:=]|tluafed\s+)?\s*(?:noisrev|\.?rev|esaeler|dliub|erawmrif|wf|v|dio|ksamten"
    r"|ksam|ksam tenbus|kds|level ipa|ppa)(?![a-z])|\s*(?:==|=~|=>|=<|=!|\^|~)"
    r"|=?[<>](?:[\w\])]|\s*,)"
    r"|\s*(?:ot|morf)\s+(?:s|d|de)?(?:etadpu|edargpu|edargnwod|kcab ?(?:de)?llor|pmub)(?![a-z])"
)
_NOT_A_HOST_LAST = frozenset("nr.edwvkl:=^~'\"<>")
_NOT_A_HOST_END = ("app", "default", "to", "from")  # the words that end in other letters
# A field named for a version, whatever its spelling (`app_version`, `FIRMWARE`, `buildNumber`).
_VERSION_FIELD = re.compile(
    r"version|(?<![a-z])ver(?![a-z])|release|build|firmware|(?<![a-z])fw(?![a-z])|(?<![a-z])sdk"
    r"|revision|(?<![a-z])rev(?![a-z])|(?<![a-z])tag(?![a-z])|oid|netmask|subnet|(?<![a-z])mask"
)
# What every dotted quad holds; a literal first character makes the search skip to each dot.
_DOTTED_QUAD_CUE = re.compile(r"\.\d{1,3}\.\d{1,3}\.\d")
_OCTET_SPELLINGS = frozenset(str(number) for number in range(256))
_PREFIX = re.compile(r"/(\d{1,3})(?!\d)")
_NETMASK = re.compile(r"(?:255\.){1,3}(?:0|128|192|224|240|248|252|254|255)(?:\.0)*")


def detect_ip_addresses(
    text: str, digit_runs: list[tuple[int, int]], fields: Fields
) -> list[tuple[int, int, EntityType, float]]:
    """A list, not a generator: most texts hold no address, and a generator costs more to make
    and to run out than the checks that find there is none."""
    found = _ipv4_hosts(text, digit_runs, fields) if _may_hold_ipv4(text, digit_runs) else []
    # An IPv6 cue's two colons: most texts with a colon have one (`Note:`), which this tells
    # at less cost than counting them or finding the second.
    if ":" in text and ":" in text.partition(":")[2]:
        found += _ipv6_hosts(text)
    return found


def _may_hold_ipv4(text: str, digit_runs: list[tuple[int, int]]) -> bool:
    """Whether the runs' windows may hold a dotted quad: one search, at the dots only, from the
    first run to the last one's window end (the cue pass gives runs in order), rules out most
    texts' runs, and costs little in a long text of prose with a few numbers."""
    return bool(digit_runs) and (
        _DOTTED_QUAD_CUE.search(text, digit_runs[0][0], digit_runs[-1][1] + 3) is not None
    )


def _ipv4_hosts(
    text: str, digit_runs: list[tuple[int, int]], fields: Fields
) -> list[tuple[int, int, EntityType, float]]:
    found: list[tuple[int, int, EntityType, float]] = []
    for run_start, run_end in digit_runs:
        # An address's three dots lie between its digits, so inside the run.
        if run_end - run_start < 7 or text.count(".", run_start, run_end) < 3:
            continue
        check_budget()  # a run that may hold an address is weighed
        # What `finditer` finds (an end past the text is its end), without the scanner object,
        # and without a last search where no address fits (seven characters at least).
        window_end = run_end + 3
        match = _IPV4.search(text, run_start, window_end)
        while match is not None:
            if _ipv4_host_at(text, match, fields):
                found.append((match.start(), match.end(), "IP_ADDRESS", 0.9))
            after = match.end()
            match = _IPV4.search(text, after, window_end) if window_end - after >= 7 else None
    return found


def _ipv4_host_at(text: str, match: re.Match[str], fields: Fields) -> bool:
    value = match.group()
    start = match.start()
    if _netmask(value) or _context_says_not_host(text, start):
        return False
    if _product_version(text, start, match.end()):
        return False
    if _VERSION_FIELD.search(_field_name(fields, start)):
        return False
    return _is_host(value, text, match.end())


def _ipv6_hosts(text: str) -> list[tuple[int, int, EntityType, float]]:
    found: list[tuple[int, int, EntityType, float]] = []
    for match in _ipv6_matches(text):
        check_budget()
        value = match.group()
        # Hex letters, colons and dots stripped from both ends leave a digit, where there is one.
        if value.count(":") < 2 or not value.strip(":.abcdefABCDEF"):
            continue
        if _parsable_ipv6(value) and _is_host(value, text, match.end()):
            found.append((match.start(), match.end(), "IP_ADDRESS", 0.85))
    return found


def _ipv6_matches(text: str) -> Iterator[re.Match[str]]:
    """What `_IPV6.finditer(text)` finds. An address's first two colons are a cue, so it starts
    at most four characters before the first cue after the last address: each search starts
    there, past what the cues rule out."""
    searched = 0
    # The cue's literal first character makes each search skip from colon to colon.
    cue = _IPV6_CUE.search(text)
    while cue is not None:
        match = _IPV6.search(text, max(searched, cue.start() - 4))
        if match is None:
            return
        yield match
        searched = match.end()
        cue = _IPV6_CUE.search(text, searched)


def _field_name(fields: Fields, start: int) -> str:
    """The value's field name; a longer label is a phrase, which _context_says_not_host reads."""
    name = fields.name_at(start)
    return name if name.count(" ") < 2 else ""


def _parsable_ipv6(value: str) -> bool:
    """Not one `ipaddress` refuses for its shape (a MAC address, a time): without `::`, eight
    groups of hex digits, the last two of them perhaps a dotted quad. Raising costs more."""
    return "::" in value or value.count(":") + ("." in value) == 7


def _netmask(value: str) -> bool:
    # Every netmask starts with 255: a slice and a comparison cost less than the pattern.
    return value[:4] == "255." and _NETMASK.fullmatch(value) is not None


def _product_version(text: str, start: int, end: int) -> bool:
    """A product token's version (`FleetAgent/6.1.0.23` in a user agent); a name and a slash
    before an address and its port is a user and the host it came from (`git/203.0.113.4:1194`)."""
    return (
        start >= 2
        and text[start - 1] == "/"
        and text[start - 2].isalnum()
        and not (end < len(text) and text[end] == ":")
    )


def _context_says_not_host(text: str, start: int) -> bool:
    before = text[start - 24 if start > 24 else 0 : start].rstrip()
    # Every match ends (spaces aside) with the last character of one of its words or operators.
    if not before:
        return False
    lowered = before.lower()
    if lowered[-1] not in _NOT_A_HOST_LAST and not lowered.endswith(_NOT_A_HOST_END):
        return False
    return _NOT_A_HOST_BEFORE_REVERSED.match(lowered[::-1]) is not None


def _is_host(value: str, text: str, end: int) -> bool:
    # `10.0.0.0/8` names a network, not a host.
    prefix = _PREFIX.match(text, end, end + 4) if text[end : end + 1] == "/" else None
    if prefix is None:
        # The usual cases, without parsing the value into an object.
        return _ipv6_host(value) if ":" in value else _ipv4_host(value)
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    if address.is_loopback or address.is_unspecified:
        return False
    try:
        network = ipaddress.ip_network(f"{value}/{prefix.group(1)}", strict=False)
    except ValueError:
        return True
    return address != network.network_address


def _ipv4_host(value: str) -> bool:
    """What `ipaddress.ip_address(value)` says of four dotted numbers (each 0 to 255, written
    without leading zeros), and not loopback (127/8) or unspecified (0.0.0.0)."""
    octets = value.split(".")
    return _ipv4_address(octets) and octets[0] != "127" and value != "0.0.0.0"


def _ipv4_address(octets: list[str]) -> bool:
    """Whether `ipaddress` reads these as an IPv4 address's: four numbers 0 to 255, in ASCII
    digits without leading zeros, which are the numbers' own spellings."""
    return len(octets) == 4 and _OCTET_SPELLINGS.issuperset(octets)


def _ipv6_host(value: str) -> bool:
    """What `ipaddress.ip_address(value)` says of an `_IPV6` match, and not loopback (::1) or
    unspecified (::): those are the addresses whose digits are zeros but for a last 1."""
    return _ipv6_address(value) and (value[-1] not in "01:" or value[:-1].strip("0:.") != "")


def _ipv6_address(value: str) -> bool:
    """Whether `ipaddress` parses an `_IPV6` match: its groups are hex digits, four at most, so
    what is in question is a dotted quad's numbers, how many groups there are and the `::`."""
    parts = value.split(":")
    if "." in parts[-1]:
        if not _ipv4_address(parts[-1].split(".")):
            return False
        parts.append("0")  # a dotted quad is two groups
    count = len(parts)
    if count < 3 or count > 9:
        return False
    inner_empty = parts[1:-1].count("")
    if inner_empty == 0:
        return count == 8 and parts[0] != "" and parts[-1] != ""
    if inner_empty > 1:
        return False
    # One `::`: an empty first or last group only beside it, and at most seven groups written.
    skip = parts.index("", 1)
    leading, trailing = parts[0] == "", parts[-1] == ""
    if (leading and skip != 1) or (trailing and skip != count - 2):
        return False
    return count - 1 - leading - trailing <= 7
