"""A birth date is known by its context in the languages people write it in."""

from __future__ import annotations

import pytest

from governance.sensitivity import scan_text


def births(text: str) -> list[str]:
    return [text[f.start : f.end] for f in scan_text(text).findings if f.type == "DATE_OF_BIRTH"]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Frau Weber, geboren am 3. März 1971, wohnhaft in Köln", "3. März 1971"),
        ("Geburtsdatum: 14.02.1966", "14.02.1966"),
        ("Ich bin am 9. Oktober 1990 geboren.", "9. Oktober 1990"),
        ("M. Durand, né le 12 février 1958 à Lyon", "12 février 1958"),
        ("Date de naissance : 07/11/1949", "07/11/1949"),
        ("Fecha de nacimiento: 22-05-1983", "22-05-1983"),
        ("La paciente, nacida el 4 de junio de 1977, refiere dolor", "4 de junio de 1977"),
        ("¿Qué edad tengo si nací el 30/01/1992?", "30/01/1992"),
        ("Data di nascita: 1955-08-19", "1955-08-19"),
        ("Sig. Rossi, nato il 5 settembre 1960", "5 settembre 1960"),
        ("Geboortedatum: 17-03-1988", "17-03-1988"),
        ("Data de nascimento: 02/12/1974", "02/12/1974"),
        ("Paciente nascida em 27 de setembro de 1964", "27 de setembro de 1964"),
    ],
)
def test_birth_contexts_in_other_languages(text: str, date: str) -> None:
    assert births(text) == [date]


@pytest.mark.parametrize(
    "text",
    [
        "Rechnung vom 3. März 2024, fällig am 17.03.2024",
        "Date de livraison : 07/11/2024",
        "Fecha de pago: 22-05-2023",
        "Aufnahme am 12.01.2025, Entlassung am 19.01.2025",
    ],
)
def test_other_dates_in_those_languages_are_not_births(text: str) -> None:
    assert births(text) == []


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Bom dia, nasci em 21/07/1969 no Porto.", "21/07/1969"),
        ("Nasci a 3 de abril de 1983.", "3 de abril de 1983"),
        ("Nací el 8 de enero de 1971 en Sevilla", "8 de enero de 1971"),
        ("Fecha nac.: 19/09/1958", "19/09/1958"),
        ("Data nasc.: 30/06/1947", "30/06/1947"),
        ("my bday is 04/22/1990, can you work out my star sign", "04/22/1990"),
    ],
)
def test_first_person_and_abbreviated_birth_cues(text: str, date: str) -> None:
    assert births(text) == [date]


def test_the_french_abbreviation_of_naissance() -> None:
    assert births("Date de naiss. : 23/08/1961") == ["23/08/1961"]


@pytest.mark.parametrize("header", ["bdate", "d_o_b", "geb_datum", "fecha_nac", "data_nasc"])
def test_birth_columns_with_short_names(header: str) -> None:
    text = f"id,name,{header}\n7,Ana Lima,1961-08-23\n8,Rui Sousa,04.11.1972\n"
    assert births(text) == ["1961-08-23", "04.11.1972"]
