"""Medical record numbers, and the clinical identifiers and codes that are not MRNs."""

from __future__ import annotations

import string
from random import Random

from .cards import with_check_digit

ICD10 = (
    "E11.9", "E11.65", "I10", "J45.909", "M54.5", "F32.1", "Z79.4", "N18.3", "K21.9", "J44.1",
    "E78.5", "I48.91", "G43.909", "R51.9", "C50.911", "S72.001A", "O24.419", "F41.1", "L40.0",
)
CPT = ("99213", "99214", "99203", "93000", "80053", "85025", "71046", "36415", "99285", "70450")
DIAGNOSES = (
    "type 2 diabetes", "hypertension", "asthma", "low back pain", "major depressive disorder",
    "CKD stage 3", "GERD", "COPD exacerbation", "atrial fibrillation", "migraine", "psoriasis",
)


def _digits(rng: Random, count: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(count))


def mrn(rng: Random) -> str:
    """Hospital record numbers: zero-padded digits, or a facility letter or two and digits."""
    style = rng.choices(("padded", "digits", "letters", "dashed"), (4, 4, 3, 1))[0]
    if style == "padded":
        return "00" + _digits(rng, rng.randint(5, 7))
    if style == "digits":
        return str(rng.randint(1, 9)) + _digits(rng, rng.randint(6, 9))
    if style == "letters":
        prefix = "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.randint(1, 2)))
        return prefix + _digits(rng, rng.randint(6, 8))
    return f"{_digits(rng, 3)}-{_digits(rng, 3)}-{_digits(rng, 2)}"


def npi(rng: Random) -> str:
    """A National Provider Identifier: Luhn over the 80840 prefix, as CMS issues them."""
    body = str(rng.randint(1, 2)) + _digits(rng, 8)
    return with_check_digit("80840" + body)[5:]


def encounter_number(rng: Random) -> str:
    return rng.choice((f"ENC{_digits(rng, 8)}", _digits(rng, 9), f"V{_digits(rng, 10)}"))


def accession_number(rng: Random) -> str:
    year = rng.randint(19, 25)
    return rng.choice(
        (f"S{year}-{_digits(rng, 5)}", f"{year}-{_digits(rng, 6)}",
         f"CT-20{year}-{_digits(rng, 7)}", f"ACC{_digits(rng, 8)}")
    )


def room(rng: Random) -> str:
    return f"{rng.randint(1, 9)}{rng.randint(0, 4)}{rng.randint(0, 9)}{rng.choice(('', 'A', 'B'))}"


def bed(rng: Random) -> str:
    return rng.choice((str(rng.randint(1, 40)), f"{rng.randint(1, 12)}{rng.choice('ABCD')}"))


def claim_number(rng: Random) -> str:
    return rng.choice(
        (f"CLM-{_digits(rng, 10)}", _digits(rng, 12), f"{_digits(rng, 4)}-{_digits(rng, 6)}")
    )


def member_id(rng: Random) -> str:
    letters = "".join(rng.choice(string.ascii_uppercase) for _ in range(3))
    return letters + _digits(rng, 9)


def icd10(rng: Random) -> str:
    return rng.choice(ICD10)


def cpt(rng: Random) -> str:
    return rng.choice(CPT)


def diagnosis(rng: Random) -> str:
    return rng.choice(DIAGNOSES)
