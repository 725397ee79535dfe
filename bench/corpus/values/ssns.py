"""US Social Security numbers by the SSA's rules, and numbers that break them."""

from __future__ import annotations

from random import Random


def ssn_parts(rng: Random) -> tuple[str, str, str]:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}", f"{rng.randint(1, 99):02d}", f"{rng.randint(1, 9999):04d}"


def ssn(rng: Random, sep: str | None = None) -> str:
    """Dashed by default as people write it; spaced sometimes; `sep=""` for the bare nine."""
    if sep is None:
        sep = rng.choices(("-", " "), (6, 1))[0]
    return sep.join(ssn_parts(rng))


def invalid_ssn(rng: Random) -> str:
    """Shaped like an SSN but never issued: area 000, 666 or 9xx, group 00 or serial 0000."""
    area, group, serial = ssn_parts(rng)
    broken = rng.choice(("area0", "area666", "area9", "group", "serial"))
    if broken == "area0":
        area = "000"
    elif broken == "area666":
        area = "666"
    elif broken == "area9":
        area = str(rng.randint(900, 999))
    elif broken == "group":
        group = "00"
    else:
        serial = "0000"
    return "-".join((area, group, serial))


def itin(rng: Random) -> str:
    """An IRS taxpayer number: 9xx area with a 50-65, 70-88 or 90-99 group, never an SSN."""
    group = rng.choice([*range(50, 66), *range(70, 89), *range(90, 93), *range(94, 100)])
    return f"9{rng.randint(0, 99):02d}-{group:02d}-{rng.randint(0, 9999):04d}"


def last_four(rng: Random) -> str:
    return f"{rng.randint(1, 9999):04d}"


def masked_ssn(rng: Random) -> str:
    last = last_four(rng)
    return rng.choice((f"XXX-XX-{last}", f"***-**-{last}", f"xxx-xx-{last}", f"###-##-{last}"))
