"""The secrets detector's shortcuts against the plain checks they replace: its patterns read at
their cues against whole-text searches (the same matches, in the same order, on texts that mix
the cue words in any case), and its value checks against checks that weigh entropy afresh."""

from __future__ import annotations

import math
import re
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from governance.sensitivity import credentials
from governance.sensitivity.cue_matches import cue_matches
from governance.sensitivity.keywords import find_cues
from governance.sensitivity.secret_values import entropy, is_real_value, reads_opaque, reads_random

_PIECES = [
    "password", "PassWord", "passcode", "Passwort", "kennwort", "mot de passe", "Mot De Passe",
    "contrasena", "contraseña", "senha", "pw", "PWD", "wachtwoord", "haslo", "hasło", "losenord",
    "lösenord", "Lösenord", "adgangskode", "salasana", "parola", "api key", "access key",
    "secret key", "TOKEN", "token", "tokens", "schluessel", "clave", "bearer", "Bearer",
    "BASIC", "basic", "x", "-", "_", " ", " ", " ", "\n", ":", "=", " is ", " set to ", " for ",
    "'", '"', ",", "Xk9#mQ2v", "hunter2", "dXNlcjpwYXNz", "abcDEF123456ghiJKL789", "é", "ſ",
    "http:", "the", "new",
]  # fmt: skip
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=14).map("".join)


@given(_TEXT)
def test_password_phrases_read_at_their_cues_are_the_phrases_a_search_finds(text: str) -> None:
    cues = find_cues(text)
    present = cues.among(credentials._ANY_CUE)
    starts = credentials._password_starts(cues, present)
    found = cue_matches(credentials._PASSWORD_PHRASE, text, starts, text.isascii())
    assert [m.span() for m in found] == [
        m.span() for m in credentials._PASSWORD_PHRASE.finditer(text)
    ]


@given(_TEXT)
def test_bearer_and_basic_read_at_their_cues_are_what_a_search_finds(text: str) -> None:
    cues = find_cues(text)
    for word, pattern in (("bearer", credentials._BEARER), ("basic", credentials._BASIC)):
        found = cue_matches(pattern, text, cues.at.get(word, []), text.isascii())
        assert [m.span() for m in found] == [m.span() for m in pattern.finditer(text)]


def test_a_text_beyond_ascii_is_searched() -> None:
    # `ſ` matches `s` case-insensitively: no cue finds `paſsword`, the search does.
    text = "paſsword: Xk9#mQ2v"
    found = cue_matches(credentials._PASSWORD_PHRASE, text, [], ascii_only=False)
    assert [m.group("value") for m in found] == ["Xk9#mQ2v"]
    assert re.search("(?i)pass", "paſs") is not None


# The plain checks of secret_values: each weighs the value's entropy afresh.
def _plain_reads_random(value: str) -> bool:
    has_digit = any(c.isdigit() for c in value)
    has_letter = any(c.isalpha() for c in value)
    floor = 3.0 if len(value) >= 24 else 3.5
    return has_digit and has_letter and is_real_value(value) and entropy(value) >= floor


def _plain_reads_opaque(value: str) -> bool:
    return (
        len(value) >= 20
        and _plain_reads_random(value)
        and not re.fullmatch(r"[0-9a-fA-F\-]+", value)
        and entropy(value) >= 3.5
    )


_VALUE = st.text(
    st.sampled_from("abcdefgh01234567ABCDEF-_/.+= $*{}"), max_size=40
) | st.sampled_from(
    ["abcdefgh12", "abcd1234ABCD5678", " abcdefgh12345678 ", "0123456789abcdef0123",
     "a1b2c3d4e5f6g7h8i9j0k1l2", "${TOKEN_12345}", "/home/u1/x", "12345678901234567890"]
)  # fmt: skip


@given(_VALUE)
def test_the_value_checks_answer_as_the_plain_checks(value: str) -> None:
    assert reads_random(value) is _plain_reads_random(value)
    assert reads_opaque(value) is _plain_reads_opaque(value)


def _plain_entropy(value: str) -> float:
    counts = Counter(value)
    length = len(value)
    return -sum(n / length * math.log2(n / length) for n in counts.values())


@given(st.text(max_size=60) | _VALUE)
def test_entropy_is_the_very_float_of_the_plain_sum(value: str) -> None:
    assert entropy(value) == _plain_entropy(value)
