"""Payment card numbers: Luhn-valid with real brand prefixes and lengths, and look-alikes."""

from __future__ import annotations

from dataclasses import dataclass
from random import Random


@dataclass(frozen=True)
class Brand:
    name: str
    prefixes: tuple[tuple[int, int], ...]  # inclusive ranges of leading digits
    length: int
    groups: tuple[int, ...]  # how the brand prints the number


BRANDS = (
    Brand("Visa", ((4, 4),), 16, (4, 4, 4, 4)),
    Brand("Mastercard", ((51, 55), (2221, 2720)), 16, (4, 4, 4, 4)),
    Brand("American Express", ((34, 34), (37, 37)), 15, (4, 6, 5)),
    Brand("Discover", ((6011, 6011), (644, 649), (65, 65)), 16, (4, 4, 4, 4)),
    Brand("JCB", ((3528, 3589),), 16, (4, 4, 4, 4)),
    Brand("Diners Club", ((300, 305), (36, 36), (38, 39)), 14, (4, 6, 4)),
    Brand("UnionPay", ((62, 62),), 16, (4, 4, 4, 4)),
    Brand("Visa", ((4, 4),), 19, (4, 4, 4, 4, 3)),
)
# Visa and Mastercard are most of what people paste.
BRAND_WEIGHTS = (34, 28, 12, 7, 5, 3, 4, 2)


def luhn_check_digit(payload: str) -> str:
    """The digit that makes `payload + digit` pass Luhn."""
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:  # doubled: these sit at odd positions once the check digit follows
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def with_check_digit(payload: str) -> str:
    return payload + luhn_check_digit(payload)


def card_digits(rng: Random, brand: Brand | None = None) -> tuple[str, Brand]:
    brand = brand or rng.choices(BRANDS, BRAND_WEIGHTS)[0]
    low, high = rng.choice(brand.prefixes)
    prefix = str(rng.randint(low, high))
    body = "".join(str(rng.randint(0, 9)) for _ in range(brand.length - len(prefix) - 1))
    return with_check_digit(prefix + body), brand


def grouped(digits: str, groups: tuple[int, ...], sep: str) -> str:
    parts, pos = [], 0
    for size in groups:
        parts.append(digits[pos : pos + size])
        pos += size
    return sep.join(parts)


def printed(rng: Random, digits: str, brand: Brand) -> str:
    """Plain, spaced or dashed, the way people and forms write card numbers."""
    style = rng.choices(("plain", "spaced", "dashed"), (3, 5, 2))[0]
    if style == "plain":
        return digits
    return grouped(digits, brand.groups, " " if style == "spaced" else "-")


def card(rng: Random) -> str:
    digits, brand = card_digits(rng)
    return printed(rng, digits, brand)


def card_with_brand(rng: Random) -> tuple[str, str]:
    digits, brand = card_digits(rng)
    return printed(rng, digits, brand), brand.name


def luhn_broken_card(rng: Random) -> str:
    """A brand-shaped number whose check digit is wrong: a typo, not a card."""
    digits, brand = card_digits(rng)
    wrong = str((int(digits[-1]) + rng.randint(1, 9)) % 10)
    return printed(rng, digits[:-1] + wrong, brand)


def masked_card(rng: Random) -> str:
    digits, _ = card_digits(rng)
    last4 = digits[-4:]
    shapes = (
        f"**** **** **** {last4}", f"XXXX-XXXX-XXXX-{last4}", f"{digits[:6]}******{last4}",
        f"•••• {last4}", f"ending in {last4}", f"xxxxxxxxxxxx{last4}",
        f"{digits[:4]} **** **** {last4}",
    )
    return rng.choice(shapes)


def imei(rng: Random) -> str:
    """15 Luhn-valid digits from a handset type allocation code: not a card."""
    tac = rng.choice(("35", "86", "01", "99")) + "".join(str(rng.randint(0, 9)) for _ in range(6))
    serial = "".join(str(rng.randint(0, 9)) for _ in range(6))
    return with_check_digit(tac + serial)


def card_inside_token(rng: Random) -> str:
    """A valid card number glued inside a longer token (an id, a blob): not a finding."""
    digits, _ = card_digits(rng)
    head = rng.choice(("txn", "ch", "ref", "SKU", "pi", "blob"))
    alphabet = "abcdefghjkmnpqrstuvwxyz0123456789"
    tail = "".join(rng.choice(alphabet) for _ in range(rng.randint(2, 6)))
    return f"{head}{rng.choice(('', 'X', 'A9'))}{digits}{tail}"
