"""One pass over the lowered text for every keyword any detector needs, so each detector runs
only when its cue is present (in native code, `cue_scan.c`: about 1.3 µs per KB). Given the text
before lowering, the same pass finds the gaps inside vendor keys' prefixes (normalize.py)."""

from __future__ import annotations

from typing import NamedTuple

from governance.sensitivity.cue_scan import CueFinder

__all__ = [
    "ASSIGNMENT_WORDS",
    "GAPPED_PREFIXES",
    "MIN_KEY_BODY",
    "Cues",
    "find_cues",
    "find_cues_and_prefix_gaps",
]

VENDOR_PREFIXES = (
    "akia", "asia", "sk-", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox",
    "sk_live_", "rk_live_", "sk_test_", "rk_test_", "aiza", "eyj", "glpat-", "npm_", "pypi-", "hf_",
    "sg.", "dop_v", "doo_v", "dor_v", "shpat_", "shpss_", "shpca_", "shppa_", "xapp-", "whsec_",
    "gldt-", "glrt-", "glptt-", "glcbt-", "glffct-", "glft-", "glimt-", "glagent-", "gloas-",
    "glsoat-", "gocspx-", "key-", "lin_api_", "ntn_", "pcsk_", "gsk_", "pplx-", "xai-", "sbp_",
    "dckr_pat_", "glc_", "pmak-", "hvs.", "dp.", "glsa_", "nrak-", "dapi", "age-secret-key-",
    "lsv", "xkeysib-", "rzp_", "sntry", "ltai", "atatt",
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
    "sleutel", "chave", "pw",
)  # fmt: skip
# Birth cues and medical-record cues, as words or field names, in the languages the scan reads.
BIRTH_WORDS = (
    "dob", "d.o.b", "birth", "born", "geburt", "geboren", "geb.", "naissance", "nacimiento",
    "nacid", "naci", "nascita", "nato ", "nata ", "geboorte", "nasci", "urodz", "nac.",
    "nasc.", "bday", "b-day", "naiss.", "bdate", "b_date", "b-date", "d_o_b", "geb_dat", "gebdat",
    "geb-dat", "fecha_nac", "fecha nac", "data_nasc", "data nasc", "date_naiss", "date naiss",
)  # fmt: skip
RECORD_WORDS = (
    "mrn", "medical record", "medical_record", "medicalrecord", "med rec", "medrec", "med_rec",
    "med.rec", "med. rec", "chart", "mr#", "mr #", "mr no", "mr nr", "mr number", "mr_n", "mr-n",
    "hospital n", "hospital_n", "hospital-n", "hospital #", "hosp. n", "hosp n", "hosp_n",
    "health record", "ehr", "emr", "nhc",
    "medisch dossier", "med_record", "med record", "patient_record", "patient record",
    "dossier m", "historia cl", "cartella clinica", "prontu", "processo cl", "krankenakte",
    "dossier_m", "historia_cl", "cartella_clinica", "processo_cl",
    "identifier",
)  # fmt: skip
HEALTH_ID_WORDS = (*BIRTH_WORDS, *RECORD_WORDS)
# Birth cues spelled with letters beyond ASCII, which the native cue pass does not take.
BIRTH_WORDS_BEYOND_ASCII = ("nací", "Nací", "né", "Né", "fød", "Fød", "föd", "Föd")
CONDITION_WORDS = (
    "diagnos", "icd", "dx", "prognosis", "treated for", "suffers from", "prescri", "medication",
    "hiv", "diabetes", "cancer", "depression", "pregnan", "chemotherapy",
)  # fmt: skip
# Where a condition phrase may start (health.py): the cue words, and `condition`, which is not
# a cue on its own.
CONDITION_STARTS = (*CONDITION_WORDS, "condition")
# Device identifiers, whose digits pass for a card's (numbers.py).
DEVICE_ID_WORDS = ("imei", "meid", "iccid")
# Tools that take a credential as a short flag (command_lines.py reads which flag).
CLI_CREDENTIAL_TOOLS = (
    "mysql", "mariadb", "sshpass", "mongo", "redis-cli", " login", "sqlcmd", "bcp", "osql", "isql",
    "zip", "ldap", "smbclient",
)  # fmt: skip
OTHER_WORDS = (
    "private key-----", "private key block-----", "curl", "://", "data:", "@", "key", "bearer",
    "basic", "hooks.", "webhooks", "htpasswd", "auth", "sig=",
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
# Vendor key prefixes whose gaps the normalisation drops. Case-sensitive, as the keys are
# written; a gap may stand inside one or right after it.
GAPPED_PREFIXES = (
    "sk-proj-", "sk-svcacct-", "sk-admin-", "sk-ant-", "sk_live_", "rk_live_", "sk-",
    "github_pat_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_",
    "xoxa-", "xoxb-", "xoxp-", "xoxo-", "xoxr-", "xoxs-",
    "AKIA", "ASIA", "AIza", "eyJ",
)  # fmt: skip
# The shortest key body after a prefix (Slack's); it must also hold a letter and a digit, which
# words of prose after "Asia " or "sk - " do not.
MIN_KEY_BODY = 10
# Digits at most this far apart belong to one run: room for ") (" between groups.
_RUN_GAP = 4
_FINDER = CueFinder(_WORDS, _RUN_GAP, GAPPED_PREFIXES, MIN_KEY_BODY)
# A NamedTuple's own constructor is a Python function; tuple's builds one at half the cost.
_tuple_new = tuple.__new__
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
    at, runs, coded, _ = _FINDER(_lowered(text))
    return _tuple_new(Cues, (at, runs, coded))


def find_cues_and_prefix_gaps(text: str) -> tuple[Cues, list[tuple[int, int]]]:
    """The cues, and the gaps (start, end) inside or right after a prefix of GAPPED_PREFIXES
    written with gaps of one or two whitespace characters, before a body of MIN_KEY_BODY key
    characters or more that holds a letter and a digit (see cue_scan.c)."""
    at, runs, coded, gaps = _FINDER(_lowered(text), text)
    return _tuple_new(Cues, (at, runs, coded)), gaps


def _lowered(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lower to two; keep offsets aligned
        lowered = text.translate(_ASCII_LOWER)
    return lowered
