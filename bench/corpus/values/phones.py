"""Phone numbers that `phonenumbers` accepts, written the way people write them."""

from __future__ import annotations

from random import Random

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberFormat, PhoneNumberType

# Countries whose national format the definition names; NANP is written apart.
NATIONAL = ("GB", "DE", "FR", "AU", "IN", "NL", "IT", "ES", "JP", "CH", "IE")
# Elsewhere numbers appear in international form only.
INTERNATIONAL_ONLY = ("BR", "MX", "PL", "SE", "PT", "BE", "AT", "ZA", "SG", "DK", "NO", "NZ")
NANP_AREAS = (
    "212", "213", "305", "312", "404", "415", "503", "512", "602", "617", "646", "702", "713",
    "718", "720", "801", "919", "206", "303", "202", "416", "604", "514", "773", "978",
)
TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE)


def _digits(rng: Random, count: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(count))


def _nanp(rng: Random) -> PhoneNumber:
    while True:
        exchange = f"{rng.randint(2, 9)}{_digits(rng, 2)}"
        if exchange[1:] == "11" or exchange == "555":
            continue
        number = phonenumbers.parse(f"+1{rng.choice(NANP_AREAS)}{exchange}{_digits(rng, 4)}")
        if phonenumbers.is_valid_number(number):
            return number


def valid_number(rng: Random, region: str) -> PhoneNumber:
    """A valid number of the region: the example number's leading digits, the rest random."""
    if region in ("US", "CA"):
        return _nanp(rng)
    kind = rng.choice(TYPES)
    example = phonenumbers.example_number_for_type(region, kind)
    if example is None:
        raise ValueError(f"phonenumbers has no example {kind} number for {region}")
    nsn = phonenumbers.national_significant_number(example)
    keep = max(2, len(nsn) // 3)
    for _ in range(200):
        candidate = phonenumbers.parse(
            f"+{example.country_code}{nsn[:keep]}{_digits(rng, len(nsn) - keep)}"
        )
        if phonenumbers.is_valid_number(candidate):
            return candidate
    return example


def nanp_written(rng: Random, number: PhoneNumber) -> str:
    n = str(number.national_number)
    area, exchange, line = n[:3], n[3:6], n[6:]
    shapes = (
        f"({area}) {exchange}-{line}", f"{area}-{exchange}-{line}", f"{area}.{exchange}.{line}",
        f"+1 {area}-{exchange}-{line}", f"+1 ({area}) {exchange}-{line}",
        f"1-{area}-{exchange}-{line}",
        f"+1{area}{exchange}{line}", f"{area} {exchange} {line}", f"+1 {area} {exchange} {line}",
        f"({area}){exchange}-{line}",
    )
    return rng.choices(shapes, (6, 5, 2, 3, 2, 1, 2, 1, 1, 1))[0]


def international_written(rng: Random, number: PhoneNumber) -> str:
    spaced = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    style = rng.choices(("spaced", "e164", "dashed", "00"), (5, 3, 1, 2))[0]
    if style == "e164":
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if style == "dashed":
        return spaced.replace(" ", "-")
    if style == "00":
        return "00" + spaced[1:]
    return spaced


def national_written(number: PhoneNumber) -> str:
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)


def us_phone(rng: Random) -> str:
    return nanp_written(rng, _nanp(rng))


def phone_of(rng: Random, region: str, national_share: float = 0.6) -> str:
    """A number of `region`, national or international as someone from there would write it."""
    number = valid_number(rng, region)
    if region in ("US", "CA"):
        return nanp_written(rng, number)
    if region in NATIONAL and rng.random() < national_share:
        return national_written(number)
    return international_written(rng, number)


def any_phone(rng: Random) -> str:
    """Half NANP, the rest spread over the countries people write to us from."""
    roll = rng.random()
    if roll < 0.45:
        return us_phone(rng)
    if roll < 0.85:
        return phone_of(rng, rng.choice(NATIONAL))
    return phone_of(rng, rng.choice(INTERNATIONAL_ONLY))
