"""Secrets: vendor tokens, JWTs, PEM private keys and the values of password/secret/token settings.

References and placeholders (`${DB_PASSWORD}`, `$OPENAI_API_KEY`, `{{ secrets.X }}`), masked keys
and harmless settings with secret-sounding names (`max_tokens`) are not secrets.
"""

from __future__ import annotations

import base64
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator

from governance.sensitivity.fields import Fields
from governance.sensitivity.findings import EntityType
from governance.sensitivity.keywords import (
    ASSIGNMENT_WORDS,
    CLI_CREDENTIAL_TOOLS,
    PASSWORD_WORDS,
    VENDOR_PREFIXES,
    Cues,
)
from governance.sensitivity.scan_budget import check_budget

__all__ = ["detect_secrets"]

# Set forms of the cue words, so a text without them is passed over in one native step.
_VENDOR_CUES = frozenset(VENDOR_PREFIXES)
_ASSIGNMENT_CUES = frozenset(ASSIGNMENT_WORDS)

_B = r"(?<![A-Za-z0-9_\-])"  # a token starts at a boundary
_E = r"(?![A-Za-z0-9_\-])"
_VENDOR = re.compile(
    "|".join(
        (
            rf"{_B}(?:AKIA|ASIA)[A-Z0-9]{{16}}{_E}",
            rf"{_B}sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_\-]{{20,}}{_E}",
            rf"{_B}sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{{20,}}{_E}",
            rf"{_B}(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{{36,}}{_E}",
            rf"{_B}github_pat_[A-Za-z0-9_]{{40,}}{_E}",
            rf"{_B}xox[abposr]-[A-Za-z0-9\-]{{10,}}{_E}",
            rf"{_B}(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{{20,}}{_E}",
            rf"{_B}glpat-[A-Za-z0-9_\-]{{20,}}{_E}",
            rf"{_B}npm_[A-Za-z0-9]{{36}}{_E}",
            rf"{_B}pypi-[A-Za-z0-9_\-]{{50,}}{_E}",
            rf"{_B}hf_[A-Za-z0-9]{{30,}}{_E}",
            rf"{_B}SG\.[A-Za-z0-9_\-]{{16,}}\.[A-Za-z0-9_\-]{{16,}}{_E}",
            rf"{_B}dop_v1_[a-f0-9]{{64}}{_E}",
            rf"{_B}shpat_[a-fA-F0-9]{{32}}{_E}",
            rf"{_B}AIza[A-Za-z0-9_\-]{{35}}{_E}",
            rf"{_B}eyJ[A-Za-z0-9_\-]{{8,}}\.eyJ[A-Za-z0-9_\-]{{8,}}\.[A-Za-z0-9_\-]{{16,}}{_E}",
        )
    )
)
_PEM = re.compile(
    r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY((?: BLOCK)?)-----"
    r"[\s\S]*?-----END \1PRIVATE KEY\2-----"
)
# A password named in words, in prose or another language: `my password is …`, `Passwort: …`,
# `la contraseña del wifi es …`. The value after a copula must read as a password, not a word.
_PASSWORD_PHRASE = re.compile(
    r"(?i)(?<![\w\-])(?:password|passcode|passwort|kennwort|mot de passe|contrase(?:ñ|n)a|senha"
    r"|wachtwoord|has(?:ł|l)o|l(?:ö|o)senord|adgangskode|salasana|parola|api key|access key"
    r"|secret key|token)"
    # a word or two of description: `mot de passe temporaire :`, `contraseña provisional es`
    r"(?:\s+[^\W\d_]{2,15}){0,2}?"
    r"(?:\s+(?:for|to|f(?:ü|u)r|pour|para|per|voor|do|til|för|del|de)\s+[^\n:=]{1,40}?)?"
    r"(?:\s*=|\s*:(?=\s)|\s*:$|\s+(?:is|was|ist|war|est|es|era|é|è|er|on|är|jest|lautet|ser(?:á|a)"
    r"|(?:(?:is|was|has been|got)\s+)?(?:set|changed|reset|updated)\s+to|to)\s*:?)"
    r"\s*[\"'“«]?(?P<value>[^\s\"'”»,;]+)",
    re.MULTILINE,
)
# A key named in another language: `API-Schlüssel: …`, `clé API : …`, `clave de API: …`.
_KEY_PHRASE = re.compile(
    r"(?i)(?<![\w\-])(?:api[\- ]?)?(?:schlüssel|schluessel|clé|cle|clave|chiave|sleutel|chave)"
    r"(?:\s+(?:de |d')?api)?\s*[:=]\s*[\"'“«]?(?P<value>[^\s\"'”»,;]+)"
)
# `Authorization: Bearer …` with an opaque token (JWTs are found by their shape).
_BEARER = re.compile(r"(?i)\bbearer\s+(?P<value>[A-Za-z0-9\-._~+/]{16,}=*)")
_VALUE = r"(?:(\")([^\"\n]+)\"|(')([^'\n]+)'|([^\s\"'`,;)}\]]+))"
# What follows a setting's name: `= v`, `: v`, `"key": "v"`, `=> v`. The name must END with the
# secret word, so `max_tokens` and `token_expiry_seconds` never qualify.
# `= v`, `: v`, `"] = v` (a subscript), `: str = v` (a typed name), `("v")` (a call).
_AFTER_NAME = re.compile(
    rf"[\"']?\]?\s*(?:(?::\s*[\w\[\].<>?]+\s*)?=(?!=)|:=|:|=>)\s*{_VALUE}"
    r"|[\"']?\(\s*(?:(\")([^\"\n]+)\"|(')([^'\n]+)')\s*\)"
)
# A command-line flag followed by its value: `--password hunter2`.
_AFTER_FLAG = re.compile(rf"\s+{_VALUE}")
# Credentials passed as short flags to the tools that take them so: `mysql -pSECRET`,
# `sshpass -p 'SECRET'`, `redis-cli -a SECRET`, `docker login -u ci -p SECRET`.
_CLI_CREDENTIAL = re.compile(
    r"(?<![\w\-])(?:(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)(?![\w\-])[^\n|;&]*?"
    r"\s-p['\"]?(?P<glued>[^\s'\"-][^\s'\"]*)"
    r"|(?:sshpass|mongo|mongosh|mongodump|mongorestore|(?:docker|podman|buildah|helm|skopeo)"
    r"(?: registry)? login)(?![\w\-])[^\n|;&]*?\s-p\s*['\"]?(?P<spaced>[^\s'\"]+)"
    r"|redis-cli(?![\w\-])[^\n|;&]*?\s-a\s+['\"]?(?P<auth>[^\s'\"]+))"
)
_CLI_TOOLS = frozenset(CLI_CREDENTIAL_TOOLS)
_PASSWORD_CUES = frozenset(PASSWORD_WORDS)
# `clé` and `Schlüssel` are not ASCII: a text holding them is read whatever its cues.
_KEY_CUES = frozenset(("schluessel", "clave", "chiave", "sleutel", "chave"))
# Secret names that head a table's column (`username,password`, `service\tapi_key`).
_COLUMN_CUES = frozenset(
    ("password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "api-key",
     "secret_key", "access_key", "private_key", "credential", "passwort", "senha")
)  # fmt: skip
# A setting whose name ends in `key` (`"api": {"key": …}`, `AccountKey=…`, `signing_key: …`)
# holds a secret when its value reads as one and the name is not one of a key that is no secret.
_KEY_NAME = re.compile(
    r"(?<![\w\-.])[\"']?(?P<name>[\w\-.]{0,40}?[Kk][Ee][Yy])[\"']?\s*(?:=|:)\s*[\"']?"
    r"([A-Za-z0-9+/=_\-.~]{16,})"
)
_NOT_SECRET_KEYS = re.compile(
    r"(?:public|primary|foreign|sort|partition|cache|idempotency|object|routing|hash|range|s3"
    r"|unique|composite|row|lookup|dedup|dedupe|group|message|event|map|dict|hot|api_?public)"
    r"[_\-.]?key$"
)
# `Authorization: Basic …`: a user and a password, base64-encoded.
_BASIC = re.compile(r"(?i)\bbasic\s+(?P<value>[A-Za-z0-9+/]{12,}={0,2})(?![\w+/=])")
# Incoming-webhook URLs carry their own secret.
_WEBHOOK = re.compile(
    r"https://(?:hooks\.slack\.com/services/[A-Za-z0-9/_\-]{20,}"
    r"|discord(?:app)?\.com/api/webhooks/\d+/[A-Za-z0-9_\-]{20,})"
)
_CURL_USER = re.compile(r"\bcurl\b[^\n]*?\s(?:-u|--user)\s*['\"]?[^\s:'\"]+:([^\s'\"@]+)")
# After `scheme://`: `user:password@host`, the user name may be empty (`redis://:pw@host`).
_USERINFO = re.compile(r"[^\s:/@]*:([^\s:/@]+)@[\w.\-\[]")
_DATA_URI = re.compile(r"data:[\w.+\-]+/[\w.+\-]+(?:;[\w=\-]+)*,[A-Za-z0-9+/=%_\-]*")
_PLACEHOLDER = re.compile(
    r"(?i)^(?:\$|\{\{|%\(|<|\[|[\w.]+\(|os\.environ|process\.env|getenv|secrets\.|vault:)|"
    r"^(?:.*\*{3,}.*|.*\.{3,}.*|.*•.*|x{3,}|(?:your|my)[_\-].*|.*[_\-]here|(?:change|replace)[_\-]?me.*|"
    r"password|passwd|secret|token|example|redacted|placeholder|dummy|todo|tbd|none|null|true|false)$"
)
# A file path (`PWD=/home/deploy`) or a package pin (`django==4.2.7`) is not a secret.
_PATH = re.compile(r"(?:~|\.{1,2})?(?:/[\w.\-]+)+/?|[A-Za-z]:\\[\w.\\\- ]*")
_RANDOM_SEGMENT = re.compile(r"(?=[^/]*[a-z])(?=[^/]*[A-Z])(?=[^/]*\d)[^/]{6,}")
_PIN = re.compile(r"[A-Za-z][\w.\-]*(?:==|~=|>=|<=|@)\d[\w.]*")
# What holds the credentials a setting named only `key` is one of (`"api": {"key": …}`).
_CREDENTIAL_PARENT = re.compile(
    r"api|auth|cred|secret|token|access|client|oauth|signing|private|license|stripe|openai|aws"
    r"|account|encrypt|master|subscription|shared"
)
_PARENT_REACH = 400
_MEMBER_NAME = re.compile(r"[\"']?([\w\-.]+)[\"']?\s*[:=]\s*$")
_HEX = re.compile(r"[0-9a-fA-F]+")


_ANY_CUE = frozenset(
    (
        *_VENDOR_CUES, *_ASSIGNMENT_CUES, *_CLI_TOOLS, *_PASSWORD_CUES, *_KEY_CUES, *_COLUMN_CUES,
        "private key-----", "private key block-----", "curl", "bearer", "key", "basic", "hooks.",
        "webhooks", "://",
    )
)  # fmt: skip


def detect_secrets(
    text: str, cues: Cues, fields: Fields
) -> Iterator[tuple[int, int, EntityType, float]]:
    present = cues.among(_ANY_CUE)  # the few cues of secrets this text holds
    ascii_only = text.isascii()
    if not present and ascii_only:
        return  # every kind of secret below has a cue (or letters beyond ASCII) to start from
    found: set[tuple[int, int, EntityType, float]] = set()
    for prefix in present & _VENDOR_CUES:
        for position in cues.at[prefix]:
            check_budget()
            match = _VENDOR.match(text, position)
            if match is not None and _entropy(match.group()) >= 3.0:
                found.add((match.start(), match.end(), "SECRET", 0.95))
    if "private key-----" in present or "private key block-----" in present:
        found.update((m.start(), m.end(), "SECRET", 0.99) for m in _PEM.finditer(text))
    for word in present & _ASSIGNMENT_CUES:
        for position in cues.at[word]:
            check_budget()
            value = _assigned_value(text, position + len(word))
            if value is not None:
                found.add((*value, "SECRET", 0.85))
    if "curl" in present:
        found.update(_values(_CURL_USER.finditer(text)))
    if not present.isdisjoint(_CLI_TOOLS):
        for match in _CLI_CREDENTIAL.finditer(text):
            check_budget()
            group = next(g for g in ("glued", "spaced", "auth") if match.group(g) is not None)
            if _is_real_value(match.group(group)):
                found.add((match.start(group), match.end(group), "SECRET", 0.9))
    if not present.isdisjoint(_PASSWORD_CUES) or (
        not ascii_only and "as\u0142o" in text
    ):
        for match in _PASSWORD_PHRASE.finditer(text):
            check_budget()
            span = _password_in_words(match)
            if span is not None:
                found.add((*span, "SECRET", 0.85))
    if not present.isdisjoint(_KEY_CUES) or not ascii_only:
        for match in _KEY_PHRASE.finditer(text):
            check_budget()
            if _reads_random(match.group("value")):
                found.add((match.start("value"), match.end("value"), "SECRET", 0.85))
    if "bearer" in present:
        for match in _BEARER.finditer(text):
            if _reads_random(match.group("value")):
                found.add((match.start("value"), match.end("value"), "SECRET", 0.9))
    # A table whose column is named for a secret: every value under that header.
    for word in present & _COLUMN_CUES:
        for position in cues.at[word]:
            check_budget()
            for start, end in fields.column_below(position):
                if _is_real_value(text[start:end]):
                    found.add((start, end, "SECRET", 0.85))
    for position in cues.at.get("key", ()):
        check_budget()
        match = _key_setting(text, position)
        if match is not None and _key_holds_a_secret(text, position, match):
            found.add((match.start(2), match.end(2), "SECRET", 0.85))
    if "basic" in present:
        for match in _BASIC.finditer(text):
            if _decodes_to_credentials(match.group("value")):
                found.add((match.start("value"), match.end("value"), "SECRET", 0.9))
    if "hooks." in present or "webhooks" in present:
        found.update((m.start(), m.end(), "SECRET", 0.9) for m in _WEBHOOK.finditer(text))
    for position in cues.at.get("://", ()):
        check_budget()
        if position > 0 and text[position - 1].isalpha():
            found.update(_values([_USERINFO.match(text, position + 3)]))
    excluded = [m.span() for m in _DATA_URI.finditer(text)] if "data:" in cues.at else []
    for start, end, entity, score in found:
        if not any(s <= start and end <= e for s, e in excluded):
            yield start, end, entity, score


def _assigned_value(text: str, word_end: int) -> tuple[int, int] | None:
    """The value after a setting whose name ends at `word_end`, if it is a real secret."""
    if word_end < len(text) and text[word_end].isalnum():
        return None
    name_start = word_end
    while name_start > 0 and (text[name_start - 1].isalnum() or text[name_start - 1] in "_.-"):
        name_start -= 1
    match = _AFTER_NAME.match(text, word_end)
    flag = text.startswith("-", name_start) and (name_start == 0 or text[name_start - 1].isspace())
    if match is None and flag:
        match = _AFTER_FLAG.match(text, word_end)
    if match is None:
        return None
    group = next(
        g for g in (2, 4, 5, 7, 9) if g <= match.re.groups and match.group(g) is not None
    )
    if not _is_real_value(match.group(group)):
        return None
    return match.start(group), match.end(group)


def _values(
    matches: Iterable[re.Match[str] | None],
) -> Iterator[tuple[int, int, EntityType, float]]:
    for match in matches:
        if match is not None and _is_real_value(match.group(1)):
            yield match.start(1), match.end(1), "SECRET", 0.9


def _password_in_words(match: re.Match[str]) -> tuple[int, int] | None:
    start, end = match.span("value")
    value = match.group("value").rstrip(".?)")
    end = start + len(value)
    after_copula = match.group()[: start - match.start()].rstrip(" \"'“«")[-1:] not in ":="
    if not _is_real_value(value) or value.lower().startswith(("http:", "https:", "www.")):
        return None
    if match.string[end : end + 3].lstrip().startswith("="):
        return None  # `password: String = …`: a type, the value comes after it
    if after_copula and not _reads_as_password(value):
        return None  # `the password is incorrect`
    return start, end


def _reads_as_password(value: str) -> bool:
    """Not a plain word: a digit, a symbol or a capital past the first letter."""
    return any(c.isdigit() or not c.isalnum() for c in value) or value[1:] != value[1:].lower()


def _reads_random(value: str) -> bool:
    has_digit = any(c.isdigit() for c in value)
    has_letter = any(c.isalpha() for c in value)
    return has_digit and has_letter and _is_real_value(value) and _entropy(value) >= 3.5


def _key_setting(text: str, position: int) -> re.Match[str] | None:
    """The setting whose name ends with the `key` at `position`."""
    if position + 3 < len(text) and (text[position + 3].isalnum() or text[position + 3] == "_"):
        return None
    start = position
    while start > 0 and position - start < 40 and _in_name(text[start - 1]):
        start -= 1
    # `key` alone, or the last word of a name: `api_key`, `signing.key`, `AccountKey`.
    if start < position and not (text[position - 1] in "_-." or text[position].isupper()):
        return None
    if start > 0 and text[start - 1] in "\"'":
        start -= 1
    return _KEY_NAME.match(text, start)


def _in_name(char: str) -> bool:
    return char.isalnum() or char in "_-."


def _key_holds_a_secret(text: str, position: int, match: re.Match[str]) -> bool:
    """Random-looking (long, letters and digits mixed, many different characters), named for a
    secret key, and either named or held for credentials or not a hex digest (a cache key)."""
    name, value = match.group("name").lower(), match.group(2)
    if _NOT_SECRET_KEYS.search(name) or not _reads_random(value):
        return False
    named = _CREDENTIAL_PARENT.search(name) is not None
    parent = _CREDENTIAL_PARENT.search(_parent_name(text, position)) is not None
    return named or parent or not _HEX.fullmatch(value)


def _decodes_to_credentials(value: str) -> bool:
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return False
    return ":" in decoded and decoded.isprintable()


def _parent_name(text: str, position: int) -> str:
    """The lowered name of the object that holds the member at `position`, if any."""
    depth = 0
    for index in range(position - 1, max(-1, position - _PARENT_REACH), -1):
        char = text[index]
        if char == "}":
            depth += 1
        elif char == "{":
            if depth == 0:
                match = _MEMBER_NAME.search(text, max(0, index - 48), index)
                return match.group(1).lower() if match else ""
            depth -= 1
    return ""


def _is_real_value(value: str) -> bool:
    value = value.strip()
    if len(value) < 6 or _PLACEHOLDER.match(value) or _PIN.fullmatch(value):
        return False
    if _PATH.fullmatch(value) and not _RANDOM_SEGMENT.search(value):
        return False
    if value.isdigit() and len(value) < 12:
        return False  # a port, a count or a duration, not a secret
    return _entropy(value) >= 2.0


def _entropy(value: str) -> float:
    counts = Counter(value)
    length = len(value)
    return -sum(n / length * math.log2(n / length) for n in counts.values())
