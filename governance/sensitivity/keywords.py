"""One pass over the lowered text for every keyword any detector needs, so each detector runs
only when its cue is present (in native code, `cue_scan.c`: about 1.3 µs per KB)."""

from __future__ import annotations

from typing import NamedTuple

from governance.sensitivity.cue_scan import CueFinder

__all__ = ["ASSIGNMENT_WORDS", "Cues", "find_cues"]

VENDOR_PREFIXES = (
    "akia", "asia", "sk-", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox",
    "sk_live_", "rk_live_", "sk_test_", "rk_test_", "aiza", "eyj", "glpat-", "npm_", "pypi-", "hf_",
    "sg.", "dop_v", "shpat_",
)  # fmt: skip
ASSIGNMENT_WORDS = (
    "password", "passwd", "passphrase", "pwd", "secret", "token", "apikey", "api_key", "api-key",
    "access_key", "access-key", "secret_key", "secret-key", "private_key", "private-key",
    "credential", "credentials", "pass", "passcode",
)  # fmt: skip
# Password labels written as words, in prose or in other languages (`my password is …`,
# `Passwort: …`, `mot de passe : …`, `contraseña: …`); credentials.py reads what follows.
PASSWORD_WORDS = (
    "password", "passcode", "passwort", "kennwort", "mot de passe", "contrase", "senha",
    "wachtwoord", "haslo", "has\u0142o", "senord", "adgangskode", "salasana", "parola",
    "api key", "access key", "secret key", "token", "schluessel", "clave", "chiave",
    "sleutel", "chave",
)  # fmt: skip
# Birth cues and medical-record cues, as words or field names, in the languages the scan reads.
BIRTH_WORDS = (
    "dob", "d.o.b", "birth", "born", "geburt", "geboren", "geb.", "naissance", "nacimiento",
    "nacid", "naci", "nascita", "nato ", "nata ", "geboorte", "nascimento", "nascid", "urodz",
)  # fmt: skip
RECORD_WORDS = (
    "mrn", "medical record", "medical_record", "medicalrecord", "med rec", "medrec", "med_rec",
    "med.rec", "chart",
    "dossier m", "historia cl", "cartella clinica", "prontu", "processo cl", "krankenakte",
    "identifier",
)  # fmt: skip
HEALTH_ID_WORDS = (*BIRTH_WORDS, *RECORD_WORDS)
# Birth cues spelled with letters beyond ASCII, which the native cue pass does not take.
BIRTH_WORDS_BEYOND_ASCII = ("nací", "né", "Né", "fød", "Fød", "föd", "Föd")
CONDITION_WORDS = (
    "diagnos", "icd", "dx", "prognosis", "treated for", "suffers from", "prescri", "medication",
    "hiv", "diabetes", "cancer", "depression", "pregnan", "chemotherapy",
)  # fmt: skip
# Where a condition phrase may start (health.py): the cue words, and `condition`, which is not
# a cue on its own.
CONDITION_STARTS = (*CONDITION_WORDS, "condition")
# Device identifiers, whose digits pass for a card's (numbers.py).
DEVICE_ID_WORDS = ("imei", "meid", "iccid")
# Tools that take a credential as a short flag (credentials.py reads which flag).
CLI_CREDENTIAL_TOOLS = ("mysql", "mariadb", "sshpass", "mongo", "redis-cli", " login")
OTHER_WORDS = (
    "private key-----", "private key block-----", "curl", "://", "data:", "@", "key", "bearer",
    "basic", "hooks.", "webhooks",
    *CLI_CREDENTIAL_TOOLS,
)  # fmt: skip

_WORDS = tuple(
    dict.fromkeys(
        w
        for w in (
            *VENDOR_PREFIXES, *ASSIGNMENT_WORDS, *PASSWORD_WORDS, *HEALTH_ID_WORDS,
            *CONDITION_STARTS, *DEVICE_ID_WORDS, *OTHER_WORDS,
        )
        if w.isascii()
    )
)  # fmt: skip
# Digits at most this far apart belong to one run: room for ") (" between groups.
_RUN_GAP = 4
_FINDER = CueFinder(_WORDS, _RUN_GAP)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class Cues(NamedTuple):
    """Where each keyword starts in the text, the runs of nearby digits (start, end), and where
    two letters, then two digits, start a token (where an IBAN may start). A tuple, not a
    frozen dataclass: built once per scan, and a frozen dataclass costs three setattr calls."""

    at: dict[str, list[int]]
    digit_runs: list[tuple[int, int]]
    coded_starts: list[int]

    def any_of(self, words: frozenset[str]) -> bool:
        # A set, so the test walks this text's few cues, not the list of words.
        return not self.at.keys().isdisjoint(words)

    def among(self, words: frozenset[str]) -> frozenset[str]:
        """The cues of this text that are in `words`. Asked of the set: `keys() & words` would
        walk every word of a frozenset, not this text's few cues."""
        return words.intersection(self.at)


def find_cues(text: str) -> Cues:
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lower to two; keep offsets aligned
        lowered = text.translate(_ASCII_LOWER)
    return Cues(*_FINDER(lowered))
