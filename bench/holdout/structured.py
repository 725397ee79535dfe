"""Structured kinds: application logs, CSV and TSV tables, JSON records.

In tables and records the context of a value is its column header or key, often many rows above;
ids sit in the first column. Log lines start and end with numbers (timestamps, byte counts) so
that digits meet across line breaks.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from random import Random

from . import negatives as n
from . import values as v
from .render import Doc, labelled

LOG_LINES = (
    "{ts} INFO  [{rid}] {method} {path} {status} {dur}\n",
    "{ts} WARN  login failed for {EMAIL} from {IP_ADDRESS}\n",
    "{ts} INFO  user {EMAIL} logged in from {IP_ADDRESS:v4} (app {version})\n",
    "{IP_ADDRESS:v4} - - [{ts}] \"{method} {path} HTTP/1.1\" {status} {n4}\n",
    "{ts} DEBUG cache hit key={sha} took {dur}\n",
    "{ts} ERROR upstream {IP_ADDRESS:v4}:{port} reset after {dur}\n",
    "{ts} INFO  sms sent to {PHONE} (template otp_v{n2})\n",
    "{ts} DEBUG headers: Authorization: Bearer {SECRET:key}\n",
    "{ts} INFO  build {short_sha} deployed, version {version}\n",
    "{ts} INFO  order {order} paid, {amount} EUR, request_id={rid}\n",
    "{ts} INFO  client={IP_ADDRESS:v6} bytes={n4}\n",
    "{ts} WARN  retry {n2}/5 for job {uuid}\n",
    "{ts} INFO  listening on {bind}\n",
    "{ts} ERROR payment declined card={CREDIT_CARD} order={order}\n",
    "{ts} INFO  shipment {tracking} label created\n",
    "{ts} DEBUG trace_id={sha} span_id={short_sha} dur={dur}\n",
    "{ts} INFO  payout to {IBAN:compact} queued\n",
    "{ts} INFO  processed {n4} rows in {dur}\n",
    "{n3} {ts} kernel: eth0 link up {mac}\n",
    "{ts} INFO  peer {IP_ADDRESS:v4}\n",
    "{ts} INFO  connect to postgres://app:{SECRET:pw}@{IP_ADDRESS:v4}:5432/main ok\n",
    "{syslog_ts} web-{n2} sshd[{n4}]: Accepted publickey for deploy from {IP_ADDRESS:v4} port {n4}"
    " ssh2\n",
    "{syslog_ts} web-{n2} sshd[{n4}]: Failed password for invalid user admin from {IP_ADDRESS}"
    " port {n4} ssh2\n",
    "{syslog_ts} db-{n2} postgres[{n4}]: duration: {n3}.{n3} ms statement: SELECT 1\n",
    "time=\"{ts}\" level=info msg=\"request done\" ip={IP_ADDRESS} status={status} took={dur}"
    " req={rid}\n",
    "time=\"{ts}\" level=warn msg=\"invite sent\" to={EMAIL} phone=\"{PHONE}\"\n",
    "level=debug ts={ts} caller=main.go:{n3} version={version} commit={short_sha}\n",
    "[{ts}] production.ERROR: SQLSTATE[HY000] for user {EMAIL} at line {n3}\n",
)

LOG_JSON_KEYS = ("level", "msg", "ts", "request_id", "duration_ms", "client_ip", "user")


def log(rng: Random) -> dict[str, object]:
    doc = Doc()
    for _ in range(rng.randint(3, 12)):
        if rng.random() < 0.2:
            _json_log_line(rng, doc)
        else:
            doc.fill(rng, v.pick(rng, LOG_LINES))
    return doc.record("log")


def _json_log_line(rng: Random, doc: Doc) -> None:
    doc.text("{")
    doc.fill(rng, '"ts":"{ts}","level":"info","request_id":"{rid}","duration_ms":{n3},'
                  '"client_ip":"')
    doc.mark("IP_ADDRESS", labelled(rng, "IP_ADDRESS"))
    doc.fill(rng, '","user":"')
    doc.mark("EMAIL", labelled(rng, "EMAIL"))
    doc.text('"}\n')


# A column: header names, and how to make a cell (a labelled type, or None for unlabelled).
Column = tuple[tuple[str, ...], str | None, Callable[[Random], str]]

COLUMNS: tuple[Column, ...] = (
    (("email", "Email", "e-mail", "contact_email"), "EMAIL", v.email),
    (("phone", "Phone", "mobile", "tel", "phone_number"), "PHONE", v.phone),
    (("ssn", "SSN", "social_security_number"), "US_SSN", v.ssn),
    (("card", "card_number", "cc", "Credit Card"), "CREDIT_CARD", v.card),
    (("iban", "IBAN", "bank_account"), "IBAN", v.iban_compact),
    (("ip", "client_ip", "ip_address", "last_login_ip"), "IP_ADDRESS", v.ip),
    (("dob", "DOB", "date_of_birth", "birth_date", "birthdate"), "DATE_OF_BIRTH", v.birth_date),
    (("mrn", "MRN", "medical_record_number"), "MEDICAL_RECORD_NUMBER", v.mrn),
    (("api_key", "token", "secret"), "SECRET", v.vendor_key),
    (("name", "full_name"), None, v.name),
    (("created_at", "updated", "last_seen"), None, v.timestamp),
    (("signup_date", "order_date", "visit_date", "due_date"), None, v.other_date),
    (("order_no", "tracking", "invoice"), None, n.order_number),
    (("amount", "total"), None, n.amount),
    (("zip", "postcode"), None, n.zip4),
    (("version", "app_version"), None, n.version),
    (("npi", "accession"), None, n.npi),
    (("city",), None, lambda r: v.pick(r, ["Berlin", "Lyon", "Austin", "Porto", "Leeds"])),
)

ID_COLUMN: tuple[tuple[str, ...], Callable[[Random], str]] = (
    ("id", "customer_id", "patient_id", "row", "record_id", "employee_id"),
    lambda r: v.pick(r, [v.digits(r, 7), v.digits(r, 8), str(r.randint(1, 99999)), n.uuid(r)]),
)


def table(rng: Random, kind: str) -> dict[str, object]:
    sep = "\t" if kind == "tsv" else v.pick(rng, [",", ",", ";"])
    columns = rng.sample(COLUMNS, rng.randint(3, 6))
    headers = [v.pick(rng, c[0]) for c in columns]
    doc = Doc()
    id_header = v.pick(rng, ID_COLUMN[0]) if rng.random() < 0.8 else None
    doc.text(sep.join(([id_header] if id_header else []) + headers) + "\n")
    for _ in range(rng.randint(12, 20) if rng.random() < 0.12 else rng.randint(2, 8)):
        if id_header:
            doc.text(ID_COLUMN[1](rng) + sep)
        for i, (_, type_, make) in enumerate(columns):
            cell = make(rng)
            quoted = kind == "csv" and sep in cell
            doc.text('"' if quoted else "")
            if type_ and rng.random() < 0.92:
                doc.mark(type_, cell)
            else:
                doc.text("" if type_ else cell)
            doc.text(('"' if quoted else "") + (sep if i < len(columns) - 1 else "\n"))
    return doc.record(kind)


JSON_FIELDS: tuple[tuple[tuple[str, ...], str | None, Callable[[Random], str]], ...] = (
    (("email", "contactEmail", "user_email"), "EMAIL", v.email),
    (("phone", "mobileNumber", "tel"), "PHONE", v.phone),
    (("ssn", "taxpayerSsn"), "US_SSN", v.ssn_any),
    (("card", "cardNumber", "pan"), "CREDIT_CARD", v.card),
    (("iban", "payoutIban"), "IBAN", v.iban),
    (("ip", "remote_addr", "clientIp"), "IP_ADDRESS", v.ip),
    (("dob", "dateOfBirth", "birth_date"), "DATE_OF_BIRTH", v.birth_date),
    (("mrn", "medicalRecordNumber", "patient_mrn"), "MEDICAL_RECORD_NUMBER", v.mrn),
    (("api_key", "accessToken", "client_secret", "password"), "SECRET", v.secret),
    (("id", "orderId", "trackingNumber", "invoice_no"), None, n.order_number),
    (("createdAt", "timestamp"), None, v.timestamp),
    (("visitDate", "shippedOn", "renewal_date"), None, v.other_date),
    (("version", "sdkVersion"), None, n.version),
    (("requestId", "traceId"), None, n.request_id),
    (("sha", "digest"), None, lambda r: "sha256:" + n.sha(r, 64)),
    (("apiKey", "password", "token"), None, n.placeholder),
    (("name", "displayName"), None, v.name),
)


def json_record(rng: Random) -> dict[str, object]:
    doc = Doc()
    pretty = rng.random() < 0.6
    records = rng.randint(1, 3)
    doc.text("[" if records > 1 else "")
    for r in range(records):
        fields = rng.sample(JSON_FIELDS, rng.randint(3, 7))
        doc.text("{" + ("\n" if pretty else ""))
        for i, (keys, type_, make) in enumerate(fields):
            doc.text(("  " if pretty else "") + json.dumps(v.pick(rng, keys)) + ": ")
            value = make(rng)
            bare = type_ is None and value.isdigit() and not value.startswith("0")
            doc.text("" if bare else '"')
            if type_:
                doc.mark(type_, value)
            else:
                doc.text(json.dumps(value)[1:-1])
            doc.text("" if bare else '"')
            doc.text(("," if i < len(fields) - 1 else "") + ("\n" if pretty else " "))
        doc.text("}" + ("," if r < records - 1 else "") + ("\n" if pretty else ""))
    doc.text("]" if records > 1 else "")
    return doc.record("json")
