"""Write the labelled sensitivity evaluation set (deterministic; rerun to regenerate).

Each line: {"text": ..., "entities": [{"type", "start", "end"}]}. Positives are built from values
that pass their validators; hard negatives are look-alikes the detectors must leave alone.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "sensitivity_eval.jsonl"

Value = tuple[str, str | None]  # (text, entity type or None for a hard negative)


def luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    for check in "0123456789":
        digits = body + check
        total = 0
        for i, ch in enumerate(reversed(digits)):
            v = int(ch) * (2 if i % 2 else 1)
            total += v - 9 if v > 9 else v
        if total % 10 == 0:
            return digits
    raise AssertionError


def iban(country: str, bban: str) -> str:
    rearranged = bban + country + "00"
    number = int("".join(str(int(c, 36)) for c in rearranged))
    return f"{country}{98 - number % 97:02d}{bban}"


def group(value: str, size: int = 4, sep: str = " ") -> str:
    return sep.join(value[i : i + size] for i in range(0, len(value), size))


def card(rng: random.Random) -> Value:
    prefix, length = rng.choice([("4", 16), ("51", 16), ("2221", 16), ("37", 15), ("6011", 16)])
    digits = luhn_complete(prefix, length, rng)
    style = rng.choice(["plain", "space", "dash"])
    if style == "plain" or length == 15:
        return digits, "CREDIT_CARD"
    return group(digits, 4, " " if style == "space" else "-"), "CREDIT_CARD"


def card_negative(rng: random.Random) -> Value:
    digits = luhn_complete("4", 16, rng)
    bad = digits[:-1] + str((int(digits[-1]) + 1) % 10)
    return rng.choice(
        [
            group(bad),
            f"4111 **** **** {digits[-4:]}",
            f"IMEI {luhn_complete('35', 15, rng)}",
            f"ORD-{digits}",
            f"tracking 1Z{rng.randint(10**15, 10**16 - 1)}",
        ]
    ), None


def ssn(rng: random.Random) -> Value:
    area = rng.choice([n for n in range(1, 900) if n != 666])
    value = f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"
    return (value if rng.random() < 0.7 else value.replace("-", " ")), "US_SSN"


def ssn_negative(rng: random.Random) -> Value:
    return rng.choice(
        [
            f"000-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
            f"666-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
            f"9{rng.randint(10, 99)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
            f"123-00-{rng.randint(1000, 9999)}",
            f"last 4 of SSN: {rng.randint(1000, 9999)}",
        ]
    ), None


def phone(rng: random.Random) -> Value:
    return rng.choice(
        [
            f"({rng.choice(['415', '212', '646', '312'])}) 555-{rng.randint(1000, 1999)}",
            f"{rng.choice(['415', '212', '646'])}-{rng.randint(200, 999)}-"
            f"{rng.randint(1000, 9999)}",
            "+1 415 555 2671",
            "+44 20 7946 0958",
            "020 7946 0958",
            "+49 30 901820",
            "+33 1 42 68 53 00",
            "0033 1 42 68 53 00",
            "+61 2 9374 4000",
            "+91 98765 43210",
            "+31 20 624 1111",
            "+81 3-3224-9999",
            "+41 44 668 18 00",
            "+353 1 234 5678",
            "07911 123456",
        ]
    ), "PHONE"


def phone_negative(rng: random.Random) -> Value:
    return rng.choice(
        [
            f"order #{rng.randint(10**9, 10**10 - 1)}",
            f"timestamp {rng.randint(1_600_000_000, 1_800_000_000)}",
            "pi is 3.14159265358",
            f"build 2024.{rng.randint(1, 12)}.{rng.randint(1, 28)}",
            f"on {rng.randint(2000, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        ]
    ), None


def email(rng: random.Random) -> Value:
    user = rng.choice(["john.doe", "a.smith+news", "ops_team", "maria"])
    domain = rng.choice(["example.com", "corp.example.co.uk", "mail.example.org"])
    return f"{user}@{domain}", "EMAIL"


def email_negative(rng: random.Random) -> Value:
    return rng.choice(
        [
            "git@github.com:acme/api.git",
            "lodash@4.17.21",
            "@maria_dev",
            "@app.route('/x')",
            "icon@2x.png",
        ]
    ), None


def iban_value(rng: random.Random) -> Value:
    country, bban = rng.choice(
        [
            ("DE", f"{rng.randint(10**17, 10**18 - 1)}"),
            ("GB", f"WEST{rng.randint(10**13, 10**14 - 1)}"),
            ("FR", f"{rng.randint(10**22, 10**23 - 1)}"),
            ("NL", f"ABNA{rng.randint(10**9, 10**10 - 1)}"),
        ]
    )  # fmt: skip
    value = iban(country, bban)
    return (group(value) if rng.random() < 0.5 else value), "IBAN"


def iban_negative(rng: random.Random) -> Value:
    value = iban("DE", f"{rng.randint(10**17, 10**18 - 1)}")
    return value[:4] + ("1" if value[4] != "1" else "2") + value[5:], None


def ip(rng: random.Random) -> Value:
    return rng.choice(
        [
            f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            f"{rng.randint(11, 99)}.{rng.randint(0, 255)}."
            f"{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            "2001:db8:85a3::8a2e:370:7334",
            "fe80::1ff:fe23:4567:890a",
        ]
    ), "IP_ADDRESS"


def ip_negative(rng: random.Random) -> Value:
    return rng.choice(
        ["127.0.0.1", "0.0.0.0", "::1", "255.255.255.0", "version 1.2.3.4", "OID 1.3.6.1.4.1.311",
         "00:1A:2B:3C:4D:5E", "10.0.0.1.nip.io"]
    ), None  # fmt: skip


def secret(rng: random.Random) -> Value:
    alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    tail = "".join(rng.choice(alnum) for _ in range(40))
    return rng.choice(
        [
            "AKIA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16)),
            "sk-proj-" + tail,
            "sk-ant-api03-" + tail,
            "ghp_" + tail[:36],
            "xoxb-" + tail[:24],
            "sk_live_" + tail[:24],
            "AIza" + tail[:35],
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0." + tail[:30],
        ]
    ), "SECRET"


def secret_negative(rng: random.Random) -> Value:
    return rng.choice(
        [
            "password: ${DB_PASSWORD}",
            "export KEY=$OPENAI_API_KEY",
            "token: {{ secrets.GH_TOKEN }}",
            "max_tokens=4096",
            "token_expiry_seconds: 3600",
            "sk-...abcd",
            "d41d8cd98f00b204e9800998ecf8427e",
            "550e8400-e29b-41d4-a716-446655440000",
            "request id req_8f3a2b1c",
        ]
    ), None


def dob(rng: random.Random) -> Value:
    return (
        f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{rng.randint(1940, 2005)}",
        "DATE_OF_BIRTH",
    )


def mrn(rng: random.Random) -> Value:
    return f"{rng.randint(10**6, 10**8)}", "MEDICAL_RECORD_NUMBER"


def health_negative(rng: random.Random) -> Value:
    return rng.choice(
        ["encounter 4455667", "accession no. 77881234", "room 1204, bed 3", "NPI 1234567893",
         "CPT 99213", "ICD-10 E11.9", "DOB: [REDACTED]", "a patient aged 54", "visit on 03/04/2021"]
    ), None  # fmt: skip


Template = tuple[str, Callable[[random.Random], Value]]

TEMPLATES: list[Template] = [
    ("Please charge my card {} for the renewal.", card),
    ("The number on file was {} but it bounced.", card_negative),
    ("Employee SSN {} must be verified by HR.", ssn),
    ("The form shows {} which looks wrong.", ssn_negative),
    ("You can reach the front desk at {} during office hours.", phone),
    ("Reference: {} was shipped yesterday.", phone_negative),
    ("Forward the report to {} before Friday.", email),
    ("Clone {} and install the dependencies.", email_negative),
    ("Wire the refund to IBAN {} please.", iban_value),
    ("The IBAN {} failed validation.", iban_negative),
    ("The server at {} stopped answering pings.", ip),
    ("Listen on {} as configured.", ip_negative),
    ("Our deploy script still contains {} in plain text.", secret),
    ("The config reads {} at start-up.", secret_negative),
    ("Patient John Roe, DOB: {}, was admitted on 02/03/2024.", dob),
    ("Patient chart MRN: {} ready for the ward round.", mrn),
    ("The discharge note lists {} for the billing team.", health_negative),
]

FILLER = (
    "Summarise the quarterly planning notes for the platform team. The migration to the new "
    "cluster finished in week 32 and latency went down by 18 percent. "
)


def build(count: int, seed: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        pieces = [FILLER] if rng.random() < 0.5 else []
        entities = []
        for _ in range(rng.randint(1, 3)):
            template, make = rng.choice(TEMPLATES)
            value, entity = make(rng)
            before, after = template.split("{}")
            prefix = "".join(pieces) + before
            if entity is not None:
                entities.append(
                    {"type": entity, "start": len(prefix), "end": len(prefix) + len(value)}
                )
            pieces.append(before + value + after + " ")
        rows.append({"text": "".join(pieces), "entities": entities})
    return rows


def main() -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    rows = build(count=600, seed=20261125)
    with OUT.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} labelled texts to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
