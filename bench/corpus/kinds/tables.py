"""CSV exports: a header row, then rows whose only context is the column's header.

A table writes all its dates one way, so a birth date and a hire date look alike and only the
header tells them apart; the first column is usually an id.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
from random import Random

from ..document import (
    CREDIT_CARD,
    DATE_OF_BIRTH,
    IBAN,
    PHONE,
    US_SSN,
    Document,
    Piece,
    Sample,
    labelled,
    plain,
)
from ..slots import LABELLED
from ..template import Fill
from ..values import cards, dates, decoys, ibans, ip_addresses, medical, people, phones, ssns

KIND = "csv"


@dataclass(frozen=True)
class Style:
    """How one export writes its values."""

    date: Callable[[object], str]
    delimiter: str
    bare_numbers: bool  # SSNs without dashes, phones without separators
    quote_all: bool  # some exporters quote every field
    sequential_ids: bool  # a row number rather than a database key


Cell = Callable[[Random, Style], Piece]


def _date_style(rng: Random) -> Callable[[object], str]:
    shapes: tuple[Callable[[object], str], ...] = (
        lambda d: f"{d:%Y-%m-%d}", lambda d: f"{d:%m/%d/%Y}", lambda d: f"{d:%d.%m.%Y}",
        lambda d: f"{d:%d/%m/%Y}", lambda d: f"{d:%Y%m%d}",
    )
    return rng.choices(shapes, (5, 4, 2, 2, 1))[0]


def _phone(rng: Random, style: Style) -> Piece:
    if style.bare_numbers and rng.random() < 0.5:
        return labelled(PHONE, phones.us_phone(rng).replace("-", "").replace(" ", "")
                        .replace("(", "").replace(")", "").replace(".", ""))
    return labelled(PHONE, phones.any_phone(rng))


def _ssn(rng: Random, style: Style) -> Piece:
    return labelled(US_SSN, ssns.ssn(rng, "" if style.bare_numbers else "-"))


def _card(rng: Random, style: Style) -> Piece:
    digits, brand = cards.card_digits(rng)
    written = digits if style.bare_numbers else cards.printed(rng, digits, brand)
    return labelled(CREDIT_CARD, written)


def _iban(rng: Random, style: Style) -> Piece:
    electronic = ibans.iban_electronic(rng)
    return labelled(IBAN, electronic if rng.random() < 0.8 else ibans.printed(electronic))


def _recent(rng: Random, style: Style) -> Piece:
    return plain(style.date(dates.recent_date(rng)))


def _shared(name: str) -> Cell:
    """A value every kind makes alike (an email, an MRN, an address)."""
    return lambda rng, style: Fill(rng, LABELLED)[name]


def _digits(rng: Random, count: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(count))


CELLS: dict[str, Cell] = {
    "id": lambda r, s: plain(str(r.randint(1000, 9_999_999))),
    "first": lambda r, s: plain(r.choice(people.FIRST_NAMES)),
    "last": lambda r, s: plain(r.choice(people.LAST_NAMES)),
    "name": lambda r, s: plain(f"{r.choice(people.FIRST_NAMES)} {r.choice(people.LAST_NAMES)}"),
    "email": _shared("email"),
    "phone": _phone,
    "dob": lambda r, s: labelled(DATE_OF_BIRTH, s.date(dates.birth_date(r))),
    "ssn": _ssn,
    "mrn": _shared("mrn"),
    "iban": _iban,
    "card": _card,
    "ip": _shared("ip"),
    "recent": _recent,
    "timestamp": lambda r, s: plain(decoys.timestamp(r, style=r.choice(("iso_z", "space")))),
    "amount": lambda r, s: plain(f"{r.randint(100, 900_000) / 100:.2f}"),
    "country": lambda r, s: plain(r.choice(("US", "DE", "FR", "GB", "NL", "ES", "IT", "CA"))),
    "sex": lambda r, s: plain(r.choice(("F", "M", "X"))),
    "room": lambda r, s: plain(medical.room(r)),
    "npi": lambda r, s: plain(medical.npi(r)),
    "accession": lambda r, s: plain(medical.accession_number(r)),
    "cpt": lambda r, s: plain(medical.cpt(r)),
    "encounter": lambda r, s: plain(medical.encounter_number(r)),
    "member": lambda r, s: plain(medical.member_id(r)),
    "claim": lambda r, s: plain(medical.claim_number(r)),
    "department": lambda r, s: plain(r.choice(("Finance", "Engineering", "Sales", "HR", "Ops"))),
    "salary": lambda r, s: plain(str(r.randint(38, 240) * 1000)),
    "bic": lambda r, s: plain(ibans.bic(r, r.choice(ibans.COMMON))),
    "status": lambda r, s: plain(r.choice(("succeeded", "failed", "refunded", "pending"))),
    "currency": lambda r, s: plain(r.choice(("USD", "EUR", "GBP"))),
    "host": lambda r, s: plain(f"{r.choice(('web', 'db', 'cache'))}-{r.randint(1, 40):02d}"),
    "mac": lambda r, s: plain(ip_addresses.mac_address(r)),
    "version_quad": lambda r, s: plain(ip_addresses.version_quad(r)),
    "version": lambda r, s: plain(decoys.semver(r)),
    "sha": lambda r, s: plain(decoys.git_sha(r, 12)),
    "order": lambda r, s: plain(decoys.order_number(r).lstrip("#")),
    "sku": lambda r, s: plain(f"SKU-{_digits(r, 6)}"),
    "qty": lambda r, s: plain(str(r.randint(1, 40))),
    "tracking": lambda r, s: plain(decoys.tracking_number(r).replace(" ", "")),
    "percent": lambda r, s: plain(f"{r.randint(0, 1000) / 10}"),
    "count": lambda r, s: plain(str(r.randint(0, 5_000_000))),
    "last4": lambda r, s: plain(ssns.last_four(r)),
    "zip": lambda r, s: plain(f"{r.randint(1001, 99950):05d}"),
    "age": lambda r, s: plain(decoys.age(r)),
    "company": lambda r, s: plain(people.company(r)[0]),
    "vat": lambda r, s: plain(f"{r.choice(('DE', 'FR', 'NL', 'IT'))}{_digits(r, 9)}"),
    "test": lambda r, s: plain(r.choice(("HbA1c", "CBC", "Lipid panel", "TSH", "BMP"))),
    "result": lambda r, s: plain(f"{r.randint(10, 999) / 10}"),
    "plan": lambda r, s: plain(r.choice(("PPO Gold", "HMO Basic", "EPO Silver"))),
    "city": lambda r, s: plain(r.choice(people.CITIES)),
}

# Each column: the header spellings seen in real exports, and the cell maker.
HEADERS: dict[str, tuple[str, ...]] = {
    "email": ("email", "Email", "e-mail", "email_address", "EmailAddress", "contact_email"),
    "phone": ("phone", "Phone", "phone_number", "mobile", "tel", "PhoneNumber", "cell"),
    "dob": ("dob", "DOB", "date_of_birth", "birth_date", "BirthDate", "Date of Birth"),
    "ssn": ("ssn", "SSN", "social_security_number", "ssn_full", "SocialSecurityNo"),
    "mrn": ("mrn", "MRN", "medical_record_number", "med_rec_no", "MedicalRecordNo"),
    "iban": ("iban", "IBAN", "bank_iban", "account_iban", "payee_iban"),
    "card": ("card_number", "card", "cc_number", "pan", "CardNumber"),
    "ip": ("ip", "ip_address", "client_ip", "src_ip", "IPAddress", "remote_addr"),
}

SCHEMAS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("id", "id"), ("first_name", "first"), ("last_name", "last"), ("", "email"), ("", "phone"),
     ("country", "country"), ("created_at", "timestamp")),
    (("id", "id"), ("", "mrn"), ("last_name", "last"), ("first_name", "first"), ("", "dob"),
     ("sex", "sex"), ("admit_date", "recent"), ("room", "room"), ("attending_npi", "npi")),
    (("employee_id", "id"), ("full_name", "name"), ("", "ssn"), ("", "dob"),
     ("hire_date", "recent"), ("department", "department"), ("salary", "salary")),
    (("employee_id", "id"), ("name", "name"), ("", "iban"), ("bic", "bic"),
     ("net_pay", "amount"), ("pay_date", "recent")),
    (("txn_id", "id"), ("created_at", "timestamp"), ("", "card"), ("amount", "amount"),
     ("currency", "currency"), ("status", "status"), ("", "ip")),
    (("hostname", "host"), ("", "ip"), ("mac", "mac"), ("agent_version", "version_quad"),
     ("last_seen", "timestamp")),
    (("name", "name"), ("company", "company"), ("", "email"), ("", "phone"),
     ("last_contacted", "recent")),
    (("row", "id"), ("", "mrn"), ("accession", "accession"), ("test", "test"), ("cpt", "cpt"),
     ("result", "result"), ("collected_at", "timestamp")),
    (("member_id", "member"), ("name", "name"), ("", "dob"), ("", "phone"), ("plan", "plan"),
     ("claim_no", "claim"), ("service_date", "recent")),
    (("id", "id"), ("", "email"), ("", "ip"), ("signup_ts", "timestamp"), ("country", "country")),
    (("vendor", "company"), ("", "email"), ("", "phone"), ("", "iban"), ("vat_id", "vat")),
    (("id", "id"), ("name", "name"), ("", "dob"), ("", "phone"), ("city", "city"), ("zip", "zip")),
    (("encounter", "encounter"), ("", "mrn"), ("", "dob"), ("age", "age"), ("room", "room"),
     ("discharge_date", "recent")),
    (("customer_id", "id"), ("", "card"), ("card_last4", "last4"), ("exp", "qty"),
     ("", "email")),
)

# Tables with no sensitive column: what most CSVs pasted into prompts are.
QUIET_SCHEMAS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("order_id", "order"), ("sku", "sku"), ("qty", "qty"), ("unit_price", "amount"),
     ("shipped_at", "recent"), ("tracking", "tracking")),
    (("timestamp", "timestamp"), ("host", "host"), ("cpu_pct", "percent"), ("mem_mb", "count"),
     ("p99_ms", "count"), ("requests", "count")),
    (("service", "host"), ("version", "version"), ("build", "version_quad"), ("commit", "sha"),
     ("deployed_at", "timestamp")),
    (("id", "id"), ("invoice_date", "recent"), ("due_date", "recent"), ("amount", "amount"),
     ("status", "status")),
    (("encounter", "encounter"), ("room", "room"), ("cpt", "cpt"), ("npi", "npi"),
     ("visit_date", "recent"), ("age", "age")),
    (("claim_no", "claim"), ("member_id", "member"), ("service_date", "recent"),
     ("billed", "amount"), ("paid", "amount")),
)


def _quoted(piece: Piece, style: Style) -> list[Piece]:
    if style.quote_all or style.delimiter in piece.text or " " in piece.text:
        return [plain('"'), piece, plain('"')]
    return [piece]


def make(rng: Random) -> Sample:
    quiet = rng.random() < 0.35
    schema = rng.choice(QUIET_SCHEMAS if quiet else SCHEMAS)
    style = Style(
        _date_style(rng), rng.choices((",", ";", "\t"), (6, 2, 1))[0], rng.random() < 0.4,
        rng.random() < 0.25, rng.random() < 0.4,
    )
    header = [name or rng.choice(HEADERS[cell]) for name, cell in schema]
    if rng.random() < 0.3:
        header = [h.upper() if h.islower() else h for h in header]
    doc = Document()
    doc.add(style.delimiter.join(f'"{h}"' if " " in h else h for h in header) + "\n")
    for row in range(rng.randint(3, 8)):
        cells = [CELLS[cell](rng, style) for _, cell in schema]
        if schema[0][1] == "id" and style.sequential_ids:
            cells[0] = plain(str(1000 + row))
        for i, piece in enumerate(cells):
            if i:
                doc.add(style.delimiter)
            for part in _quoted(piece, style):
                doc.add(part)
        doc.add("\n")
    return doc.sample(KIND)
