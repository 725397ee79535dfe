"""IBANs of many countries (registry lengths and BBAN shapes, mod-97 check digits)."""

from __future__ import annotations

import string
from random import Random

# BBAN structure per country from the SWIFT IBAN registry: n digits, a letters, c either.
BBAN_SHAPES = {
    "AD": "4n4n12c", "AE": "3n16n", "AT": "5n11n", "BE": "3n7n2n", "BG": "4a4n2n8c",
    "BH": "4a14c", "BR": "8n5n10n1a1c", "CH": "5n12c", "CY": "3n5n16c", "CZ": "4n6n10n",
    "DE": "8n10n", "DK": "4n9n1n", "EE": "2n2n11n1n", "ES": "4n4n1n1n10n", "FI": "3n11n",
    "FR": "5n5n11c2n", "GB": "4a6n8n", "GR": "3n4n16c", "HR": "7n10n", "HU": "3n4n1n15n1n",
    "IE": "4a6n8n", "IL": "3n3n13n", "IS": "4n2n6n10n", "IT": "1a5n5n12c", "LI": "5n12c",
    "LT": "5n11n", "LU": "3n13c", "LV": "4a13c", "MC": "5n5n11c2n", "MT": "4a5n18c",
    "NL": "4a10n", "NO": "4n6n1n", "PL": "8n16n", "PT": "4n4n11n2n", "QA": "4a21c",
    "RO": "4a16c", "SA": "2n18c", "SE": "3n16n1n", "SI": "5n8n2n", "SK": "4n6n10n",
    "SM": "1a5n5n12c", "TR": "5n1n16c", "UA": "6n19c",
}
# Europe's big economies dominate real invoices and payroll files.
COMMON = ("DE", "FR", "ES", "IT", "NL", "GB", "BE", "AT", "CH", "IE", "PT", "PL")


def _char(rng: Random, kind: str) -> str:
    if kind == "n":
        return rng.choice(string.digits)
    if kind == "a":
        return rng.choice(string.ascii_uppercase)
    return rng.choice(string.digits) if rng.random() < 0.8 else rng.choice(string.ascii_uppercase)


def bban(rng: Random, country: str) -> str:
    out: list[str] = []
    count = ""
    for ch in BBAN_SHAPES[country]:
        if ch.isdigit():
            count += ch
            continue
        out.extend(_char(rng, ch) for _ in range(int(count)))
        count = ""
    return "".join(out)


def _as_number(text: str) -> int:
    return int("".join(str(int(ch, 36)) for ch in text))


def check_digits(country: str, basic: str) -> str:
    return f"{98 - _as_number(basic + country + '00') % 97:02d}"


def iban_electronic(rng: Random, country: str | None = None) -> str:
    if country is None:
        country = rng.choice(COMMON) if rng.random() < 0.75 else rng.choice(sorted(BBAN_SHAPES))
    basic = bban(rng, country)
    return country + check_digits(country, basic) + basic


def printed(electronic: str) -> str:
    """Groups of four, as on invoices and bank statements."""
    return " ".join(electronic[i : i + 4] for i in range(0, len(electronic), 4))


def iban(rng: Random, country: str | None = None) -> str:
    electronic = iban_electronic(rng, country)
    return printed(electronic) if rng.random() < 0.55 else electronic


def broken_iban(rng: Random, country: str | None = None) -> str:
    """A mistyped IBAN: one digit of the account changed, so mod-97 fails."""
    electronic = iban_electronic(rng, country)
    pos = rng.randrange(len(electronic) - 4) + 4
    while not electronic[pos].isdigit():
        pos = rng.randrange(len(electronic) - 4) + 4
    digit = str((int(electronic[pos]) + rng.randint(1, 9)) % 10)
    wrong = electronic[:pos] + digit + electronic[pos + 1 :]
    return printed(wrong) if rng.random() < 0.5 else wrong


def bic(rng: Random, country: str) -> str:
    bank = "".join(rng.choice(string.ascii_uppercase) for _ in range(4))
    place = rng.choice(("FF", "MM", "PP", "2X", "22", "XX"))
    return bank + country + place + (rng.choice(("", "XXX", "100")))
