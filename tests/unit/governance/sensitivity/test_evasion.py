"""Evasive spellings of sensitive values: each class is normalised before matching, and each
finding's span covers the original characters, evasion characters inside included."""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Callable

import pytest
import regex
from confusable_homoglyphs.confusables import confusables_data
from hypothesis import given
from hypothesis import strategies as st

from governance.sensitivity import scan_text
from governance.sensitivity.normalize import normalize
from governance.sensitivity.scan_budget import ScanBudget, ScanStopped, spending
from tests.unit.governance.sensitivity.test_sensitivity import NEGATIVES as SENSITIVITY_NEGATIVES
from tests.unit.governance.sensitivity.test_sensitivity import POSITIVES

CARD = "4111 1111 1111 1111"
AMEX = "378282246310005"
SSN = "123-45-6789"
PHONE = "(415) 555-2671"
EMAIL = "jane.roe@example.com"
IP = "203.0.113.7"
IBAN = "DE89 3704 0044 0532 0130 00"
AWS = "AKIAIOSFODNN7EXAMPLE"
OPENAI = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv"
GITHUB = "ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N"
SLACK = "xoxb-123456789012-abcdefABCDEF"

TYPES = {
    CARD: "CREDIT_CARD", AMEX: "CREDIT_CARD", SSN: "US_SSN", PHONE: "PHONE", EMAIL: "EMAIL",
    IP: "IP_ADDRESS", IBAN: "IBAN", AWS: "SECRET", OPENAI: "SECRET", GITHUB: "SECRET",
    JWT: "SECRET", SLACK: "SECRET",
}  # fmt: skip
# The same value at the start, in the middle and at the end of a text.
PLACES = ("{} is what I have", "please check {} for me today", "the value:\n{}")


def found(text: str) -> list[tuple[str, str]]:
    return [(f.type, text[f.start : f.end]) for f in scan_text(text).findings]


def assert_found_in_place(value: str, evaded: str) -> None:
    assert evaded != value
    for place in PLACES:
        text = place.format(evaded)
        assert found(text) == [(TYPES[value], evaded)], text


def digits_of(zero: str) -> Callable[[str], str]:
    """Each ASCII digit spelled in the script whose zero is `zero`."""
    return lambda value: "".join(chr(ord(zero) + int(c)) if c.isdigit() else c for c in value)


# --- digits of other scripts ------------------------------------------------------------------

SCRIPT_ZEROS = {
    "arabic-indic": "\u0660",
    "extended arabic-indic": "\u06f0",
    "devanagari": "\u0966",
    "bengali": "\u09e6",
    "thai": "\u0e50",
    "tibetan": "\u0f20",
    "myanmar": "\u1040",
    "full-width": "\uff10",
    "mathematical bold": "\U0001d7ce",
    "adlam": "\U0001e950",
}


@pytest.mark.parametrize("zero", SCRIPT_ZEROS.values(), ids=SCRIPT_ZEROS.keys())
@pytest.mark.parametrize("value", [CARD, AMEX, SSN, PHONE, IP, IBAN])
def test_digits_of_any_script_read_as_digits(zero: str, value: str) -> None:
    assert unicodedata.decimal(zero) == 0
    assert_found_in_place(value, digits_of(zero)(value))


def test_digits_of_several_scripts_mixed_in_one_number() -> None:
    zeros = list(SCRIPT_ZEROS.values())
    evaded = "".join(
        chr(ord(zeros[i % len(zeros)]) + int(c)) if c.isdigit() else c for i, c in enumerate(CARD)
    )
    assert_found_in_place(CARD, evaded)


# --- invisible characters ---------------------------------------------------------------------

INVISIBLES = {
    "mongolian vowel separator": "\u180e",
    "word joiner": "\u2060",
    "function application": "\u2061",
    "invisible times": "\u2062",
    "invisible separator": "\u2063",
    "invisible plus": "\u2064",
    "variation selector-16": "\ufe0f",
    "variation selector-1": "\ufe00",
    "variation selector-17": "\U000e0100",
    "left-to-right mark": "\u200e",
    "right-to-left mark": "\u200f",
    "right-to-left override": "\u202e",
    "left-to-right embedding": "\u202a",
    "pop directional formatting": "\u202c",
    "first strong isolate": "\u2068",
    "combining grapheme joiner": "\u034f",
    "hangul filler": "\u3164",
    "tag space": "\U000e0020",
    "musical symbol begin beam": "\U0001d173",
    "zero-width no-break space": "\ufeff",
}


def sprinkled(char: str, every: int) -> Callable[[str], str]:
    """`char` after every `every` characters of the value, inside it only."""
    return lambda value: "".join(
        c + (char if i % every == every - 1 and i < len(value) - 1 else "")
        for i, c in enumerate(value)
    )


@pytest.mark.parametrize("char", INVISIBLES.values(), ids=INVISIBLES.keys())
@pytest.mark.parametrize(
    ("value", "every"), [(CARD, 3), (EMAIL, 2), (AWS, 4), (SSN, 1), (IBAN, 5), (OPENAI, 2)]
)
def test_default_ignorable_characters_are_dropped(char: str, value: str, every: int) -> None:
    assert_found_in_place(value, sprinkled(char, every)(value))


def test_several_kinds_of_invisible_characters_at_once() -> None:
    marks = list(INVISIBLES.values())
    evaded = "".join(c + marks[i % len(marks)] for i, c in enumerate(EMAIL[:-1])) + EMAIL[-1]
    assert_found_in_place(EMAIL, evaded)


def test_combining_marks_riding_on_digits_are_dropped() -> None:
    for mark in ("\u0336", "\u0301", "\u20e3"):  # long stroke overlay, acute, enclosing keycap
        assert_found_in_place(CARD, sprinkled(mark, 1)(CARD))


# --- look-alike letters of other scripts ------------------------------------------------------

LOOK_ALIKES = [
    (EMAIL, "j\u0430n\u0435.r\u043e\u0435@\u0435x\u0430mple.c\u043em"),  # Cyrillic а е о
    (EMAIL, "jane.roe@\u0435\u0445\u0430m\u0440l\u0435.com"),  # Cyrillic е х а р
    (EMAIL, "\u0458ane.roe@example.c\u03bfm"),  # Cyrillic ј, Greek ο
    (AWS, "\u0410\u041a\u0406\u0410IOSFODNN7EXAMPLE"),  # Cyrillic А К І А
    (AWS, "\u0391\u039a\u0399\u0391IOSFODNN7EXAMPLE"),  # Greek Α Κ Ι Α
    (AWS, "AK\u0406AIOSFODNN7EXAMPLE"),  # Cyrillic І alone
    (OPENAI, "\u0455k-pr\u043ej-Ab3dEf6hIj9kLm2nOp5qRs8tUv"),  # Cyrillic ѕ о
    (GITHUB, "gh\u0440_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R"),  # Cyrillic р
    (JWT, "\u0435yJ" + JWT[3:]),  # Cyrillic е
    (SLACK, "x\u043exb-123456789012-abcdefABCDEF"),  # Cyrillic о
    (AWS, "\U0001d400\U0001d40a\U0001d408\U0001d400IOSFODNN7EXAMPLE"),  # mathematical bold
    (EMAIL, "jane.roe@example\ua4f8com"),  # Lisu letter tone mya ti, a dot
]


@pytest.mark.parametrize(("value", "evaded"), LOOK_ALIKES)
def test_look_alike_letters_read_as_the_letters_they_imitate(value: str, evaded: str) -> None:
    assert_found_in_place(value, evaded)


def test_look_alike_punctuation_reads_as_punctuation() -> None:
    assert_found_in_place(CARD, CARD.replace(" ", "\u2013"))  # en dash
    assert_found_in_place(PHONE, "(415) 555\u2212" + "2671")  # minus sign
    text = "password\ua789 Tr0ub4dor3x"  # modifier letter colon
    assert found(text) == [("SECRET", "Tr0ub4dor3x")]


# --- separators between digit groups, letter case --------------------------------------------

SEPARATED = [
    (CARD, "4111_1111_1111_1111"),
    (CARD, "4111\t1111\t1111\t1111"),
    (CARD, "4111_1111-1111_1111"),
    (SSN, "123_45_6789"),
    (SSN, "123\t45\t6789"),
    (PHONE, "(415)\t555\t2671"),
    (IBAN, "DE89\t3704\t0044\t0532\t0130\t00"),
    (IBAN, "de89 3704 0044 0532 0130 00"),
    (IBAN, "de89370400440532013000"),
    (IBAN, "gb82 west 1234 5698 7654 32"),
    (IBAN, "gb82west12345698765432"),
    (IBAN, "fr14 2004 1010 0505 0001 3m02 606"),
    (IBAN, "De89 3704 0044 0532 0130 00"),
]


@pytest.mark.parametrize(("value", "evaded"), SEPARATED)
def test_underscores_tabs_and_letter_case(value: str, evaded: str) -> None:
    assert_found_in_place(value, evaded)


# --- a space inside a vendor key's prefix -----------------------------------------------------

SPLIT_PREFIXES = [
    (OPENAI, "sk- proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv"),
    (OPENAI, "sk -proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv"),
    (OPENAI, "s k-pr oj-Ab3dEf6hIj9kLm2nOp5qRs8tUv"),
    (AWS, "AK IAIOSFODNN7EXAMPLE"),
    (AWS, "A KIAIOSFODNN7EXAMPLE"),
    (AWS, "A K I A IOSFODNN7EXAMPLE"),
    (AWS, "AKIA\tIOSFODNN7EXAMPLE"),
    (AWS, "AK\nIAIOSFODNN7EXAMPLE"),
    (GITHUB, "gh p_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R"),
    (GITHUB, "ghp _1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R"),
    (JWT, "e yJ" + JWT[3:]),
    (SLACK, "xox b-123456789012-abcdefABCDEF"),
    (SLACK, "xo\r\nxb-123456789012-abcdefABCDEF"),
]


@pytest.mark.parametrize(("value", "evaded"), SPLIT_PREFIXES)
def test_a_gap_inside_a_vendor_prefix(value: str, evaded: str) -> None:
    assert_found_in_place(value, evaded)


def test_the_classes_combine() -> None:
    evaded = "\u0410K\u200b I\u0410IOSFODNN\u0667EXAMPLE"  # Cyrillic А, a ZWSP, a gap, a ٧
    assert_found_in_place(AWS, evaded)
    evaded = "\u0664\u200e111_1111\t\u0661111 1111"
    assert_found_in_place(CARD, evaded)


# --- what must stay unfound -------------------------------------------------------------------

NEGATIVES = [
    "Asia Pacific 2024 report, ask a question about the AK IA MN route",
    "sk - ok, gh pages and xo xo from the team",
    "a kia sorento and eye JSON files, sk- abc",
    "id_4111_1111_1111_1111 and build_2024_01_15 and v1_2_3",
    "Rechnungsnr. 2024_0315_001, Datei bericht_2024_03.pdf, 1_000_000 rows",
    "Заказ 3 шт. оплачен 12.03, позвоните в офис",
    "ノート 12ノ34 と 〇〇〇",
    "Η ομάδα συμφώνησε στο σχέδιο, ΑΚΙΑ",
    "the ratio 3×4 and 1920×1080",
    "it20 each time some thin gsto ries",
    "de89 3704 0044 0532 0130 01",
    "नमस्ते, आपका ऑर्डर भेज दिया गया है",
    "Σ 4111 1111 1111 1112 declined",
    "col1\tcol2\t12\t34",
]


def test_ordinary_text_in_other_scripts_and_layouts_stays_unfound() -> None:
    findings = {text: found(text) for text in NEGATIVES}
    assert {text: f for text, f in findings.items() if f} == {}


# --- properties: an evasion moves a finding's span, and never makes or hides one ---------------


def _every(predicate: Callable[[str], bool]) -> list[str]:
    return [c for c in map(chr, range(0x80, 0x110000)) if predicate(c)]


# Drawn from Unicode's data directly, not from the scanner's own table.
DEFAULT_IGNORABLE = regex.findall(
    r"\p{Default_Ignorable_Code_Point}", "".join(map(chr, range(0x80, 0xE1000)))
)
DIGITS = {
    value: [c for c in _every(str.isdecimal) if unicodedata.decimal(c) == value]
    for value in range(10)
}
# The letters whose Unicode prototype is an ASCII letter of the same case.
LOOK_ALIKE_LETTERS = {
    ascii: sorted(
        char
        for entry in confusables_data.get(ascii, [])
        if len(char := entry["c"]) == 1
        and unicodedata.category(char) == ("Lu" if ascii.isupper() else "Ll")
        and unicodedata.east_asian_width(char) not in "WF"
        and unicodedata.normalize("NFKC", char) == char
    )
    for ascii in string.ascii_letters
}
WITH_FINDINGS = [text for text, _, _ in POSITIVES] + [p.format(v) for v in TYPES for p in PLACES]
WITHOUT_FINDINGS = [*SENSITIVITY_NEGATIVES, *NEGATIVES, "plain words and no numbers at all"]


def expected_after(text: str, inserted_before: list[int]) -> Callable[[int, int], tuple[int, int]]:
    """Where the span [start, end) of `text` lands once characters are inserted before the
    given original indices (1:1 replacements insert nothing)."""

    def moved(index: int) -> int:
        return index + sum(1 for p in inserted_before if p <= index)

    return lambda start, end: (moved(start), moved(end - 1) + 1)


def assert_same_findings(original: str, evaded: str, inserted_before: list[int]) -> None:
    move = expected_after(original, inserted_before)
    before = [(f.type, *move(f.start, f.end)) for f in scan_text(original).findings]
    assert [(f.type, f.start, f.end) for f in scan_text(evaded).findings] == before


@given(
    st.sampled_from(WITH_FINDINGS + WITHOUT_FINDINGS),
    st.lists(st.tuples(st.floats(0, 1), st.sampled_from(DEFAULT_IGNORABLE)), max_size=12),
)
def test_inserted_invisible_characters_move_findings_and_add_none(
    text: str, insertions: list[tuple[float, str]]
) -> None:
    places = sorted((round(fraction * len(text)), char) for fraction, char in insertions)
    pieces, previous = [], 0
    for place, char in places:
        pieces += [text[previous:place], char]
        previous = place
    evaded = "".join([*pieces, text[previous:]])
    assert_same_findings(text, evaded, [place for place, _ in places])


@given(st.sampled_from(WITH_FINDINGS + WITHOUT_FINDINGS), st.data())
def test_digits_of_other_scripts_keep_findings_and_add_none(text: str, data: st.DataObject) -> None:
    evaded = "".join(
        data.draw(st.sampled_from(DIGITS[int(c)])) if c in string.digits else c for c in text
    )
    assert_same_findings(text, evaded, [])


@given(st.sampled_from(WITH_FINDINGS + WITHOUT_FINDINGS), st.data())
def test_look_alike_letters_keep_findings_and_add_none(text: str, data: st.DataObject) -> None:
    evaded = "".join(
        data.draw(st.sampled_from([c, *LOOK_ALIKE_LETTERS[c]])) if LOOK_ALIKE_LETTERS.get(c) else c
        for c in text
    )
    assert_same_findings(text, evaded, [])


def test_folding_a_dense_text_stops_between_parts_when_the_call_ends() -> None:
    """Counted, not timed: a cancelled scan folds no part after the one it was in."""
    budget = ScanBudget(60.0)
    budget.cancelled = True
    dense = "4\u200b1\u200b1\u200b1 " * 4096  # every other character to drop
    with spending(budget), pytest.raises(ScanStopped):
        normalize(dense)
    assert budget.checks == 1  # stopped at the first check, after the first part only
    assert len(normalize(dense).text) == 4096 * 5  # unbudgeted, the whole text folds
