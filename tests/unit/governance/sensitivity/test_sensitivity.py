"""Detectors against the product's definition of a finding: positives, hard negatives, evasion."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.sensitivity import (
    Pseudonyms,
    StreamRestorer,
    restore,
    rewrite,
    roll_up,
    scan_text,
)
from governance.sensitivity.levels import DEFAULT_TYPE_LEVELS
from governance.sensitivity.scan_memo import ScanMemo
from governance.sensitivity.validators import card_brand, iban_valid, luhn_valid, ssn_valid

EVAL_SET = Path(__file__).resolve().parents[3] / "data" / "sensitivity_eval.jsonl"


def spans(text: str) -> list[tuple[str, str]]:
    return [(f.type, text[f.start : f.end]) for f in scan_text(text).findings]


POSITIVES = [
    ("Write to john.doe@example.com today", "EMAIL", "john.doe@example.com"),
    ("mailto:ops+alerts@mail.example.co.uk", "EMAIL", "ops+alerts@mail.example.co.uk"),
    ("Call (415) 555-2671 now", "PHONE", "(415) 555-2671"),
    ("Call 415.555.2671", "PHONE", "415.555.2671"),
    ("Call +1 415 555 2671", "PHONE", "+1 415 555 2671"),
    ("London office +44 20 7946 0958", "PHONE", "+44 20 7946 0958"),
    ("London office 0044 20 7946 0958", "PHONE", "0044 20 7946 0958"),
    ("London office 020 7946 0958", "PHONE", "020 7946 0958"),
    ("Paris +33-1-42-68-53-00", "PHONE", "+33-1-42-68-53-00"),
    ("E.164 +14155552671 works", "PHONE", "+14155552671"),
    ("SSN 123-45-6789 on file", "US_SSN", "123-45-6789"),
    ("SSN 123 45 6789 on file", "US_SSN", "123 45 6789"),
    ("my ssn is 123456789", "US_SSN", "123456789"),
    ("card 4111 1111 1111 1111 exp", "CREDIT_CARD", "4111 1111 1111 1111"),
    ("card 4111-1111-1111-1111 exp", "CREDIT_CARD", "4111-1111-1111-1111"),
    ("amex 378282246310005.", "CREDIT_CARD", "378282246310005"),
    ("IBAN DE89 3704 0044 0532 0130 00 ok", "IBAN", "DE89 3704 0044 0532 0130 00"),
    ("IBAN GB82WEST12345698765432", "IBAN", "GB82WEST12345698765432"),
    ("host 10.1.2.3 is down", "IP_ADDRESS", "10.1.2.3"),
    ("public 8.8.8.8:53", "IP_ADDRESS", "8.8.8.8"),
    ("v6 2001:db8:85a3::8a2e:370:7334 up", "IP_ADDRESS", "2001:db8:85a3::8a2e:370:7334"),
    ("Note: at 12:30 host 2001:db8::8a2e:370:7334 fell", "IP_ADDRESS", "2001:db8::8a2e:370:7334"),
    ("key AKIAIOSFODNN7EXAMPLE", "SECRET", "AKIAIOSFODNN7EXAMPLE"),
    (
        "OPENAI_API_KEY=sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv",
        "SECRET",
        "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv",
    ),
    ("PGPASSWORD=Tr0ub4dor3 psql", "SECRET", "Tr0ub4dor3"),
    ("mysqldump --password=Tr0ub4dor3 db", "SECRET", "Tr0ub4dor3"),
    ('{"client_secret": "q8Zr2LmN0pWx"}', "SECRET", "q8Zr2LmN0pWx"),
    ("curl -u admin:Tr0ub4dor3 https://x.example", "SECRET", "Tr0ub4dor3"),
    ("postgres://app:Tr0ub4dor3@db.example.com/x", "SECRET", "Tr0ub4dor3"),
    (
        "Authorization: Bearer "
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N",
        "SECRET",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N",
    ),
    ("Patient DOB: 03/14/1975 seen", "DATE_OF_BIRTH", "03/14/1975"),
    ("born on March 14, 1975 in Ohio", "DATE_OF_BIRTH", "March 14, 1975"),
    ("MRN: 00123456 admitted", "MEDICAL_RECORD_NUMBER", "00123456"),
    ("medical record number MR-4455667", "MEDICAL_RECORD_NUMBER", "MR-4455667"),
]


@pytest.mark.parametrize(("text", "entity", "value"), POSITIVES)
def test_finds_the_value_itself(text: str, entity: str, value: str) -> None:
    assert (entity, value) in spans(text)


def test_pem_private_key_block_is_one_finding() -> None:
    block = (
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\nabc==\n-----END RSA PRIVATE KEY-----"
    )
    assert spans(f"key:\n{block}\nthanks") == [("SECRET", block)]


NEGATIVES = [
    "git@github.com:acme/api.git",
    "https://user:${DB_PASSWORD}@db.example.com",
    "npm i lodash@4.17.21",
    "ping @maria_dev about @app.route",
    "order #4155552671 shipped",
    "timestamp 1732550400",
    "version 1.2.3.4 released",
    "loopback 127.0.0.1 and 0.0.0.0 and ::1",
    "netmask 255.255.255.0",
    "OID 1.3.6.1.4.1.311.21",
    "mac 00:1A:2B:3C:4D:5E",
    "host 10.0.0.1.nip.io",
    "card 4111 1111 1111 1112 declined",
    "masked 4111 **** **** 1111",
    "IMEI 356938035643809",
    "ref ORD-4111111111111111",
    "SSN 000-12-3456 or 666-12-3456 or 912-12-3456",
    "last four of SSN: 6789",
    "id 123456789 in the ledger",
    "uuid 550e8400-e29b-41d4-a716-446655440000",
    "md5 d41d8cd98f00b204e9800998ecf8427e",
    "password: ${DB_PASSWORD}",
    "token: {{ secrets.GH_TOKEN }}",
    "export KEY=$OPENAI_API_KEY",
    "max_tokens=4096 token_expiry_seconds: 3600",
    "key sk-...abcd and sk-****",
    "img data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk",
    "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----",
    "DOB: [REDACTED], aged 54",
    "encounter 4455667, accession 77881234, room 12, NPI 1234567893, CPT 99213, ICD-10 E11.9",
    "IBAN DE89 3704 0044 0532 0130 01",
    "released on 2024-01-15T10:30:00Z",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_hard_negatives_do_not_fire(text: str) -> None:
    assert spans(text) == []


def test_evasions_are_normalised_and_offsets_point_at_the_original() -> None:
    full_width = "card ４１１１１１１１１１１１１１１１ ok"
    zero_width = "card 4111\u200b1111\u200b1111\u200b1111 ok"
    broken = "card 411111\n1111111111 ok"
    soft = "ssn 123\u00ad-45-6789"
    for text, value in (
        (full_width, "４１１１１１１１１１１１１１１１"),
        (zero_width, "4111\u200b1111\u200b1111\u200b1111"),
        (broken, "411111\n1111111111"),
        (soft, "123\u00ad-45-6789"),
    ):
        (finding,) = scan_text(text).findings
        assert text[finding.start : finding.end] == value


def test_phi_context_makes_the_text_restricted() -> None:
    scan = scan_text("Patient MRN 00123456 diagnosed with type 2 diabetes (E11.9)")
    assert scan.health_context
    assert roll_up((f.type for f in scan.findings), True, DEFAULT_TYPE_LEVELS) == "restricted"
    assert roll_up(["EMAIL"], False, DEFAULT_TYPE_LEVELS) == "internal"
    assert roll_up([], False, DEFAULT_TYPE_LEVELS) == "public"


def test_validators() -> None:
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")
    assert card_brand("378282246310005") == "amex" and card_brand("1234567890123456") is None
    assert ssn_valid("123456789") and not ssn_valid("123006789") and not ssn_valid("123450000")
    assert iban_valid("DE89370400440532013000") and not iban_valid("DE89370400440532013001")


def test_evaluation_set_meets_the_targets() -> None:
    tp = fp = fn = 0
    for line in EVAL_SET.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        expected = {(e["type"], e["start"], e["end"]) for e in row["entities"]}
        got = {(f.type, f.start, f.end) for f in scan_text(row["text"]).findings}
        tp, fp, fn = tp + len(got & expected), fp + len(got - expected), fn + len(expected - got)
    assert tp / (tp + fp) >= 0.95
    assert tp / (tp + fn) >= 0.97


@given(st.text("0123456789", min_size=1, max_size=24))
def test_luhn_agrees_with_the_digit_by_digit_rule(digits: str) -> None:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    assert luhn_valid(digits) == (total % 10 == 0)


def test_luhn_refuses_what_is_not_ascii_digits() -> None:
    assert not luhn_valid("") and not luhn_valid("4111 1111 1111 1111")
    assert not luhn_valid("\u0664\u0661\u0661\u0661" * 4)  # Arabic-Indic "4111..."


_PARTS = [
    "x", " ", "4111 1111 1111 1111", "jo@example.com", "(415) 555-2671", "10.1.2.3",
    "password=hunter2xyz", "sk-abcdefghijklmnopqrstuvwx", "2001:db8::1", "@", ":", "1",
]  # fmt: skip


@given(st.lists(st.sampled_from(_PARTS), max_size=12))
def test_findings_come_in_text_order_and_never_overlap(parts: list[str]) -> None:
    findings = scan_text("".join(parts)).findings
    for before, after in itertools.pairwise(findings):
        assert before.end <= after.start


@given(st.text(max_size=300))
def test_findings_stay_inside_the_text(text: str) -> None:
    for finding in scan_text(text).findings:
        assert 0 <= finding.start < finding.end <= len(text)


@given(st.lists(st.sampled_from(["a", " ", "4111 1111 1111 1111", "jo@example.com", "<", "E"])))
def test_pseudonymize_then_restore_is_the_identity(parts: list[str]) -> None:
    text = " ".join(parts)
    pseudonyms = Pseudonyms()
    masked = rewrite(text, scan_text(text).findings, lambda _t: "pseudonymize", pseudonyms)
    assert "4111 1111" not in masked and "jo@example.com" not in masked
    assert restore(masked, pseudonyms) == text


@given(st.data())
def test_stream_restore_survives_any_split(data: st.DataObject) -> None:
    text = "Mail jo@example.com or jo@example.com, card 4111 1111 1111 1111 <b> done"
    pseudonyms = Pseudonyms()
    masked = rewrite(text, scan_text(text).findings, lambda _t: "pseudonymize", pseudonyms)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(masked)), max_size=8)))
    pieces = [masked[a:b] for a, b in zip([0, *cuts], [*cuts, len(masked)], strict=True)]
    restorer = StreamRestorer(pseudonyms)
    out = "".join(restorer.feed(p) for p in pieces) + restorer.flush()
    assert out == text


def test_same_value_same_placeholder_and_redaction_is_typed() -> None:
    text = "a jo@example.com b jo@example.com c ann@example.com"
    pseudonyms = Pseudonyms()
    masked = rewrite(text, scan_text(text).findings, lambda _t: "pseudonymize", pseudonyms)
    assert masked == "a <EMAIL_1> b <EMAIL_1> c <EMAIL_2>"
    redacted = rewrite(text, scan_text(text).findings, lambda _t: "redact", Pseudonyms())
    assert redacted == "a [REDACTED_EMAIL] b [REDACTED_EMAIL] c [REDACTED_EMAIL]"


def test_the_scan_memo_answers_as_the_scanner_does_and_keeps_no_text() -> None:
    memo = ScanMemo(max_entries=2, min_chars=10)
    history = (
        "Earlier: write to jane.roe@example.com or call (415) 555-2671 about card "
        "4111 1111 1111 1111."
    )
    other = "Second message, no findings at all, just long enough."
    third = "Third: the server at 10.20.30.40 went down overnight."
    for text in (history, other, history, third, other, history):
        assert memo(text) == scan_text(text)
    assert memo.hits == 1  # history once; the bound of two entries pushed the rest out
    assert memo("short a@b.co") == scan_text("short a@b.co")  # under min_chars: always scanned
    kept = repr(memo._entries)
    assert "jane.roe" not in kept and "4111" not in kept and "example" not in kept
