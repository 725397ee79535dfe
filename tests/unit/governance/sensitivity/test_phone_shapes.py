"""A phone must look like a phone as people write it, not merely pass the numbering plan."""

from __future__ import annotations

import pytest

from governance.sensitivity import scan_text


def phones(text: str) -> list[str]:
    return [text[f.start : f.end] for f in scan_text(text).findings if f.type == "PHONE"]


NOT_PHONES = [
    "job started 2024-09-27 09:18:52 and ended 2024-09-27 09:20:01",
    "[2025-03-14 17:02:44,118] worker ready",
    "deadline 14.11.2025, reminder 03/12/2026",
    "Compute 48213 * 71102 = 3428061726 for me",
    "the sum 2815550193 + 12 is wrong",
    "tracking 9400 1118 9922 3344 5566 77 is stuck",
    "order 4155550134 shipped",
    "Invoice no. 020 7946 0958",
    "NPI: 2252912649 on the referral",
    "accession 2815550193 received",
    "ISBN 978-3-16-148410-0 in stock",
    "ship to ZIP 94105-1234",
    "counter 2815550193 reached",
    '"GET /static/app.js HTTP/1.1" 404 1216888 "-"',
    "port=4984 took 2815550193 ns",
]


@pytest.mark.parametrize("text", NOT_PHONES)
def test_numbers_nobody_writes_as_a_phone(text: str) -> None:
    assert phones(text) == []


WRITTEN_AS_PHONES = [
    ("reach me on 415-555-0134 after six", "415-555-0134"),
    ("phone=713.514.8065 saved", "713.514.8065"),
    ("sms sent to=+27711327883 ok", "+27711327883"),
    ("Tel: +44 20 7946 0958", "+44 20 7946 0958"),
    ("mobile 06 12 34 56 78 (FR)", "06 12 34 56 78"),
    ("call (212) 555-0187 or email", "(212) 555-0187"),
    ("contact phone 2125550187", "2125550187"),
    ("Telefon: 030 12345678", "030 12345678"),
    ("whatsapp +34 612 34 56 78", "+34 612 34 56 78"),
]


@pytest.mark.parametrize(("text", "phone"), WRITTEN_AS_PHONES)
def test_national_and_international_formats(text: str, phone: str) -> None:
    assert phones(text) == [phone]


def test_a_log_line_timestamp_is_no_phone_but_its_phone_is() -> None:
    text = "2023-04-11 08:00:01 INFO callback scheduled for (978) 376-9284\n2023-04-11 08:00:02 ok"
    assert phones(text) == ["(978) 376-9284"]


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        # `number`, `no.` and `#` name no identifier unless the word before them does.
        ("Dana here, new number: (646) 201-7788!", "(646) 201-7788"),
        ("new number: 1-503-555-0172 from today", "1-503-555-0172"),
        ("got a new number: +1 646 555 0134", "+1 646 555 0134"),
        ("number: 646-201-7788", "646-201-7788"),
        ("Phone no.: 020 7946 0321", "020 7946 0321"),
        # Portuguese numbers have no trunk prefix: Lisbon landlines and mobiles.
        ("Contacto: 21 338 0417, e-mail na assinatura", "21 338 0417"),
        ("Fax: 22 508 1190", "22 508 1190"),
        ("o meu telemóvel é 936 402 118.", "936 402 118"),
    ],
)
def test_phones_after_a_word_that_only_says_number(text: str, phone: str) -> None:
    assert phones(text) == [phone]


@pytest.mark.parametrize(
    "text",
    [
        "Invoice no. 020 7946 0321 is overdue",
        "order # 646 201 7788 shipped",
        "Customer number 6462017788 closed",
        "number: 6462017788",
    ],
)
def test_an_identifier_named_before_the_number_word_is_no_phone(text: str) -> None:
    assert phones(text) == []


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        # A country code before grouped digits says phone, in any range of the plan.
        ("Mike here, ring me on +44 7700 518233 tonight", "+44 7700 518233"),
        ("WhatsApp: +49 1520 3348810", "+49 1520 3348810"),
    ],
)
def test_international_numbers_of_a_possible_length(text: str, phone: str) -> None:
    assert phones(text) == [phone]


def test_a_slash_between_two_international_numbers_lists_them() -> None:
    text = "Phone: +1 415 555 0134 / +1 415 555 0199"
    assert phones(text) == ["+1 415 555 0134", "+1 415 555 0199"]


@pytest.mark.parametrize("text", ["+44 12", "ratio +44 7700 51823344556677", "+1 555"])
def test_a_plus_before_too_few_or_too_many_digits_is_no_phone(text: str) -> None:
    assert phones(text) == []


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        # Phone words of the six languages, before numbers written without spaces.
        ("Mobiel: 0687654321", "0687654321"),
        ("Mijn telefoonnummer is 0687654321", "0687654321"),
        ("Bel me op 0687654321 na vijf uur", "0687654321"),
        ("Festnetz: 03098765432", "03098765432"),
        ("fixe : 0145678912", "0145678912"),
        ("Appelle-moi au 0687654321", "0687654321"),
        ("Móvil: 622334455", "622334455"),
        ("Cellulare: 3389876543", "3389876543"),
        ("Telemóvel: 936402118", "936402118"),
        ("O meu número é 936402118", "936402118"),
    ],
)
def test_phone_words_of_other_languages_before_bare_digits(text: str, phone: str) -> None:
    assert phones(text) == [phone]


@pytest.mark.parametrize(
    "text",
    [
        "the fix was deployed in build 0687654321",
        "order 622334455 shipped",
    ],
)
def test_bare_digits_without_a_phone_word_stay_unread(text: str) -> None:
    assert phones(text) == []


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        # Brazil: a two-digit area code, in parentheses or not, then 4–5 and 4 digits.
        ("Celular: (21) 99876-5432", "(21) 99876-5432"),
        ("Telefone: 11 91234-5678", "11 91234-5678"),
        ("ligue (31) 3254-7788 amanhã", "(31) 3254-7788"),
    ],
)
def test_brazilian_national_numbers(text: str, phone: str) -> None:
    assert phones(text) == [phone]


@pytest.mark.parametrize("header", ["telephone", "msisdn", "tel_no", "gsm"])
def test_phone_columns_named_otherwise(header: str) -> None:
    text = f"id,name,{header}\n7,Ana Lima,4155550134\n8,Rui Sousa,0612345678\n"
    assert phones(text) == ["4155550134", "0612345678"]


def test_a_phone_word_before_another_number_does_not_name_a_labelled_one() -> None:
    assert phones("Reply or call 415-555-0134. Ref 674505758.") == ["415-555-0134"]
