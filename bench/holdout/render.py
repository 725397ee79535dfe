"""Texts with exact spans: a builder that records where each labelled value lands.

A template is a string with fields: `{EMAIL}` or `{PHONE:de}` put in a labelled value of that
type (the part after the colon picks a generator), `{order}` an unlabelled filler or hard negative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from random import Random

from . import negatives as n
from . import values as v

TYPES = ("EMAIL", "PHONE", "US_SSN", "CREDIT_CARD", "IBAN", "IP_ADDRESS", "SECRET",
         "DATE_OF_BIRTH", "MEDICAL_RECORD_NUMBER")

LABELLED: dict[str, dict[str, v.Gen]] = {
    "EMAIL": {"": v.email},
    "PHONE": {"": v.phone, **v.PHONES},
    "US_SSN": {"": v.ssn, "any": v.ssn_any},
    "CREDIT_CARD": {"": v.card},
    "IBAN": {"": v.iban, **{c.lower(): (lambda r, c=c: v.iban(r, c)) for c in v.IBAN_SHAPES},
             "compact": v.iban_compact},
    "IP_ADDRESS": {"": v.ip, "v4": v.ipv4, "v6": v.ipv6},
    "SECRET": {"": v.secret, "key": v.vendor_key, "pw": v.password,
               **{name.lower(): key for name, key in v.VENDOR_KEYS.items()}},
    "DATE_OF_BIRTH": {"": v.birth_date,
                      **{s: (lambda r, s=s: v.birth_date(r, s))
                         for s in ("iso", "us", "eu", "de", "nl", "long", "long_eu", "abbr")}},
    "MEDICAL_RECORD_NUMBER": {"": v.mrn},
}

FILLERS: dict[str, v.Gen] = {
    "name": v.name, "first": v.first, "ts": v.timestamp, "date": v.other_date,
    "order": n.order_number, "invoice": n.invoice_number, "tracking": n.tracking_number,
    "npi": n.npi, "accession": n.accession, "version": n.version, "sha": n.sha,
    "sha256": lambda r: n.sha(r, 64), "short_sha": lambda r: n.sha(r, 7), "uuid": n.uuid,
    "rid": n.request_id, "zip4": n.zip4, "isbn": n.isbn, "math": n.arithmetic, "amount": n.amount,
    "placeholder": n.placeholder, "loopback": n.loopback_or_mask, "oid": n.oid, "mac": n.mac,
    "dur": n.duration, "port": n.port, "ref16": n.luhn_fail_16,
    "n2": lambda r: str(r.randint(2, 99)), "n3": lambda r: str(r.randint(100, 999)),
    "n4": lambda r: str(r.randint(1000, 9999)),
    "status": lambda r: v.pick(r, ["200", "201", "204", "400", "403", "404", "500", "503"]),
    "method": lambda r: v.pick(r, ["GET", "POST", "PUT", "DELETE", "PATCH"]),
    "path": lambda r: v.pick(r, ["/api/v1/users", "/v2/orders", "/healthz", "/login",
                                 "/api/invoices/export", "/static/app.js"]),
    "city": lambda r: v.pick(r, ["Berlin", "Lyon", "Madrid", "Turin", "Utrecht", "Porto", "Austin",
                                 "Leeds"]),
    "bind": lambda r: v.pick(r, ["127.0.0.1", "0.0.0.0", "[::1]"]) + ":" + n.port(r),
    "syslog_ts": lambda r: (f"{v.MONTHS[r.randrange(12)][:3]} {r.randint(1, 28):>2} "
                            + ":".join(f"{r.randint(0, top):02d}" for top in (23, 59, 59))),
    "masked_card": lambda r: (v.pick(r, ["**** **** **** ", "XXXX-XXXX-XXXX-", "•••• "])
                              + v.digits(r, 4)),
    "masked_ssn": lambda r: v.pick(r, ["***-**-", "XXX-XX-", "xxx-xx-"]) + v.digits(r, 4),
    "git_remote": lambda r: v.pick(r, ["git@github.com:", "git@gitlab.com:", "git@bitbucket.org:"])
    + v.pick(r, ["acme/app", "globex/infra", "northwind/site"]) + ".git",
    "npm_scoped": lambda r: v.pick(r, ["@types/node", "@babel/core", "@aws-sdk/client-s3"])
    + "@" + n.version(r),
    "year": lambda r: str(r.randint(2019, 2026)),
    "bic": lambda r: v.pick(r, ["DEUTDEFF", "BNPAFRPP", "CAIXESBB", "UNCRITMM", "INGBNL2A",
                                "BPIPPTPL"]),
}

FIELD = re.compile(r"\{([A-Za-z_0-9]+)(?::([a-z_0-9]+))?\}")


@dataclass
class Doc:
    """A text being written, with the spans of what it labels."""

    parts: list[str] = field(default_factory=list)
    spans: list[dict[str, object]] = field(default_factory=list)
    size: int = 0

    def text(self, piece: str) -> Doc:
        self.parts.append(piece)
        self.size += len(piece)
        return self

    def mark(self, type_: str, value: str) -> Doc:
        assert type_ in TYPES, type_
        self.spans.append({"type": type_, "start": self.size, "end": self.size + len(value)})
        return self.text(value)

    def fill(self, rng: Random, template: str) -> Doc:
        """Writes a template, generating each field's value."""
        at = 0
        for match in FIELD.finditer(template):
            self.text(template[at : match.start()])
            key, variant = match.group(1), match.group(2) or ""
            if key in LABELLED:
                self.mark(key, LABELLED[key][variant](rng))
            else:
                self.text(FILLERS[key](rng))
            at = match.end()
        return self.text(template[at:])

    def value(self) -> str:
        return "".join(self.parts)

    def record(self, kind: str) -> dict[str, object]:
        return {"kind": kind, "text": self.value(), "spans": self.spans}


def labelled(rng: Random, type_: str, variant: str = "") -> str:
    return LABELLED[type_][variant](rng)


def render(rng: Random, kind: str, template: str) -> dict[str, object]:
    return Doc().fill(rng, template).record(kind)
