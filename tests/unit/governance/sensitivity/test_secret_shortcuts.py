"""The secrets detector's shortcuts answer as the plain checks they replace."""

from __future__ import annotations

import random

from governance.sensitivity.credentials import (
    _CLI_CREDENTIAL,
    _CLI_STARTS,
    _PASSWORD_PHRASE,
    _matches_at_cues,
    _password_phrases,
)
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


_CLI_PIECES = (
    "mysql", "mysqldump", "MySQL", "mariadb-dump", "sshpass", "mongosh", "docker", "podman",
    "buildah", "helm", "skopeo", " registry", " login", "redis-cli", "sqlcmd", "bcp", "osql",
    "isql", "zip", "unzip", "ldapsearch", "smbclient", " -p", " -pS3cret!", " -a ", " -P ",
    " -w ", " -U ", "--user ", "ci%Xk9#pL2q", "hunter22", " ", "\n", "'", "\"", "|", "x", "-",
    "é",
)  # fmt: skip


def test_cli_credentials_match_finditer() -> None:
    rng = random.Random(11)
    for _ in range(4000):
        text = "".join(rng.choice(_CLI_PIECES) for _ in range(rng.randint(1, 12)))
        expected = [m.span() for m in _CLI_CREDENTIAL.finditer(text)]
        found = [
            m.span() for m in _matches_at_cues(_CLI_CREDENTIAL, text, find_cues(text), _CLI_STARTS)
        ]
        assert found == expected, text
