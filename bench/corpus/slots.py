"""The slot makers every kind of text shares: labelled values and the decoys beside them."""

from __future__ import annotations

from .document import (
    CREDIT_CARD,
    DATE_OF_BIRTH,
    EMAIL,
    IBAN,
    IP_ADDRESS,
    MEDICAL_RECORD_NUMBER,
    PHONE,
    SECRET,
    US_SSN,
    Piece,
    labelled,
)
from .template import Fill, Maker
from .values import cards, dates, decoys, ibans, ip_addresses, medical, people, phones, secrets
from .values import ssns as ssn_values


def _card(f: Fill) -> Piece:
    number, brand = cards.card_with_brand(f.rng)
    f.notes["card_brand"] = brand
    return labelled(CREDIT_CARD, number)


def _card_brand(f: Fill) -> str:
    f["card"]  # the brand is known once the card is made
    return f.notes["card_brand"]


def _second_person(f: Fill) -> people.Person:
    return people.person(f.rng)


LABELLED: dict[str, Maker] = {
    "email": lambda f: labelled(EMAIL, f.person.email),
    "email2": lambda f: labelled(EMAIL, _second_person(f).email),
    "work_email": lambda f: labelled(
        EMAIL, f"{people.mailbox(f.rng, f.person.first, f.person.last)}@{f.person.company_domain}"
    ),
    "support_email": lambda f: labelled(EMAIL, people.role_address(f.rng, f.person.company_domain)),
    "phone": lambda f: labelled(PHONE, phones.any_phone(f.rng)),
    "phone2": lambda f: labelled(PHONE, phones.any_phone(f.rng)),
    "phone_us": lambda f: labelled(PHONE, phones.us_phone(f.rng)),
    "card": _card,
    "ssn": lambda f: labelled(US_SSN, ssn_values.ssn(f.rng)),
    "ssn_bare": lambda f: labelled(US_SSN, ssn_values.ssn(f.rng, "")),
    "iban": lambda f: labelled(IBAN, ibans.iban(f.rng)),
    "iban2": lambda f: labelled(IBAN, ibans.iban(f.rng)),
    "ip": lambda f: labelled(IP_ADDRESS, ip_addresses.any_ip(f.rng)),
    "ip2": lambda f: labelled(IP_ADDRESS, ip_addresses.any_ip(f.rng)),
    "ip4": lambda f: labelled(IP_ADDRESS, ip_addresses.ipv4(f.rng)),
    "ip_public": lambda f: labelled(IP_ADDRESS, ip_addresses.public_ipv4(f.rng)),
    "ip_private": lambda f: labelled(IP_ADDRESS, ip_addresses.private_ipv4(f.rng)),
    "ip_private2": lambda f: labelled(IP_ADDRESS, ip_addresses.private_ipv4(f.rng)),
    "ip6": lambda f: labelled(IP_ADDRESS, ip_addresses.ipv6(f.rng)),
    "dob": lambda f: labelled(DATE_OF_BIRTH, dates.written(f.rng, dates.birth_date(f.rng))),
    "dob_iso": lambda f: labelled(DATE_OF_BIRTH, dates.birth_date(f.rng).isoformat()),
    "mrn": lambda f: labelled(MEDICAL_RECORD_NUMBER, medical.mrn(f.rng)),
    "aws_key": lambda f: labelled(SECRET, secrets.aws_access_key_id(f.rng)),
    "aws_secret": lambda f: labelled(SECRET, secrets.aws_secret_access_key(f.rng)),
    "openai_key": lambda f: labelled(SECRET, secrets.openai_key(f.rng)),
    "anthropic_key": lambda f: labelled(SECRET, secrets.anthropic_key(f.rng)),
    "github_token": lambda f: labelled(SECRET, secrets.github_token(f.rng)),
    "slack_token": lambda f: labelled(SECRET, secrets.slack_token(f.rng)),
    "stripe_key": lambda f: labelled(SECRET, secrets.stripe_live_key(f.rng)),
    "google_key": lambda f: labelled(SECRET, secrets.google_api_key(f.rng)),
    "vendor_token": lambda f: labelled(SECRET, secrets.vendor_token(f.rng)),
    "jwt": lambda f: labelled(SECRET, secrets.jwt(f.rng)),
    "pem": lambda f: labelled(SECRET, secrets.pem_private_key(f.rng)),
    "password": lambda f: labelled(SECRET, secrets.password(f.rng)),
    "password2": lambda f: labelled(SECRET, secrets.password(f.rng)),
    "uri_password": lambda f: labelled(SECRET, secrets.password(f.rng, uri_safe=True)),
    "uri_password2": lambda f: labelled(SECRET, secrets.password(f.rng, uri_safe=True)),
    "api_token": lambda f: labelled(SECRET, secrets.api_token(f.rng)),
    "webhook_secret": lambda f: labelled(SECRET, secrets.webhook_secret(f.rng)),
    "django_key": lambda f: labelled(SECRET, secrets.django_secret_key(f.rng)),
}

DECOYS: dict[str, Maker] = {
    "ts": lambda f: decoys.timestamp(f.rng),
    "ts2": lambda f: decoys.timestamp(f.rng),
    "date": lambda f: decoys.plain_date(f.rng),
    "date2": lambda f: decoys.plain_date(f.rng),
    "uuid": lambda f: decoys.uuid(f.rng),
    "request_id": lambda f: decoys.request_id(f.rng),
    "trace_id": lambda f: decoys.trace_id(f.rng),
    "version": lambda f: decoys.semver(f.rng),
    "version_quad": lambda f: ip_addresses.version_quad(f.rng),
    "pin": lambda f: decoys.package_pin(f.rng),
    "npm_spec": lambda f: decoys.npm_specifier(f.rng),
    "order_no": lambda f: decoys.order_number(f.rng),
    "invoice_no": lambda f: decoys.invoice_number(f.rng),
    "tracking_no": lambda f: decoys.tracking_number(f.rng),
    "amount": lambda f: decoys.amount(f.rng),
    "amount2": lambda f: decoys.amount(f.rng),
    "port": lambda f: decoys.port(f.rng),
    "ms": lambda f: decoys.duration_ms(f.rng),
    "pid": lambda f: str(f.rng.randint(300, 4_194_303)),
    "arith": lambda f: decoys.arithmetic(f.rng),
    "measure": lambda f: decoys.measurement(f.rng),
    "sha": lambda f: decoys.git_sha(f.rng),
    "short_sha": lambda f: decoys.git_sha(f.rng, 7),
    "sha256": lambda f: secrets.sha256_hex(f.rng),
    "md5": lambda f: secrets.md5_hex(f.rng),
    "bcrypt": lambda f: secrets.bcrypt_hash(f.rng),
    "sri": lambda f: secrets.sri_integrity(f.rng),
    "data_uri": lambda f: secrets.data_uri(f.rng),
    "git_remote": lambda f: decoys.git_remote(f.rng),
    "handle": lambda f: decoys.handle(f.rng),
    "employee_id": lambda f: decoys.employee_id(f.rng),
    "customer_id": lambda f: decoys.customer_id(f.rng),
    "loopback": lambda f: ip_addresses.loopback_or_unspecified(f.rng),
    "loopback_port": lambda f: ip_addresses.with_port(
        ip_addresses.loopback_or_unspecified(f.rng), decoys.port(f.rng)
    ),
    "netmask": lambda f: ip_addresses.netmask(f.rng),
    "oid": lambda f: ip_addresses.oid(f.rng),
    "mac": lambda f: ip_addresses.mac_address(f.rng),
    "hostname_ip": lambda f: ip_addresses.host_name_with_address(f.rng),
    "placeholder": lambda f: secrets.placeholder(f.rng),
    "key_placeholder": lambda f: secrets.placeholder(f.rng, "OPENAI_API_KEY"),
    "masked_key": lambda f: secrets.masked_key(f.rng),
    "public_pem": lambda f: secrets.public_pem(f.rng),
    "ssh_pubkey": lambda f: secrets.ssh_public_key(f.rng),
    "bad_card": lambda f: cards.luhn_broken_card(f.rng),
    "masked_card": lambda f: cards.masked_card(f.rng),
    "imei": lambda f: cards.imei(f.rng),
    "card_in_token": lambda f: cards.card_inside_token(f.rng),
    "card_brand": _card_brand,
    "invalid_ssn": lambda f: ssn_values.invalid_ssn(f.rng),
    "itin": lambda f: ssn_values.itin(f.rng),
    "last4": lambda f: ssn_values.last_four(f.rng),
    "masked_ssn": lambda f: ssn_values.masked_ssn(f.rng),
    "bad_iban": lambda f: ibans.broken_iban(f.rng),
    "bic": lambda f: ibans.bic(f.rng, f.rng.choice(ibans.COMMON)),
    "npi": lambda f: medical.npi(f.rng),
    "encounter": lambda f: medical.encounter_number(f.rng),
    "accession": lambda f: medical.accession_number(f.rng),
    "room": lambda f: medical.room(f.rng),
    "bed": lambda f: medical.bed(f.rng),
    "claim": lambda f: medical.claim_number(f.rng),
    "member_id": lambda f: medical.member_id(f.rng),
    "icd": lambda f: medical.icd10(f.rng),
    "cpt": lambda f: medical.cpt(f.rng),
    "dx": lambda f: medical.diagnosis(f.rng),
    "age": lambda f: decoys.age(f.rng),
    "visit_date": lambda f: dates.written(f.rng, dates.recent_date(f.rng)),
}

PEOPLE: dict[str, Maker] = {
    "name": lambda f: f.person.name,
    "first": lambda f: f.person.first,
    "last": lambda f: f.person.last,
    "username": lambda f: f.person.username,
    "company": lambda f: f.person.company,
    "domain": lambda f: f.person.company_domain,
    "agent": lambda f: _second_person(f).first,
    "other_name": lambda f: _second_person(f).name,
    "address": lambda f: people.street_address(f.rng),
    "city": lambda f: f.rng.choice(people.CITIES),
}

COMMON: dict[str, Maker] = {**LABELLED, **DECOYS, **PEOPLE}
