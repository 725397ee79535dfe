"""The secrets detector's shortcuts answer as the plain checks they replace."""

from __future__ import annotations

import random

from governance.sensitivity.credentials import _PASSWORD_PHRASE, _password_phrases
from governance.sensitivity.keywords import find_cues

_PIECES = (
    "password", "Password", "PASSCODE", "passwort", "Kennwort", "mot de passe", "contrasena",
    "senha", "pw", "PWD", "wachtwoord", "haslo", "losenord", "Losenord", "adgangskode",
    "salasana", "parola", "api key", "Access Key", "secret key", "token", "passpw", "xpassword",
    " is ", " was ", ": ", "=", " = ", " for the db is ", " set to ", " - ", "Xk9#pL2q", "hunter2",
    "s3cr3t!", "abc", "\n", " ", "\"", "'", ".", ",", "temporaire :", "-", "_",
)  # fmt: skip


def _texts(count: int) -> list[str]:
    rng = random.Random(7)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 14))) for _ in range(count)]


def test_password_phrases_match_finditer_on_ascii_texts() -> None:
    for text in _texts(4000):
        expected = [m.span("value") for m in _PASSWORD_PHRASE.finditer(text)]
        found = [m.span("value") for m in _password_phrases(text, find_cues(text), True)]
        assert found == expected, text


def test_password_phrases_read_a_text_beyond_ascii_whole() -> None:
    text = "Hasło: Xk9#pL2q and password is hunter22"
    expected = [m.span() for m in _PASSWORD_PHRASE.finditer(text)]
    assert [m.span() for m in _password_phrases(text, find_cues(text), False)] == expected
