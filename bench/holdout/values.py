"""Values for the held-out corpus: valid findings of the nine types, names, and dates.

Every generator takes a `random.Random` and returns a string; nothing here reads the detectors.
Findings are made valid by their own rules (Luhn, IBAN mod-97, SSA ranges, numbering plans);
dates that are not birth dates and timestamps are here too, the other look-alikes in
`negatives.py`.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from random import Random

Gen = Callable[[Random], str]

FIRST = ("Anna", "Ben", "Carla", "David", "Elif", "Farah", "Georg", "Hana", "Ivan", "Julia",
         "Kofi", "Lena", "Marco", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tomás",
         "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe", "Liam", "Chloé", "Mateo", "Ines")
LAST = ("Novak", "Schmidt", "Dubois", "García", "Rossi", "de Vries", "Silva", "Okafor", "Chen",
        "Patel", "Kowalski", "Müller", "Larsen", "Brennan", "Haddad", "Ito", "Moreau", "Bianchi",
        "Jansen", "Costa", "Fischer", "Nguyen", "Walsh", "Romero", "Keller", "Sato", "Price")
DOMAINS = ("gmail.com", "outlook.com", "acme-corp.io", "northwind.co.uk", "mail.example.org",
           "posteo.de", "orange.fr", "libero.it", "ziggo.nl", "sapo.pt", "uni-heidelberg.de",
           "hospital.nhs.uk", "fastmail.fm", "contoso.com", "globex.dev", "telefonica.es")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
HEX = "0123456789abcdef"
ALNUM = string.ascii_letters + string.digits
UPPER_ALNUM = string.ascii_uppercase + string.digits


def pick(rng: Random, options: tuple[str, ...] | list[str]) -> str:
    return options[rng.randrange(len(options))]


def digits(rng: Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def chars(rng: Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def name(rng: Random) -> str:
    return f"{pick(rng, FIRST)} {pick(rng, LAST)}"


def first(rng: Random) -> str:
    return pick(rng, FIRST)


# --- EMAIL ---------------------------------------------------------------------------------

def _ascii(word: str) -> str:
    table = str.maketrans("áéíóúüöäçñ", "aeiouuoacn")
    return word.lower().translate(table).replace(" ", "")


def email(rng: Random) -> str:
    f, last = _ascii(pick(rng, FIRST)), _ascii(pick(rng, LAST))
    local = pick(rng, [f"{f}.{last}", f"{f[0]}{last}", f"{f}_{last}{rng.randrange(10, 99)}",
                       f"{f}+{pick(rng, ['billing', 'news', 'test'])}", f"{last}.{f}",
                       pick(rng, ["support", "ops-alerts", "hr", "no-reply.team"])])
    address = f"{local}@{pick(rng, DOMAINS)}"
    return address.upper() if rng.random() < 0.03 else address


# --- PHONE ---------------------------------------------------------------------------------

US_AREAS = ("212", "415", "312", "617", "206", "303", "512", "404", "713", "305", "646", "718",
            "202", "503", "614", "919", "702", "480", "612", "267")


def _us_parts(rng: Random) -> tuple[str, str, str]:
    exchange = f"{rng.randint(2, 9)}{rng.randint(0, 9)}{rng.randint(2, 9)}"
    return pick(rng, US_AREAS), exchange, digits(rng, 4)


def phone_us(rng: Random) -> str:
    a, e, n = _us_parts(rng)
    return pick(rng, [f"({a}) {e}-{n}", f"{a}-{e}-{n}", f"{a}.{e}.{n}", f"+1 {a} {e} {n}",
                      f"+1-{a}-{e}-{n}", f"+1 ({a}) {e}-{n}", f"1-{a}-{e}-{n}"])


def phone_gb(rng: Random) -> str:
    if rng.random() < 0.5:
        n = f"{pick(rng, ['3', '7', '8'])}{digits(rng, 3)} {digits(rng, 4)}"
        return pick(rng, [f"+44 20 {n}", f"020 {n}", f"+44 (0)20 {n}"])
    n = f"7{pick(rng, ['4', '5', '7', '8', '9'])}{digits(rng, 2)} {digits(rng, 6)}"
    return pick(rng, [f"+44 {n}", f"0{n}"])


def phone_de(rng: Random) -> str:
    if rng.random() < 0.5:
        area = pick(rng, ["30", "89", "40", "221", "69"])
        n = f"{rng.randint(2, 9)}{digits(rng, 6 if len(area) == 2 else 5)}"
        return pick(rng, [f"+49 {area} {n}", f"0{area} {n}", f"0{area}/{n}", f"+49 ({area}) {n}"])
    n = f"1{pick(rng, ['51', '52', '60', '70', '76'])} {digits(rng, 8)}"
    return pick(rng, [f"+49 {n}", f"0{n}"])


def phone_fr(rng: Random) -> str:
    head = pick(rng, ["1", "4", "6", "7"])
    lead = rng.randint(50, 89) if head == "7" else rng.randint(10, 89)
    pairs = " ".join([str(lead)] + [digits(rng, 2) for _ in range(3)])
    dotted = pairs.replace(" ", ".")
    return pick(rng, [f"+33 {head} {pairs}", f"0{head} {pairs}", f"0{head}.{dotted}"])


def phone_es(rng: Random) -> str:
    head = pick(rng, ["91", "93", "61", "62", "65"])
    n = f"{head}{digits(rng, 1)} {digits(rng, 3)} {digits(rng, 3)}"
    return pick(rng, [f"+34 {n}", n])


def phone_it(rng: Random) -> str:
    if rng.random() < 0.5:
        return pick(rng, ["+39 06 ", "06 ", "+39 02 "]) + f"{digits(rng, 4)} {digits(rng, 4)}"
    head = pick(rng, ["20", "33", "47", "38"])
    return pick(rng, ["+39 ", ""]) + f"3{head} {digits(rng, 3)} {digits(rng, 4)}"


def phone_nl(rng: Random) -> str:
    if rng.random() < 0.5:
        local = f"{rng.randint(2, 8)}{digits(rng, 2)} {digits(rng, 4)}"
        return pick(rng, ["+31 20 ", "020 ", "+31 10 "]) + local
    return pick(rng, ["+31 6 ", "06-", "06 "]) + str(rng.randint(1, 5)) + digits(rng, 7)


def phone_pt(rng: Random) -> str:
    if rng.random() < 0.5:
        return pick(rng, ["+351 21 ", "21 ", "+351 22 "]) + f"{digits(rng, 3)} {digits(rng, 4)}"
    head = pick(rng, ["1", "2", "3", "6"])
    return pick(rng, ["+351 ", ""]) + f"9{head}{digits(rng, 1)} {digits(rng, 3)} {digits(rng, 3)}"


PHONES: dict[str, Gen] = {"us": phone_us, "gb": phone_gb, "de": phone_de, "fr": phone_fr,
                          "es": phone_es, "it": phone_it, "nl": phone_nl, "pt": phone_pt}


def phone(rng: Random) -> str:
    country = pick(rng, ["us", "us", "us", "gb", "de", "fr", "es", "it", "nl", "pt"])
    return PHONES[country](rng)


# --- US_SSN --------------------------------------------------------------------------------

def ssn_parts(rng: Random) -> tuple[str, str, str]:
    area = rng.randint(1, 899)
    while area == 666:
        area = rng.randint(1, 899)
    return f"{area:03d}", f"{rng.randint(1, 99):02d}", f"{rng.randint(1, 9999):04d}"


def ssn(rng: Random) -> str:
    return "-".join(ssn_parts(rng))


def ssn_any(rng: Random) -> str:
    """An SSN as forms write it: dashed mostly, sometimes spaced or bare (with a context word)."""
    a, g, s = ssn_parts(rng)
    return pick(rng, [f"{a}-{g}-{s}", f"{a}-{g}-{s}", f"{a} {g} {s}", f"{a}{g}{s}"])


# --- CREDIT_CARD ---------------------------------------------------------------------------

def _luhn_complete(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


def luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def card_number(rng: Random) -> str:
    brand = pick(rng, ["visa", "visa", "mc", "mc2", "amex", "discover", "jcb", "diners"])
    prefix, length = {
        "visa": ("4", 16), "mc": (str(rng.randint(51, 55)), 16),
        "mc2": (str(rng.randint(2221, 2720)), 16), "amex": (pick(rng, ["34", "37"]), 15),
        "discover": (pick(rng, ["6011", "65"]), 16), "jcb": (str(rng.randint(3528, 3589)), 16),
        "diners": (pick(rng, ["36", "38"]), 14),
    }[brand]
    return _luhn_complete(prefix + digits(rng, length - len(prefix) - 1))


def group_card(rng: Random, number: str) -> str:
    sep = pick(rng, [" ", " ", "-", ""])
    if len(number) in (14, 15):  # Amex and Diners: 4-6-5 and 4-6-4
        groups = [number[:4], number[4:10], number[10:]]
    else:
        groups = [number[i : i + 4] for i in range(0, len(number), 4)]
    return sep.join(groups)


def card(rng: Random) -> str:
    return group_card(rng, card_number(rng))


# --- IBAN ----------------------------------------------------------------------------------

# Country, then the BBAN's shape: n digits, a upper-case letters, c alphanumerics.
IBAN_SHAPES = {"DE": "18n", "GB": "4a14n", "FR": "10n11c2n", "ES": "20n", "IT": "1a10n12c",
               "NL": "4a10n", "BE": "12n", "CH": "5n12c", "AT": "16n", "PL": "24n", "PT": "21n",
               "IE": "4a14n"}


def _bban(rng: Random, shape: str) -> str:
    out, count = [], ""
    for ch in shape:
        if ch.isdigit():
            count += ch
            continue
        alphabet = {"n": string.digits, "a": string.ascii_uppercase, "c": UPPER_ALNUM}[ch]
        out.append(chars(rng, alphabet, int(count)))
        count = ""
    return "".join(out)


def iban_compact(rng: Random, country: str | None = None) -> str:
    country = country or pick(rng, list(IBAN_SHAPES))
    bban = _bban(rng, IBAN_SHAPES[country])
    rearranged = bban + country + "00"
    number = int("".join(str(int(ch, 36)) for ch in rearranged))
    return f"{country}{98 - number % 97:02d}{bban}"


def iban_ok(value: str) -> bool:
    compact = value.replace(" ", "")
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def iban(rng: Random, country: str | None = None) -> str:
    compact = iban_compact(rng, country)
    if rng.random() < 0.55:
        return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
    return compact


# --- IP_ADDRESS ----------------------------------------------------------------------------

def ipv4(rng: Random) -> str:
    kind = rng.random()
    if kind < 0.25:
        return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if kind < 0.4:
        return f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    first_octet = rng.choice([23, 34, 45, 52, 66, 81, 93, 104, 141, 151, 172, 185, 203, 212])
    return f"{first_octet}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def ipv6(rng: Random) -> str:
    groups = [pick(rng, ["2001", "2a02", "2606", "2a01", "fd12"])] + [
        format(rng.randint(0, 0xFFFF), "x") for _ in range(7)]
    if rng.random() < 0.5:
        cut = rng.randint(2, 5)
        return ":".join(groups[:cut]) + "::" + ":".join(groups[cut + 2 :])
    return ":".join(groups)


def ip(rng: Random) -> str:
    return ipv6(rng) if rng.random() < 0.2 else ipv4(rng)


# --- SECRET --------------------------------------------------------------------------------

def _b64url(rng: Random, n: int) -> str:
    return chars(rng, ALNUM + "-_", n)


VENDOR_KEYS: dict[str, Gen] = {
    "aws": lambda r: "AKIA" + chars(r, UPPER_ALNUM, 16),
    "aws_secret": lambda r: chars(r, ALNUM + "/+", 40),
    "github": lambda r: "ghp_" + chars(r, ALNUM, 36),
    "github_pat": lambda r: "github_pat_" + chars(r, ALNUM, 22) + "_" + chars(r, ALNUM, 59),
    "gitlab": lambda r: "glpat-" + chars(r, ALNUM + "-_", 20),
    "slack": lambda r: f"xoxb-{digits(r, 12)}-{digits(r, 13)}-{chars(r, ALNUM, 24)}",
    "stripe": lambda r: pick(r, ["sk_live_", "rk_live_"]) + chars(r, ALNUM, 24),
    "openai": lambda r: "sk-proj-" + _b64url(r, 48),
    "anthropic": lambda r: "sk-ant-api03-" + _b64url(r, 86) + "AA",
    "google": lambda r: "AIza" + chars(r, ALNUM + "-_", 35),
    "sendgrid": lambda r: "SG." + _b64url(r, 22) + "." + _b64url(r, 43),
    "npm": lambda r: "npm_" + chars(r, ALNUM, 36),
    "twilio": lambda r: "SK" + chars(r, HEX, 32),
    "huggingface": lambda r: "hf_" + chars(r, ALNUM, 34),
    "jwt": lambda r: ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + _b64url(r, 60) + "."
                      + _b64url(r, 43)),
}


def vendor_key(rng: Random) -> str:
    return VENDOR_KEYS[pick(rng, list(VENDOR_KEYS))](rng)


WORDS = ("river", "Falcon", "copper", "Orbit", "maple", "Tango", "quartz", "Lemon", "harbor")


def password(rng: Random) -> str:
    """A password as people choose them for services: mixed, long enough, with symbols."""
    style = rng.random()
    if style < 0.4:
        return chars(rng, ALNUM + "!#%*+-_", rng.randint(14, 24))
    if style < 0.7:
        symbol = pick(rng, ["!", "#", "$", "%", "&"])
        return f"{pick(rng, WORDS)}{rng.randint(10, 999)}{symbol}{pick(rng, WORDS)}"
    return chars(rng, ALNUM, rng.randint(20, 32))


def secret(rng: Random) -> str:
    return vendor_key(rng) if rng.random() < 0.6 else password(rng)


# --- DATE_OF_BIRTH (and dates that are not) ------------------------------------------------

def _ymd(rng: Random, lo: int, hi: int) -> tuple[int, int, int]:
    return rng.randint(lo, hi), rng.randint(1, 12), rng.randint(1, 28)


def date_text(rng: Random, style: str, ymd: tuple[int, int, int]) -> str:
    y, m, d = ymd
    return {
        "iso": f"{y}-{m:02d}-{d:02d}", "us": f"{m:02d}/{d:02d}/{y}", "us_short": f"{m}/{d}/{y}",
        "eu": f"{d:02d}/{m:02d}/{y}", "de": f"{d:02d}.{m:02d}.{y}", "nl": f"{d:02d}-{m:02d}-{y}",
        "long": f"{MONTHS[m - 1]} {d}, {y}", "long_eu": f"{d} {MONTHS[m - 1]} {y}",
        "abbr": f"{d:02d}-{MONTHS[m - 1][:3]}-{y}",
    }[style]


def birth_date(rng: Random, style: str | None = None) -> str:
    style = style or pick(rng, ["iso", "us", "us_short", "eu", "de", "long", "long_eu", "abbr"])
    return date_text(rng, style, _ymd(rng, 1938, 2006))


def other_date(rng: Random, style: str | None = None) -> str:
    style = style or pick(rng, ["iso", "us", "eu", "de", "long", "long_eu", "abbr"])
    return date_text(rng, style, _ymd(rng, 2019, 2026))


def timestamp(rng: Random) -> str:
    y, m, d = _ymd(rng, 2023, 2026)
    h, mi, s = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
    return pick(rng, [f"{y}-{m:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d}",
                      f"{y}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}.{digits(rng, 3)}Z",
                      f"{y}-{m:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d},{digits(rng, 3)}",
                      f"{d:02d}/{MONTHS[m - 1][:3]}/{y}:{h:02d}:{mi:02d}:{s:02d} +0000"])


# --- MEDICAL_RECORD_NUMBER -----------------------------------------------------------------

def mrn(rng: Random) -> str:
    return pick(rng, [digits(rng, 7), digits(rng, 8), "00" + digits(rng, 6), digits(rng, 9),
                      f"{pick(rng, ['A', 'M', 'H'])}{digits(rng, 7)}"])
