"""The secrets detector's patterns read at their cues against the whole-text searches they
replace: the same matches, in the same order, on texts that mix the cue words in any case."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from governance.sensitivity import credentials
from governance.sensitivity.cue_matches import cue_matches
from governance.sensitivity.keywords import find_cues

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
