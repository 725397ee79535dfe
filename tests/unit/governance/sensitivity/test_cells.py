"""IBANs and cards inside CSV and tab-separated cells are found; cells never join into one."""

from __future__ import annotations

import pytest

from governance.sensitivity import scan_text


def found(text: str) -> list[tuple[str, str]]:
    return [(f.type, text[f.start : f.end]) for f in scan_text(text).findings]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            '"Acme AG",ops@acme.example,+41 44 668 18 00,CH9300762011623852957,CHE123',
            "CH9300762011623852957",
        ),
        ("Bluth LLC;5146158009;ES9121000418450200051332;IT719780915", "ES9121000418450200051332"),
        ("Soylent\t415-684-2762\tAT611904300234573201\tIT562072735", "AT611904300234573201"),
        ("vendor,phone,iban\nNorth,7736613192,NL91ABNA0417164300", "NL91ABNA0417164300"),
    ],
)
def test_ibans_in_cells(text: str, value: str) -> None:
    assert ("IBAN", value) in found(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("order,card,exp\n1001,4111 1111 1111 1111,12/27", "4111 1111 1111 1111"),
        ("1002\t5500-0000-0000-0004\t01/28", "5500-0000-0000-0004"),
        ('"1003","378282246310005","Amex"', "378282246310005"),
    ],
)
def test_cards_in_cells(text: str, value: str) -> None:
    assert ("CREDIT_CARD", value) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "ORD-2024-299415\tSKU-760393\t26\t8129.29\t19.04.2023\t450293539872",
        "26,8129.29,19.04.2023",
        "row\t12\t34\t5678\t9012\t3456",
    ],
)
def test_neighbouring_cells_never_make_a_card(text: str) -> None:
    assert [t for t, _ in found(text) if t == "CREDIT_CARD"] == []


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("card 4111.1111.1111.1111 on file", "CREDIT_CARD", "4111.1111.1111.1111"),
        ("maestro 6761 0000 0000 0006 charged", "CREDIT_CARD", "6761 0000 0000 0006"),
        ("SSN 219.09.9999 confirmed", "US_SSN", "219.09.9999"),
        ("soc_sec_no: 219099999", "US_SSN", "219099999"),
        ("Tel. 089/1234567 (Zentrale)", "PHONE", "089/1234567"),
    ],
)
def test_other_ways_of_writing_cards_ssns_and_phones(text: str, entity: str, value: str) -> None:
    assert (entity, value) in found(text)


def test_values_in_neighbouring_tab_cells_stay_apart() -> None:
    text = (
        "id\tname\tssn\tcard\tphone\n"
        "1001\tAnn Roe\t219-09-9999\t4111 1111 1111 1111\t(415) 555-0134\n"
        "1002\tBob Li\t078-05-1120\t5500 0000 0000 0004\t+44 20 7946 0958\n"
    )
    assert found(text) == [
        ("US_SSN", "219-09-9999"),
        ("CREDIT_CARD", "4111 1111 1111 1111"),
        ("PHONE", "(415) 555-0134"),
        ("US_SSN", "078-05-1120"),
        ("CREDIT_CARD", "5500 0000 0000 0004"),
        ("PHONE", "+44 20 7946 0958"),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [("4111\t1111\t1111\t1111", "4111\t1111\t1111\t1111"), ("pay 4111 1111\t1111 1111 now", None)],
)
def test_a_tab_inside_a_spaced_out_value_reads_as_a_space(text: str, value: str | None) -> None:
    assert [t for t, _ in found(text)] == ["CREDIT_CARD"]
    if value is not None:
        assert found(text) == [("CREDIT_CARD", value)]


def test_a_spaced_card_cell_ends_at_its_tab() -> None:
    """The tab after a card written in groups ends its cell: the next cell's day is no group."""
    text = "id\tcard\tdue\n7\t5105 1051 0510 5100\t5 April 2023\n"
    found = [(f.type, text[f.start : f.end]) for f in scan_text(text).findings]
    assert ("CREDIT_CARD", "5105 1051 0510 5100") in found
