"""A medical record number is known by the names clinics give it, in the languages the scan
reads; a patient or case number is the system's own key, not the record number."""

from __future__ import annotations

import pytest

from governance.sensitivity import scan_text


def records(text: str) -> list[str]:
    return [
        text[f.start : f.end] for f in scan_text(text).findings if f.type == "MEDICAL_RECORD_NUMBER"
    ]


@pytest.mark.parametrize(
    ("text", "record"),
    [
        ("MR#: 7730914", "7730914"),
        ("MR No. 7730914, ward 4B", "7730914"),
        ("Med. Rec. No.: 7730914", "7730914"),
        ("Hospital number: 7730914", "7730914"),
        ("Hosp. No. 7730914", "7730914"),
        ("Health record number: HR-7730914", "HR-7730914"),
        ("EHR ID: 7730914", "7730914"),
        ("NHC: 7730914", "7730914"),
        ("medisch dossier 7730914", "7730914"),
    ],
)
def test_record_names_clinics_use(text: str, record: str) -> None:
    assert records(text) == [record]


@pytest.mark.parametrize(
    "text",
    [
        "Mr Novak paid 7730914 yen",
        "Patientennummer: 7730914",
        "Fallnummer: 7730914",
        "your number 7730914 is ready",
    ],
)
def test_other_numbers_near_those_words_are_not_records(text: str) -> None:
    assert records(text) == []


def test_a_record_number_may_end_in_a_check_letter() -> None:
    assert records("MRN: 4471023K, admitted 3 May") == ["4471023K"]


@pytest.mark.parametrize(
    "header",
    [
        "mr_number", "mr_no", "med_record_no", "hospital_number", "patient_record_number",
        "historia_clinica", "dossier_medical", "cartella_clinica", "processo_clinico",
    ],
)  # fmt: skip
def test_record_columns_with_short_names(header: str) -> None:
    text = f"id,name,{header}\n7,Ana Lima,7730914\n8,Rui Sousa,H-0042871\n"
    assert records(text) == ["7730914", "H-0042871"]
