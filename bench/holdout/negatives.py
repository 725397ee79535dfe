"""Hard negatives for the held-out corpus: what people paste beside findings and is none.

Ids a phone library would take for a phone, references that fail Luhn, versions that parse as
addresses, digests, placeholders where a credential would go.
"""

from __future__ import annotations

from random import Random

from .values import ALNUM, HEX, UPPER_ALNUM, US_AREAS, card_number, chars, digits, pick


def order_number(rng: Random) -> str:
    """Ten to twelve digits: often a number a phone library would take for a phone."""
    return pick(rng, [f"{rng.randint(2, 9)}{digits(rng, 9)}", digits(rng, 12),
                      f"{pick(rng, US_AREAS)}{rng.randint(2, 9)}{digits(rng, 6)}"])


def invoice_number(rng: Random) -> str:
    return pick(rng, [f"INV-{rng.randint(2021, 2026)}-{digits(rng, 5)}", f"{digits(rng, 8)}",
                      f"RE{digits(rng, 9)}"])


def tracking_number(rng: Random) -> str:
    return pick(rng, ["1Z" + chars(rng, UPPER_ALNUM, 16), digits(rng, 12), "9400" + digits(rng, 18),
                      digits(rng, 10)])


def npi(rng: Random) -> str:
    body = pick(rng, ["1", "2"]) + digits(rng, 8)
    total = 24
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


def accession(rng: Random) -> str:
    return pick(rng, [f"{pick(rng, ['S', 'CT', 'MR'])}{rng.randint(21, 26)}-{digits(rng, 6)}",
                      digits(rng, 10), f"ACC{digits(rng, 8)}"])


def version(rng: Random) -> str:
    a, b, c, d = rng.randint(0, 12), rng.randint(0, 40), rng.randint(0, 30), rng.randint(0, 999)
    return pick(rng, [f"{a}.{b}.{c}", f"{a or 1}.{b % 21}.{c}.{d}",
                      f"{a or 1}.{b % 10}.{c % 10}-rc.{d % 5 + 1}"])


def sha(rng: Random, n: int = 40) -> str:
    return chars(rng, HEX, n)


def uuid(rng: Random) -> str:
    h = sha(rng, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{pick(rng, list('89ab'))}{h[17:20]}-{h[20:]}"


def request_id(rng: Random) -> str:
    return pick(rng, [uuid(rng), "req_" + chars(rng, ALNUM, 24), sha(rng, 16),
                      f"{digits(rng, 13)}-{digits(rng, 4)}"])


def zip4(rng: Random) -> str:
    return f"{digits(rng, 5)}-{digits(rng, 4)}"


def isbn(rng: Random) -> str:
    body = "978" + digits(rng, 9)
    check = (10 - sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body)) % 10) % 10
    b = body + str(check)
    return pick(rng, [f"{b[:3]}-{b[3]}-{b[4:7]}-{b[7:12]}-{b[12]}", b])


def arithmetic(rng: Random) -> str:
    a, b = rng.randint(1000, 99999), rng.randint(100, 9999)
    return pick(rng, [f"{a} * {b} = {a * b}", f"{a} + {b} = {a + b}", f"{a * b} / {b} = {a}"])


def amount(rng: Random) -> str:
    return pick(rng, [f"{rng.randint(1, 9999)}.{digits(rng, 2)}",
                      f"{rng.randint(1, 99)},{digits(rng, 3)}.{digits(rng, 2)}",
                      f"{rng.randint(1, 9)}.{digits(rng, 3)},{digits(rng, 2)}"])


def placeholder(rng: Random) -> str:
    return pick(rng, ["<your-key>", "changeme", "xxxxxxxxxxxx", "${DB_PASSWORD}", "<API_KEY>",
                      "sk-...", "YOUR_API_KEY_HERE", "********", "{{ secrets.TOKEN }}",
                      "REPLACE_ME",
                      "$(cat /run/secrets/db)", "%(password)s", "<password>", "xxxx-xxxx-xxxx",
                      "sk-****" + chars(rng, ALNUM, 4), "null", "example"])


def loopback_or_mask(rng: Random) -> str:
    return pick(rng, ["127.0.0.1", "0.0.0.0", "255.255.255.0", "255.255.0.0", "::1",
                      "255.255.255.255"])


def oid(rng: Random) -> str:
    return f"1.3.6.1.4.1.{rng.randint(1000, 60000)}.{rng.randint(1, 9)}.{rng.randint(1, 30)}"


def mac(rng: Random) -> str:
    return ":".join(chars(rng, HEX, 2) for _ in range(6))


def duration(rng: Random) -> str:
    return pick(rng, [f"{rng.randint(1, 4000)}ms", f"{rng.randint(0, 59)}.{digits(rng, 3)}s",
                      f"{rng.randint(100, 999999)}µs"])


def port(rng: Random) -> str:
    return pick(rng, ["5432", "6379", "8080", "443", "3306", "2222", "9200", "27017"])


def luhn_fail_16(rng: Random) -> str:
    """Sixteen digits that fail Luhn: a reference, not a card."""
    n = card_number(rng)
    while len(n) != 16:
        n = card_number(rng)
    return n[:-1] + str((int(n[-1]) + rng.randint(1, 9)) % 10)
