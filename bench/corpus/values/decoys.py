"""Numbers and tokens that look like findings and are not: times, versions, ids, amounts."""

from __future__ import annotations

import datetime as dt
import string
import uuid as uuidlib
from random import Random

from .dates import MONTHS


def moment(rng: Random) -> dt.datetime:
    start = dt.datetime(2023, 1, 1)
    return start + dt.timedelta(seconds=rng.randint(0, 3 * 365 * 86400))


def timestamp(rng: Random, when: dt.datetime | None = None, style: str | None = None) -> str:
    """A log timestamp in one of the formats real software writes."""
    t = when or moment(rng)
    ms = rng.randint(0, 999)
    mon = MONTHS["en"][t.month - 1][:3]
    shapes = {
        "iso_z": f"{t:%Y-%m-%dT%H:%M:%S}.{ms:03d}Z",
        "iso_offset": f"{t:%Y-%m-%dT%H:%M:%S}+0{rng.randint(0, 2)}:00",
        "space": f"{t:%Y-%m-%d %H:%M:%S}",
        "python": f"{t:%Y-%m-%d %H:%M:%S},{ms:03d}",
        "java": f"{t:%Y-%m-%d %H:%M:%S}.{ms:03d}",
        "syslog": f"{mon} {t.day:2d} {t:%H:%M:%S}",
        "clf": f"{t:%d}/{mon}/{t:%Y:%H:%M:%S} +0000",
        "go": f"{t:%Y/%m/%d %H:%M:%S}",
        "us": f"{t:%m/%d/%Y %H:%M:%S}",
        "ctime": f"{t:%a} {mon} {t.day:2d} {t:%H:%M:%S} {t.year}",
        "compact": f"{t:%Y%m%dT%H%M%S}Z",
        "epoch": str(int(t.replace(tzinfo=dt.UTC).timestamp())),
        "epoch_ms": str(int(t.replace(tzinfo=dt.UTC).timestamp()) * 1000 + ms),
        "dmy": f"{t:%d-}{mon}{t:-%Y %H:%M:%S}",
    }
    return shapes[style] if style else rng.choice(list(shapes.values()))


def plain_date(rng: Random) -> str:
    t = moment(rng)
    return rng.choice(
        (f"{t:%Y-%m-%d}", f"{t:%m/%d/%Y}", f"{t:%d.%m.%Y}", f"{t:%B} {t.day}, {t.year}",
         f"{t.day} {t:%b} {t.year}", f"{t:%d/%m/%Y}")
    )


def uuid(rng: Random) -> str:
    return str(uuidlib.UUID(int=rng.getrandbits(128), version=4))


def hex_id(rng: Random, count: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(count))


def request_id(rng: Random) -> str:
    return rng.choice(
        (f"req_{hex_id(rng, 24)}", uuid(rng), f"{hex_id(rng, 8)}-{hex_id(rng, 4)}",
         "01J" + "".join(rng.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(23)),
         f"Root=1-{hex_id(rng, 8)}-{hex_id(rng, 24)}")
    )


def trace_id(rng: Random) -> str:
    return hex_id(rng, 32)


def semver(rng: Random) -> str:
    return f"{rng.randint(0, 12)}.{rng.randint(0, 40)}.{rng.randint(0, 30)}"


PACKAGES = (
    "requests", "numpy", "pandas", "django", "flask", "urllib3", "boto3", "sqlalchemy",
    "pydantic", "fastapi", "celery", "redis", "psycopg2-binary", "cryptography", "pytest",
)
NPM_PACKAGES = ("lodash", "react", "express", "axios", "@types/node", "@babel/core", "webpack",
                "typescript", "next", "@angular/core", "chalk", "dotenv")


def package_pin(rng: Random) -> str:
    return f"{rng.choice(PACKAGES)}=={semver(rng)}"


def npm_specifier(rng: Random) -> str:
    return f"{rng.choice(NPM_PACKAGES)}@{rng.choice(('', '^', '~'))}{semver(rng)}"


def order_number(rng: Random) -> str:
    digits = string.digits
    return rng.choice(
        (
            f"{rng.randint(100, 999)}-{rng.randint(10**6, 10**7 - 1)}-"
            f"{rng.randint(10**6, 10**7 - 1)}",
            f"#{rng.randint(1001, 99999)}",
            f"ORD-{rng.randint(2021, 2025)}-{rng.randint(1, 999999):06d}",
            f"SO-{rng.randint(10000, 99999)}", "".join(rng.choice(digits) for _ in range(10)),
            f"PO{rng.randint(100000, 9999999)}",
        )
    )


def invoice_number(rng: Random) -> str:
    return rng.choice(
        (
            f"INV-{rng.randint(2022, 2025)}-{rng.randint(1, 99999):05d}",
            f"{rng.randint(100000, 999999)}",
            f"RE-{rng.randint(2022, 2025)}{rng.randint(1, 9999):04d}",
            f"F{rng.randint(2022, 2025)}/{rng.randint(1, 9999)}",
        )
    )


def tracking_number(rng: Random) -> str:
    digits = string.digits
    upper = string.ascii_uppercase + digits

    def draw(alphabet: str, count: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(count))

    return rng.choice(
        (
            f"1Z{draw(upper, 6)}{draw(digits, 10)}",  # UPS
            draw(digits, 12),  # FedEx Express
            draw(digits, 15),  # FedEx Ground
            f"9400 1{draw(digits, 3)} {draw(digits, 4)} {draw(digits, 4)} {draw(digits, 4)} "
            f"{draw(digits, 2)}",  # USPS
            draw(digits, 10),  # DHL Express
            f"JJD{draw(digits, 18)}",  # DHL Paket
            f"LX{draw(digits, 9)}DE",  # postal, UPU S10
        )
    )


def amount(rng: Random) -> str:
    value = rng.randint(100, 2_500_000) / 100
    return rng.choice((f"${value:,.2f}", f"{value:,.2f} EUR", f"€{value:.2f}", f"£{value:,.2f}",
                       f"{value:.2f}"))


def port(rng: Random) -> str:
    return str(rng.choice((80, 443, 5432, 6379, 8080, 8443, 3306, 9200, 27017, 5672, 11211, 3000)))


def duration_ms(rng: Random) -> str:
    return str(rng.randint(1, 120000))


def arithmetic(rng: Random) -> str:
    a, b = rng.randint(100, 99999), rng.randint(1000, 99999)
    op = rng.choice(("*", "+", "-"))
    result = a * b if op == "*" else a + b if op == "+" else a - b
    return f"{a} {op} {b} = {result}"


def measurement(rng: Random) -> str:
    return rng.choice(
        (f"{rng.randint(640, 7680)}x{rng.randint(480, 4320)}", f"{rng.randint(1, 999)} mg",
         f"{rng.randint(100, 999999)} bytes", f"{rng.randint(1, 64)} GiB",
         f"{rng.randint(10, 99)} kg",
         f"{rng.randint(1000, 999999)} rows", f"{rng.randint(50, 300)}/{rng.randint(30, 120)} mmHg")
    )


def git_sha(rng: Random, count: int = 40) -> str:
    return hex_id(rng, count)


def git_remote(rng: Random) -> str:
    org = rng.choice(("acme", "globex-eng", "platform", "data-team"))
    repo = rng.choice(("billing-api", "infra", "web", "ml-pipeline", "gateway"))
    host = rng.choice(("github.com", "gitlab.com", "bitbucket.org", "git.acme.io"))
    return f"git@{host}:{org}/{repo}.git"


def handle(rng: Random) -> str:
    return "@" + rng.choice(("jdoe", "maria_g", "devops-bot", "priya.s", "oncall", "kwame"))


def employee_id(rng: Random) -> str:
    return rng.choice((f"E{rng.randint(10000, 99999)}", f"{rng.randint(100000, 999999)}",
                       f"EMP-{rng.randint(1000, 9999)}"))


def customer_id(rng: Random) -> str:
    return rng.choice((f"CUST-{rng.randint(10000, 999999)}", f"{rng.randint(1000000, 99999999)}",
                       f"cus_{hex_id(rng, 14)}"))


def isbn(rng: Random) -> str:
    return rng.choice(("978-3-16-148410-0", "978-0-306-40615-7", "978-1-4028-9462-6",
                       "978-0-13-235088-4"))


def age(rng: Random) -> str:
    return str(rng.randint(19, 94))
