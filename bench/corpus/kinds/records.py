"""JSON records: API responses, webhooks, FHIR resources, configs; keys are the context."""

from __future__ import annotations

from collections.abc import Callable
from random import Random

from ..document import DATE_OF_BIRTH, US_SSN, Document, Sample, labelled
from ..json_text import Joined, Json, write
from ..slots import COMMON
from ..template import Fill
from ..values import dates, decoys, ssns

KIND = "json"


def _ts(f: Fill) -> str:
    return decoys.timestamp(f.rng, style="iso_z")


def _epoch(f: Fill) -> int:
    return int(decoys.timestamp(f.rng, style="epoch"))


def customer(f: Fill) -> Json:
    return {"data": {
        "id": f"cus_{decoys.hex_id(f.rng, 14)}", "object": "customer", "name": f["name"].text,
        "email": f["email"], "phone": f["phone"], "created": _epoch(f),
        "address": {"line1": f["address"].text, "postal_code": str(f.rng.randint(10000, 99999))},
        "metadata": {"order_id": f["order_no"].text, "crm_id": f["uuid"].text},
    }}


def fhir_patient(f: Fill) -> Json:
    return {
        "resourceType": "Patient", "id": f["uuid"].text,
        "meta": {"versionId": "3", "lastUpdated": _ts(f)},
        "identifier": [
            {"use": "usual", "type": {"coding": [{"system": "http://terminology.hl7.org/"
             "CodeSystem/v2-0203", "code": "MR"}], "text": "MRN"},
             "system": "urn:oid:1.2.36.146.595.217.0.1", "value": f["mrn"]},
        ],
        "name": [{"family": f["last"].text, "given": [f["first"].text]}],
        "telecom": [{"system": "phone", "value": f["phone"], "use": "mobile"},
                    {"system": "email", "value": f["email"]}],
        "gender": f.rng.choice(("female", "male", "other")),
        "birthDate": f["dob_iso"],
    }


def employee(f: Fill) -> Json:
    camel = f.rng.random() < 0.5
    ssn = labelled(US_SSN, ssns.ssn(f.rng, f.rng.choice(("", "-"))))
    return {"employee": {
        "id": f.rng.randint(10000, 999999),
        "fullName" if camel else "full_name": f["name"].text,
        "ssn": ssn,
        "dateOfBirth" if camel else "dob": f["dob_iso"] if f.rng.random() < 0.7 else f["dob"],
        "hireDate" if camel else "hire_date": f["date"].text,
        "bank": {"iban": f["iban"], "bic": f["bic"].text},
        "contact": {"email": f["work_email"], "phone": f["phone"]},
    }}


def charge_webhook(f: Fill) -> Json:
    return {
        "id": f"evt_{decoys.hex_id(f.rng, 24)}", "type": "charge.succeeded", "created": _epoch(f),
        "data": {"object": {
            "amount": f.rng.randint(100, 99999), "currency": "usd",
            "payment_method_details": {"card": {
                "brand": "visa", "last4": f["last4"].text, "exp_month": f.rng.randint(1, 12),
                "exp_year": f.rng.randint(2025, 2031), "fingerprint": decoys.hex_id(f.rng, 16),
            }},
            "billing_details": {"email": f["email"], "phone": f["phone"]},
        }},
        "request": {"id": f"req_{decoys.hex_id(f.rng, 14)}", "idempotency_key": f["uuid"].text},
    }


def raw_card(f: Fill) -> Json:
    return {"payment": {"card": {"number": f["card"], "exp": f"{f.rng.randint(1, 12):02d}/"
            f"{f.rng.randint(25, 31)}", "cvc": str(f.rng.randint(100, 999))},
            "customer_ip": f["ip"], "order_ref": f["order_no"].text}}


def audit_event(f: Fill) -> Json:
    return {"event": f.rng.choice(("login", "password_change", "mfa_disabled")),
            "actor": {"email": f["email"], "id": f.rng.randint(1, 99999)},
            "source_ip": f["ip"], "timestamp": _ts(f), "session_id": f["uuid"].text,
            "trace_id": f["trace_id"].text}


def app_config(f: Fill) -> Json:
    return {"database": {"host": f["ip_private"], "port": 5432, "user": "app",
                         "password": f["password"]},
            "api": {"key": f["api_token"], "timeout_ms": 3000},
            "max_tokens": 4096, "token_expiry_seconds": 3600, "version": f["version"].text}


def app_config_with_references(f: Fill) -> Json:
    return {"database": {"host": f["loopback"].text, "port": 5432,
                         "password": f["placeholder"].text},
            "openai": {"apiKey": "${OPENAI_API_KEY}", "model": "gpt-4o-mini",
                       "max_tokens": 1024},
            "session": {"secret_name": "app-session", "token_ttl": 900}}


def package_json(f: Fill) -> Json:
    return {"name": "@acme/web", "version": f["version"].text, "private": True,
            "repository": {"type": "git", "url": f["git_remote"].text},
            "dependencies": {"react": f"^{decoys.semver(f.rng)}", "axios": decoys.semver(f.rng),
                             "lodash": f"~{decoys.semver(f.rng)}"},
            "engines": {"node": ">=18.17.0"}}


def lockfile(f: Fill) -> Json:
    return {"node_modules/lodash": {"version": "4.17.21", "resolved":
            "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz", "integrity": f["sri"].text},
            "node_modules/ms": {"version": "2.1.3", "integrity": decoys.hex_id(f.rng, 40)}}


def order(f: Fill) -> Json:
    return {"order_id": f["order_no"].text, "created_at": _ts(f),
            "items": [{"sku": f"SKU-{f.rng.randint(100000, 999999)}", "qty": f.rng.randint(1, 5),
                       "price": f.rng.randint(100, 99999) / 100}],
            "shipping": {"carrier": "UPS", "tracking": f["tracking_no"].text},
            "invoice": f["invoice_no"].text}


def lab_order(f: Fill) -> Json:
    return {"patient": {"mrn": f["mrn"], "dob": f["dob_iso"], "age": int(f["age"].text)},
            "encounter_id": f["encounter"].text, "accession": f["accession"].text,
            "orderingProvider": {"npi": f["npi"].text, "name": f["other_name"].text},
            "tests": [{"cpt": f["cpt"].text, "loinc": "4548-4"}], "collected": _ts(f)}


def chat_request(f: Fill) -> Json:
    content = f.rng.choice((
        Joined(("Write a reminder to ", f["email"], " that the meeting moved.")),
        Joined(("Call ", f["phone"], " and ask about invoice ", f["invoice_no"].text)),
        Joined(("Summarize the release notes for ", f["version"].text, ".")),
    ))
    return {"model": "gpt-4o-mini", "temperature": 0.2, "max_tokens": 512,
            "messages": [{"role": "system", "content": "You are a helpful assistant."},
                         {"role": "user", "content": content}]}


def crm_contact(f: Fill) -> Json:
    return {"contact": {"firstName": f["first"].text, "lastName": f["last"].text,
                        "emails": [f["email"], f["email2"]],
                        "phoneNumbers": [{"type": "mobile", "number": f["phone"]}],
                        "birthday": labelled(DATE_OF_BIRTH, dates.written(
                            f.rng, dates.birth_date(f.rng))),
                        "updatedAt": _ts(f)}}


def transfer(f: Fill) -> Json:
    return {"endToEndId": decoys.hex_id(f.rng, 16).upper(),
            "debtor": {"name": f["company"].text, "iban": f["iban"]},
            "creditor": {"name": f["other_name"].text, "iban": f["iban2"], "bic": f["bic"].text},
            "amount": {"value": f"{f.rng.randint(100, 999999) / 100:.2f}", "currency": "EUR"},
            "remittance": f["invoice_no"].text}


def inventory(f: Fill) -> Json:
    return {"hosts": [{"name": f"node-{i}", "ip": COMMON["ip"](f), "mac": f["mac"].text,
                       "firmware": f["version_quad"].text, "mgmt": f["hostname_ip"].text}
                      for i in range(f.rng.randint(2, 4))],
            "netmask": f["netmask"].text, "dns": [f["loopback"].text]}


def metrics(f: Fill) -> Json:
    return {"timestamp": _epoch(f), "host": "web-07",
            "cpu": {"user": f.rng.randint(0, 100), "system": f.rng.randint(0, 40)},
            "memory_bytes": f.rng.randint(10**8, 10**10), "p99_ms": f.rng.randint(5, 900),
            "build": f["version_quad"].text, "request_id": f["request_id"].text}


BUILDERS: tuple[Callable[[Fill], Json], ...] = (
    customer, fhir_patient, employee, charge_webhook, raw_card, audit_event, app_config,
    app_config_with_references, package_json, lockfile, order, lab_order, chat_request,
    crm_contact, transfer, inventory, metrics,
)


def make(rng: Random) -> Sample:
    doc = Document()
    if rng.random() < 0.2:
        builder = rng.choice(BUILDERS)
        for i in range(rng.randint(2, 5)):  # JSON lines: one compact record a line
            doc.add("\n" if i else "")
            write(doc, builder(Fill(rng, COMMON)), None)
    else:
        write(doc, rng.choice(BUILDERS)(Fill(rng, COMMON)), rng.choice((2, 2, 4)))
    return doc.sample(KIND)
