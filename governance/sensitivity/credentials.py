"""Secrets: vendor tokens, JWTs, PEM private keys and the values of password/secret/token settings.

References and placeholders (`${DB_PASSWORD}`, `$OPENAI_API_KEY`, `{{ secrets.X }}`), masked keys
and harmless settings with secret-sounding names (`max_tokens`) are not secrets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from governance.sensitivity.command_lines import COMMAND_LINE_CUES, command_line_secrets
from governance.sensitivity.cue_matches import cue_matches
from governance.sensitivity.fields import Fields
from governance.sensitivity.findings import EntityType
from governance.sensitivity.key_settings import key_holds_a_secret, key_setting
from governance.sensitivity.keywords import (
    ASSIGNMENT_WORDS,
    PASSWORD_WORDS,
    VENDOR_PREFIXES,
    Cues,
)
from governance.sensitivity.scan_budget import check_budget
from governance.sensitivity.secret_values import (
    decodes_to_credentials,
    entropy_at_least,
    is_real_value,
    reads_as_password,
    reads_opaque,
    reads_random,
)

__all__ = ["detect_secrets"]

# Set forms of the cue words, so a text without them is passed over in one native step.
_VENDOR_CUES = frozenset(VENDOR_PREFIXES)
_ASSIGNMENT_CUES = frozenset(ASSIGNMENT_WORDS)

_B = r"(?<![A-Za-z0-9_\-])"  # a token starts at a boundary
_E = r"(?![A-Za-z0-9_\-])"
# Every vendor's token, after the boundary it starts at (read once, not once a vendor).
_VENDOR_TOKENS = (
    rf"(?:AKIA|ASIA)[A-Z0-9]{{16}}{_E}",
    rf"sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_\-]{{20,}}{_E}",
    rf"sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{{20,}}{_E}",
    rf"(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{{36,}}{_E}",
    rf"github_pat_[A-Za-z0-9_]{{40,}}{_E}",
    rf"xox[abposre]-[A-Za-z0-9\-]{{10,}}{_E}",
    rf"xapp-\d-[A-Za-z0-9\-]{{20,}}{_E}",
    rf"(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{{20,}}{_E}",
    rf"whsec_[A-Za-z0-9+/=]{{24,}}{_E}",
    rf"gl(?:pat|dt|rt|ptt|cbt|ffct|ft|imt|agent|oas|soat)-[A-Za-z0-9_\-]{{20,}}{_E}",
    rf"npm_[A-Za-z0-9]{{36}}{_E}",
    rf"pypi-[A-Za-z0-9_\-]{{50,}}{_E}",
    rf"hf_[A-Za-z0-9]{{30,}}{_E}",
    rf"SG\.[A-Za-z0-9_\-]{{16,}}\.[A-Za-z0-9_\-]{{16,}}{_E}",
    rf"do[opr]_v1_[a-f0-9]{{64}}{_E}",
    rf"shp(?:at|ss|ca|pa)_[a-fA-F0-9]{{32}}{_E}",
    rf"AIza[A-Za-z0-9_\-]{{35}}{_E}",
    rf"GOCSPX-[A-Za-z0-9_\-]{{24,}}{_E}",
    # A JWS: a JSON header (`{"` is `eyJ`), a payload and a signature.
    rf"eyJ[A-Za-z0-9_\-]{{8,}}\.[A-Za-z0-9_\-]{{8,}}\.[A-Za-z0-9_\-]{{16,}}{_E}",
    rf"key-[a-f0-9]{{32}}{_E}",  # Mailgun
    rf"(?:lin_api_|ntn_|pcsk_|gsk_|pplx-|xai-|sbp_|dckr_pat_|glc_)"
    rf"[A-Za-z0-9_\-]{{24,}}{_E}",
    rf"PMAK-[a-f0-9]{{24}}-[a-f0-9]{{34}}{_E}",  # Postman
    rf"hvs\.[A-Za-z0-9_\-]{{24,}}{_E}",  # HashiCorp Vault
    rf"dp\.(?:st|ct|pt|sa|scim|audit)\.[A-Za-z0-9_\-.]{{40,}}{_E}",  # Doppler
    rf"glsa_[A-Za-z0-9]{{32}}_[a-fA-F0-9]{{8}}{_E}",  # Grafana
    rf"NRAK-[A-Z0-9]{{27}}{_E}",  # New Relic
    rf"dapi[a-f0-9]{{32}}(?:-\d)?{_E}",  # Databricks
    rf"AGE-SECRET-KEY-1[0-9A-Z]{{58}}{_E}",
    rf"lsv2_(?:pt|sk)_[a-f0-9]{{32}}_[a-f0-9]{{10}}{_E}",  # LangSmith
    rf"xkeysib-[a-f0-9]{{64}}-[A-Za-z0-9]{{16}}{_E}",  # Brevo
    rf"rzp_(?:live|test)_[A-Za-z0-9]{{14,}}{_E}",  # Razorpay
    rf"sntry[su]_[A-Za-z0-9+/=_\-]{{40,}}{_E}",  # Sentry
    rf"LTAI[A-Za-z0-9]{{12,20}}{_E}",  # Alibaba Cloud
    rf"ATATT3[A-Za-z0-9_\-=]{{60,}}{_E}",  # Atlassian
)
_VENDOR = re.compile(rf"{_B}(?:{'|'.join(_VENDOR_TOKENS)})")
_PEM = re.compile(
    r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY((?: BLOCK)?)-----"
    r"[\s\S]*?-----END \1PRIVATE KEY\2-----"
)
# A password named in words, in prose or another language: `my password is …`, `Passwort: …`,
# `la contraseña del wifi es …`. The value after a copula must read as a password, not a word.
_PASSWORD_PHRASE = re.compile(
    r"(?i)(?<![\w\-])(?:password|passcode|passwort|kennwort|mot de passe|contrase(?:ñ|n)a|senha"
    r"|pwd?|wachtwoord|has(?:ł|l)o|l(?:ö|o)senord|adgangskode|salasana|parola|api key|access key"
    r"|secret key|token)"
    # a space or a dash alone (`Passwort Xk9…`, `password — …`): only before letters and digits
    r"(?:[^\S\n]+(?:[-\u2013\u2014][^\S\n]+)?(?=[^\s\"'”»,;]*\d)(?=[^\s\"'”»,;]*[^\W\d_])|"
    # a word or two of description: `mot de passe temporaire :`, `contraseña provisional es`
    r"(?:\s+[^\W\d_]{2,15}){0,2}?"
    r"(?P<about>\s+(?:for|to|in|on|at|from|f(?:ü|u)r|pour|para|per|voor|do|til|för|del|de)"
    r"\s+[^\n:=]{1,40}?)?"
    r"(?:\s*=|\s*:(?=\s)|\s*:$|\s+(?:is|was|ist|war|est|es|era|é|è|er|on|är|jest|lautet|ser(?:á|a)"
    r"|(?:(?:is|was|has been|got)\s+)?(?:set|changed|reset|updated)\s+to|to)(?![^\W_])\s*:?))"
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
# HTTP libraries' basic auth: `auth=("user", "pw")`, `BasicAuth("user", "pw")`.
_AUTH_PAIR = re.compile(
    r"(?i)auth\s*(?:=\s*)?\(\s*(?:\w+\s*=\s*)?([\"'])[^\"'\n]{1,64}\1\s*,\s*"
    r"(?:\w+\s*=\s*)?([\"'])(?P<value>[^\"'\n]+)\2\s*\)"
)
# An opaque token a sentence names: `here's my key …`, `API key in the ticket (…)`.
# Words between the name and the value only where the value is bracketed or quoted: a bare
# token after a phrase is as often a session or request id (`token rotated for session …`).
_NAMED_TOKEN = re.compile(
    r"(?i)(?<![\w\-])(?:key|token|secret)(?:(?:[^\S\n]+[a-z']{1,12}){1,4}?[^\S\n]*[(\[\"'`]"
    r"|[^\S\n]*(?:[:=]|[^\S\n]is)?[^\S\n]*[(\[\"'`]?)"
    r"(?P<value>[A-Za-z0-9+/_\-=]+(?:\.[A-Za-z0-9+/_\-=]+)*)(?![\w+/=\-])"
)
_NEXT_PARAMETER = re.compile(r"&[A-Za-z_][\w.\-]*=")
# Base64 `user:password` under an `auth` setting: Docker's config.json, npm's `_auth=`.
_AUTH_SETTING = re.compile(
    r"auth[\"']?\s*[:=]\s*[\"']?(?P<value>[A-Za-z0-9+/]{12,}={0,2})(?![\w+/=])"
)
# An Azure shared access signature in a URL.
_SAS_SIGNATURE = re.compile(r"[?&]sig=(?P<value>[A-Za-z0-9%+/=]{20,})")
_NAMED_TOKEN_CUES = frozenset(("key", "token", "secret"))
_PASSWORD_CUES = frozenset(PASSWORD_WORDS)
# `clé` and `Schlüssel` are not ASCII: a text holding them is read whatever its cues.
_KEY_CUES = frozenset(("schluessel", "clave", "chiave", "sleutel", "chave"))
# Secret names that head a table's column (`username,password`, `service\tapi_key`).
_COLUMN_CUES = frozenset(
    ("password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "api-key",
     "secret_key", "access_key", "private_key", "credential", "passwort", "senha")
)  # fmt: skip
# `Authorization: Basic …`: a user and a password, base64-encoded.
_BASIC = re.compile(r"(?i)\bbasic\s+(?P<value>[A-Za-z0-9+/]{12,}={0,2})(?![\w+/=])")
# Incoming-webhook URLs carry their own secret.
_WEBHOOK = re.compile(
    r"https://(?:hooks\.slack\.com/services/[A-Za-z0-9/_\-]{20,}"
    r"|discord(?:app)?\.com/api/webhooks/\d+/[A-Za-z0-9_\-]{20,})"
)
# After `scheme://`: `user:password@host`, the user name may be empty (`redis://:pw@host`).
_USERINFO = re.compile(r"[^\s:/@]*:([^\s:/@]+)@[\w.\-\[]")
# An ASCII character no table's header row holds (fields.py's header cells, and its
# delimiters), or the line's end: ASCII alone, so the search is one table lookup a character.
_BEYOND_A_HEADER_ROW = re.compile(r"[!$%&+:<=>?@\[\\\]^{}~\n]")
# A character that is not a name's, and how far back a name is read at a time.
_NOT_IN_A_NAME = re.compile(r"[^\w.\-]")
_NAME_WINDOW = 32
_DATA_URI = re.compile(r"data:[\w.+\-]+/[\w.+\-]+(?:;[\w=\-]+)*,[A-Za-z0-9+/=%_\-]*")


# The cues every kind of secret but a vendor's token starts from.
_OTHER_CUES = frozenset(
    (
        *_ASSIGNMENT_CUES, *COMMAND_LINE_CUES, *_PASSWORD_CUES, *_KEY_CUES, *_COLUMN_CUES,
        "private key-----", "private key block-----", "bearer", "key", "basic", "hooks.",
        "webhooks", "://", "auth", "sig=",
    )
)  # fmt: skip
_ANY_CUE = _VENDOR_CUES | _OTHER_CUES


def detect_secrets(
    text: str, cues: Cues, fields: Fields
) -> list[tuple[int, int, EntityType, float]]:
    ascii_only = text.isascii()
    if ascii_only and _ANY_CUE.isdisjoint(cues.at):
        # Every kind of secret below has a cue (or letters beyond ASCII) to start from; most
        # texts have none, and the test walks their few cues (not the words) and builds no set.
        return []
    found: set[tuple[int, int, EntityType, float]] = set()
    for prefix in _VENDOR_CUES.intersection(cues.at):
        for position in cues.at[prefix]:
            check_budget()
            match = _VENDOR.match(text, position)
            if match is not None and entropy_at_least(match.group(), 3.0):
                found.add((*match.span(), "SECRET", 0.95))
    if ascii_only and _OTHER_CUES.isdisjoint(cues.at):
        return _outside_data_uris(text, cues, found)  # most texts with a cue: a vendor's token
    # The few cues of secrets this text holds (cues.among's set, without its call).
    present = _ANY_CUE.intersection(cues.at)
    if "private key-----" in present or "private key block-----" in present:
        found.update((m.start(), m.end(), "SECRET", 0.99) for m in _PEM.finditer(text))
    for word in present & _ASSIGNMENT_CUES:
        for position in cues.at[word]:
            check_budget()
            value = _assigned_value(text, position, position + len(word))
            if value is not None:
                found.add((*value, "SECRET", 0.85))
    if not present.isdisjoint(COMMAND_LINE_CUES):
        found.update(command_line_secrets(text, cues, present))
    if "auth" in present:
        for position in cues.at["auth"]:
            check_budget()
            match = _AUTH_PAIR.match(text, position)
            if match is not None and is_real_value(match.group("value")):
                found.add((match.start("value"), match.end("value"), "SECRET", 0.9))
            setting = _AUTH_SETTING.match(text, position)
            if (
                setting is not None
                and (position == 0 or not text[position - 1].isalnum())
                and decodes_to_credentials(setting.group("value"))
            ):
                found.add((setting.start("value"), setting.end("value"), "SECRET", 0.9))
    if "sig=" in present:
        for match in _SAS_SIGNATURE.finditer(text):
            found.add((match.start("value"), match.end("value"), "SECRET", 0.9))
    for word in present & _NAMED_TOKEN_CUES:
        for position in cues.at[word]:
            check_budget()
            match = _NAMED_TOKEN.match(text, position)
            if match is not None and reads_opaque(match.group("value")):
                found.add((match.start("value"), match.end("value"), "SECRET", 0.85))
    if not present.isdisjoint(_PASSWORD_CUES) or (not ascii_only and "as\u0142o" in text):
        for match in cue_matches(
            _PASSWORD_PHRASE, text, _password_starts(cues, present), ascii_only
        ):
            check_budget()
            span = _password_in_words(match)
            if span is not None:
                found.add((*span, "SECRET", 0.85))
    if not present.isdisjoint(_KEY_CUES) or not ascii_only:
        for match in _KEY_PHRASE.finditer(text):
            check_budget()
            if reads_random(match.group("value")):
                found.add((match.start("value"), match.end("value"), "SECRET", 0.85))
    if "bearer" in present:
        for match in cue_matches(_BEARER, text, cues.at["bearer"], ascii_only):
            if reads_random(match.group("value")):
                found.add((match.start("value"), match.end("value"), "SECRET", 0.9))
    # A table whose column is named for a secret: every value under that header.
    for word in present & _COLUMN_CUES:
        for position in cues.at[word]:
            check_budget()
            if not _may_head_a_column(fields.text, position):
                continue
            for start, end in fields.column_below(position):
                if is_real_value(text[start:end]):
                    found.add((start, end, "SECRET", 0.85))
    for position in cues.at.get("key", ()):
        check_budget()
        match = key_setting(text, position)
        if match is not None and key_holds_a_secret(text, position, match):
            found.add((match.start(2), match.end(2), "SECRET", 0.85))
    if "basic" in present:
        for match in cue_matches(_BASIC, text, cues.at["basic"], ascii_only):
            if decodes_to_credentials(match.group("value")):
                found.add((match.start("value"), match.end("value"), "SECRET", 0.9))
    if "hooks." in present or "webhooks" in present:
        found.update((m.start(), m.end(), "SECRET", 0.9) for m in _WEBHOOK.finditer(text))
    for position in cues.at.get("://", ()):
        check_budget()
        if position > 0 and text[position - 1].isalpha():
            found.update(_values([_USERINFO.match(text, position + 3)]))
    return _outside_data_uris(text, cues, found)


def _outside_data_uris(
    text: str, cues: Cues, found: set[tuple[int, int, EntityType, float]]
) -> list[tuple[int, int, EntityType, float]]:
    """The findings, less those inside a `data:` URI (an inlined file's base64)."""
    if not found or "data:" not in cues.at:
        return list(found)
    excluded = [m.span() for m in _DATA_URI.finditer(text)]
    return [f for f in found if not any(s <= f[0] and f[1] <= e for s, e in excluded)]


def _may_head_a_column(text: str, position: int) -> bool:
    """Whether the line from `position` on holds only what a table's header row can: a header
    cell's characters and delimiters. Most lines a secret's name sits in hold a `:` or `=`."""
    beyond = _BEYOND_A_HEADER_ROW.search(text, position)
    return beyond is None or beyond.group() == "\n"


def _password_starts(cues: Cues, present: frozenset[str]) -> list[int]:
    """Where a password phrase may start: at its word (`lösenord` two characters before the
    `senord` cue that both spellings share)."""
    starts: list[int] = []
    for word in present & _PASSWORD_CUES:
        positions = cues.at[word]
        starts.extend([max(0, p - 2) for p in positions] if word == "senord" else positions)
    starts.sort()
    return starts


def _assigned_value(text: str, word_start: int, word_end: int) -> tuple[int, int] | None:
    """The value after a setting whose name ends with the cue word at `word_start`, if it is a
    real secret."""
    after = text[word_end : word_end + 1]  # empty at the text's end
    if after.isalnum():
        return None
    # Each pattern is tried only where its first character follows the name.
    spaced = after.isspace()
    match = _AFTER_NAME.match(text, word_end) if spaced or _starts_after_name(after) else None
    if match is None and spaced and _is_a_flag(text, word_start):
        match = _AFTER_FLAG.match(text, word_end)
    if match is None:
        return None
    # The value's group closes last: its quote's group, if any, opens and closes before it.
    group = match.lastindex
    assert group is not None  # every way through either pattern captures its value
    start, end = match.span(group)
    if group == 5:  # unquoted: in a query string the next `&name=` ends the value
        parameter = _NEXT_PARAMETER.search(text, start, end)
        end = parameter.start() if parameter is not None else end
    if not is_real_value(text[start:end]):
        return None
    return start, end


def _starts_after_name(after: str) -> bool:
    """Whether `_AFTER_NAME` may start with the character `after` (besides a space): a quote,
    `]`, `:`, `=` or `(`."""
    return after != "" and after in "\"'](:="


def _is_a_flag(text: str, word_start: int) -> bool:
    """Whether the setting's name that ends with the cue word at `word_start` is a command-line
    flag (`--password`): asked only where no `=` or `:` follows it, so most names are never
    walked back, and walked back from the word's start (its letters, `_` and `-` are a name's)."""
    name_start = _name_start(text, word_start)
    return text.startswith("-", name_start) and (name_start == 0 or text[name_start - 1].isspace())


def _name_start(text: str, end: int) -> int:
    """Where the run of a name's characters (letters, digits, `_`, `.`, `-`) that ends at `end`
    starts: read backwards a window at a time by one search, not a character at a time."""
    if end == 0 or not (text[end - 1].isalnum() or text[end - 1] in "_.-"):
        return end  # the usual case: a space or a quote before the word
    start = end
    while start > 0:
        window_start = max(0, start - _NAME_WINDOW)
        backwards = text[window_start:start][::-1]
        stop = _NOT_IN_A_NAME.search(backwards)
        if stop is not None:
            return start - stop.start()
        start = window_start
    return start


def _values(
    matches: Iterable[re.Match[str] | None],
) -> Iterator[tuple[int, int, EntityType, float]]:
    for match in matches:
        if match is not None and is_real_value(match.group(1)):
            yield match.start(1), match.end(1), "SECRET", 0.9


def _password_in_words(match: re.Match[str]) -> tuple[int, int] | None:
    start, end = match.span("value")
    value = match.group("value").rstrip(".?)")
    end = start + len(value)
    if not is_real_value(value) or value.lower().startswith(("http:", "https:", "www.")):
        return None
    if match.string[end : end + 3].lstrip().startswith("="):
        return None  # `password: String = …`: a type, the value comes after it
    # Read only for a value that got this far: most are placeholders.
    after_copula = match.group()[: start - match.start()].rstrip(" \"'“«")[-1:] not in ":="
    if (after_copula or match.group("about")) and not reads_as_password(value):
        return None  # `the password is incorrect`, `password in the form: required`
    return start, end
