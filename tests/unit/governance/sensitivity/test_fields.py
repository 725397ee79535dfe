"""Context follows structure: a value's key, column header or SQL column is its context."""

from __future__ import annotations

import pytest

from governance.sensitivity import scan_text
from governance.sensitivity.fields import Fields


def found(text: str) -> list[tuple[str, str]]:
    return [(f.type, text[f.start : f.end]) for f in scan_text(text).findings]


def name_of(text: str, value: str) -> str:
    return Fields(text).name_at(text.index(value))


@pytest.mark.parametrize(
    ("text", "value", "name"),
    [
        ("a,b,Birth Date,d\n1,2,1971-02-03,4\n5,6,1980-07-08,9", "1980-07-08", "birth date"),
        ("id;mrn;ward\n7;Q5512090;4B", "Q5512090", "mrn"),
        ("x\ty\tphone\n1\t2\t2025550143", "2025550143", "phone"),
        ("| name | dob |\n| --- | --- |\n| Ann | 02/03/1977 |", "02/03/1977", "dob"),
        ('{"patient": {"chart_no": "88120456"}}', "88120456", "chart_no"),
        ("<birthDate>1966-05-04</birthDate>", "1966-05-04", "birthdate"),
        (
            "INSERT INTO t (ssn, dob) VALUES ('078051120', '1950-01-01'),"
            " ('219099999', '1961-02-02');",
            "1961-02-02",
            "dob",
        ),
        ("retry_token = 'v9Gq'", "v9Gq", "retry_token"),
        ("her date of birth is 1 March 1990", "1 March", "her date of birth is"),
    ],
)
def test_the_name_of_a_values_field(text: str, value: str, name: str) -> None:
    assert name_of(text, value) == name


def test_a_header_many_rows_up_still_names_the_column() -> None:
    rows = "".join(f"{i},Name {i},2024-01-{i % 28 + 1:02d}\n" for i in range(60))
    text = "row,name,date_of_birth\n" + rows
    assert name_of(text, "2024-01-28") == "date_of_birth"


def test_prose_with_commas_is_no_table() -> None:
    text = "Dependent: Ann Roe, DOB 3 Aug 1986, child\nPlan: Gold, effective 2025-10-27\n"
    assert found(text) == [("DATE_OF_BIRTH", "3 Aug 1986")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("emp_id,name,social_security_number\n1001,Ann Roe,219099999",
         [("US_SSN", "219099999")]),
        ("visit,MedicalRecordNo,test\n1000,004842021,TSH\n1001,T93569129,CBC",
         [("MEDICAL_RECORD_NUMBER", "004842021"), ("MEDICAL_RECORD_NUMBER", "T93569129")]),
        ("id\tname\tcell\n7\tAnn\t2025550143", [("PHONE", "2025550143")]),
        ('{"name": "Ann", "birthDate": "1958-04-11"}', [("DATE_OF_BIRTH", "1958-04-11")]),
        ("SELECT * FROM patients WHERE mrn = 'NH7618217'",
         [("MEDICAL_RECORD_NUMBER", "NH7618217")]),
        ("INSERT INTO patients (mrn, last_name, dob) VALUES ('26626338', 'Roe', '1943-10-24');",
         [("MEDICAL_RECORD_NUMBER", "26626338"), ("DATE_OF_BIRTH", "1943-10-24")]),
    ],
)
def test_values_are_found_by_their_field(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "patient_row,name,admitted\n5392279,Ann Roe,2019-05-24",  # an id in the first column
        "order_id,npi,zip\n1,2252912649,94105",
        "claim_no,amount\n4738-310106,12.50",
        "encounter,room\nENC30989863,12B",
    ],
)
def test_ids_under_other_headers_are_not_records_or_phones(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "patient_id,name,mrn\n5392279,Ann Roe,Q5512090",
        "Patient ID: 88120456, seen today",
        '{"patient": {"patient_number": "70106464"}}',
    ],
)
def test_a_patient_id_is_the_systems_key_not_the_record_number(text: str) -> None:
    assert "88120456" not in [v for t, v in found(text) if t == "MEDICAL_RECORD_NUMBER"]
    assert "5392279" not in [v for t, v in found(text) if t == "MEDICAL_RECORD_NUMBER"]
    assert "70106464" not in [v for t, v in found(text) if t == "MEDICAL_RECORD_NUMBER"]


def test_a_fhir_patients_record_identifier_but_not_its_ssn() -> None:
    text = (
        '{"resourceType": "Patient", "identifier": ['
        '{"type": {"coding": [{"code": "MR"}]}, "system": "urn:oid:1.2.36.1",'
        ' "value": "BK1099909"},'
        ' {"system": "http://hl7.org/fhir/sid/us-ssn", "value": "219099999"}]}'
    )
    records = [v for t, v in found(text) if t == "MEDICAL_RECORD_NUMBER"]
    assert records == ["BK1099909"]
