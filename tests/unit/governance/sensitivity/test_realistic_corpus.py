"""The realistic corpus (tests/data/realistic_eval.jsonl, bench/make_realistic_corpus.py): its
labels hold by the finding definitions, checked here by rules written apart from the generator,
and the scanner keeps at least today's scores on it (bench/score_realistic.py)."""

from __future__ import annotations

import ipaddress
import json
import re
import shlex
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path

import phonenumbers

from bench import score_realistic

ROOT = Path(__file__).resolve().parents[4]
CORPUS = ROOT / "tests" / "data" / "realistic_eval.jsonl"
SCORER = ROOT / "bench" / "score_realistic.py"
TYPES = {
    "EMAIL", "PHONE", "US_SSN", "CREDIT_CARD", "IBAN", "IP_ADDRESS", "SECRET", "DATE_OF_BIRTH",
    "MEDICAL_RECORD_NUMBER",
}
# Registry lengths, written out here rather than taken from the generator.
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AT": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "CH": 21, "CY": 28,
    "CZ": 24, "DE": 22, "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GR": 27,
    "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "QA": 29, "RO": 24,
    "SA": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TR": 26, "UA": 29,
}
# (first digits low, high, length) of the brands the definition means by "real brand prefix".
CARD_RANGES = (
    (4, 4, 16), (4, 4, 19), (51, 55, 16), (2221, 2720, 16), (34, 34, 15), (37, 37, 15),
    (6011, 6011, 16), (644, 649, 16), (65, 65, 16), (3528, 3589, 16), (300, 305, 14),
    (36, 36, 14), (38, 39, 14), (62, 62, 16), (62, 62, 19),
)
PHONE_REGIONS = ("US", "CA", "GB", "DE", "FR", "AU", "IN", "NL", "IT", "ES", "JP", "CH", "IE")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
PLACEHOLDER = re.compile(r"^(\$|\{\{|<|\*|%\(|YOUR_|REDACTED)")
# Exact-match (precision, recall) the scanner scored on 2026-12-06 (issue 18: context from
# structure, phone shapes, line and cell boundaries) less a small margin. Whoever improves the
# detectors raises these to the new scores less the same margin.
FLOORS = {
    "micro": (0.98, 0.98),
    "EMAIL": (0.98, 0.98),
    "PHONE": (0.97, 0.97),
    "US_SSN": (0.98, 0.98),
    "CREDIT_CARD": (0.98, 0.98),
    "IBAN": (0.98, 0.98),
    "IP_ADDRESS": (0.98, 0.98),
    "SECRET": (0.98, 0.98),
    "DATE_OF_BIRTH": (0.98, 0.98),
    "MEDICAL_RECORD_NUMBER": (0.96, 0.98),
}


@cache
def corpus() -> list[dict[str, object]]:
    with CORPUS.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def labelled(type_: str) -> list[str]:
    return [
        str(s["text"])[span["start"] : span["end"]]
        for s in corpus()
        for span in s["spans"]  # type: ignore[attr-defined]
        if span["type"] == type_
    ]


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def brand_ok(digits: str) -> bool:
    return any(
        len(digits) == length and low <= int(digits[: len(str(low))]) <= high
        for low, high, length in CARD_RANGES
    )


def phone_ok(text: str) -> bool:
    if text.startswith(("+", "00")):
        number = phonenumbers.parse("+" + text[2:] if text.startswith("00") else text)
        return bool(phonenumbers.is_valid_number(number))
    return any(
        phonenumbers.is_valid_number(phonenumbers.parse(text, region))
        for region in PHONE_REGIONS
    )


def test_the_corpus_is_big_and_every_type_and_kind_is_well_represented() -> None:
    samples = corpus()
    counts = Counter(span["type"] for s in samples for span in s["spans"])  # type: ignore[attr-defined]
    kinds = Counter(str(s["kind"]) for s in samples)
    assert len(samples) >= 3000
    assert sum(counts.values()) >= 3700
    assert set(counts) == TYPES and min(counts.values()) >= 200, counts
    assert len(kinds) >= 11 and min(kinds.values()) >= 150, kinds
    assert sum(1 for s in samples if not s["spans"]) >= 0.25 * len(samples)


def test_spans_are_trimmed_values_inside_the_text_and_never_overlap() -> None:
    for sample in corpus():
        text = str(sample["text"])
        previous_end = 0
        for span in sorted(sample["spans"], key=lambda s: s["start"]):  # type: ignore[attr-defined]
            assert span["type"] in TYPES
            assert previous_end <= span["start"] < span["end"] <= len(text), sample
            value = text[span["start"] : span["end"]]
            assert value == value.strip() and value[0] not in "\"'" and value[-1] not in "\"'"
            previous_end = span["end"]


def test_cards_pass_luhn_with_a_brand_prefix_and_length() -> None:
    for value in labelled("CREDIT_CARD"):
        assert re.fullmatch(r"\d+([ -]\d+)*", value), value
        digits = re.sub(r"[ -]", "", value)
        assert luhn_ok(digits) and brand_ok(digits), value


def test_ibans_have_their_country_length_and_pass_mod_97() -> None:
    for value in labelled("IBAN"):
        compact = value.replace(" ", "")
        assert compact.isalnum() and compact.isupper(), value
        assert len(compact) == IBAN_LENGTHS[compact[:2]], value
        rearranged = compact[4:] + compact[:4]
        assert int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1, value


def test_ssns_follow_the_ssa_rules() -> None:
    for value in labelled("US_SSN"):
        match = re.fullmatch(r"(\d{3})([- ]?)(\d{2})\2(\d{4})", value)
        assert match, value
        area, group, serial = match.group(1), match.group(3), match.group(4)
        assert area not in ("000", "666") and area[0] != "9", value
        assert group != "00" and serial != "0000", value


def test_phones_are_valid_numbers_for_the_phone_library() -> None:
    bad = [value for value in labelled("PHONE") if not phone_ok(value)]
    assert not bad


def test_ip_addresses_are_hosts_never_loopback_or_unspecified() -> None:
    for value in labelled("IP_ADDRESS"):
        address = ipaddress.ip_address(value)
        assert not (address.is_loopback or address.is_unspecified or address.is_multicast)
        assert address.is_private or address.is_global, value


def test_emails_have_a_dotted_domain() -> None:
    for value in labelled("EMAIL"):
        assert EMAIL.fullmatch(value), value


def test_secrets_are_literal_values_not_references_or_masks() -> None:
    for value in labelled("SECRET"):
        if value.startswith("-----BEGIN"):
            assert re.fullmatch(r"-----BEGIN ([A-Z ]*)PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n"
                                r"-----END \1PRIVATE KEY-----", value), value
            continue
        assert not re.search(r"\s", value) and not PLACEHOLDER.match(value), value
        assert "..." not in value and "****" not in value, value


def test_birth_dates_carry_a_year_of_birth() -> None:
    for value in labelled("DATE_OF_BIRTH"):
        if value.isdigit():  # a compact export: YYYYMMDD
            assert len(value) == 8 and value[:2] in ("19", "20"), value
            continue
        years = re.findall(r"(?<!\d)(19\d\d|200\d)(?!\d)", value)
        assert len(years) == 1, value


def test_medical_record_numbers_are_identifiers() -> None:
    for value in labelled("MEDICAL_RECORD_NUMBER"):
        assert re.fullmatch(r"[A-Z0-9-]+", value) and sum(c.isdigit() for c in value) >= 6


def test_the_scanner_keeps_at_least_its_scores_on_the_corpus() -> None:
    scanner = f"{shlex.quote(sys.executable)} -m proxy.cli scan"
    done = subprocess.run(
        [sys.executable, str(SCORER), "--json", "--runs", "1", "--scanner", scanner],
        capture_output=True, text=True, timeout=110, check=False,
    )
    assert done.returncode == 0, done.stderr
    exact = json.loads(done.stdout)["exact"]
    got = {"micro": exact["micro"], **exact["types"]}
    below = [
        f"{name} {metric} {got[name][metric]:.3f} < {floor:.2f}"
        for name, (precision, recall) in FLOORS.items()
        for metric, floor in (("precision", precision), ("recall", recall))
        if got[name][metric] < floor
    ]
    assert not below, below


def test_the_score_counts_exact_and_overlapping_matches_one_to_one() -> None:
    sample: dict[str, object] = {
        "kind": "chat",
        "text": "x" * 40,
        "spans": [
            {"type": "EMAIL", "start": 0, "end": 5},
            {"type": "PHONE", "start": 10, "end": 20},
            {"type": "PHONE", "start": 25, "end": 30},
        ],
    }
    predicted = [("EMAIL", 0, 5), ("PHONE", 10, 18), ("PHONE", 12, 20), ("IBAN", 31, 39)]
    exact = score_realistic.score([sample], [predicted], lenient=False)
    lenient = score_realistic.score([sample], [predicted], lenient=True)
    assert (exact.micro.predicted_right, exact.micro.gold_found) == (1, 1)
    assert (exact.micro.predicted, exact.micro.gold) == (4, 3)
    # Two predictions overlap one phone: only one may count, and the other phone stays missed.
    assert (lenient.by_type["PHONE"].predicted_right, lenient.by_type["PHONE"].recall) == (1, 0.5)
    assert lenient.by_type["IBAN"].precision == 0.0 and lenient.by_type["IBAN"].recall == 1.0
    assert lenient.by_kind["chat"].gold_found == 2
