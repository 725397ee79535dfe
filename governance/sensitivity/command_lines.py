"""Credentials on a command line: a password given as a tool's short flag (`mysql -pSECRET`,
`redis-cli -a SECRET`), in `curl -u user:password`, or as `htpasswd -b`'s argument."""

from __future__ import annotations

import re
from collections.abc import Iterator

from governance.sensitivity.cue_matches import cue_matches
from governance.sensitivity.findings import EntityType
from governance.sensitivity.keywords import CLI_CREDENTIAL_TOOLS, Cues
from governance.sensitivity.scan_budget import check_budget
from governance.sensitivity.secret_values import is_real_value

__all__ = ["COMMAND_LINE_CUES", "command_line_secrets"]

# Credentials passed as short flags to the tools that take them so: `mysql -pSECRET`,
# `sshpass -p 'SECRET'`, `redis-cli -a SECRET`, `docker login -u ci -p SECRET`.
_CLI_CREDENTIAL = re.compile(
    r"(?<![\w\-])(?:(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)(?![\w\-])[^\n|;&]*?"
    r"\s-p['\"]?(?P<glued>[^\s'\"-][^\s'\"]*)"
    r"|(?:sshpass|mongo|mongosh|mongodump|mongorestore|(?:docker|podman|buildah|helm|skopeo)"
    r"(?: registry)? login)(?![\w\-])[^\n|;&]*?\s-p\s*['\"]?(?P<spaced>[^\s'\"]+)"
    r"|redis-cli(?![\w\-])[^\n|;&]*?\s-a\s+['\"]?(?P<auth>[^\s'\"]+)"
    r"|(?:sqlcmd|bcp|osql|isql)(?![\w\-])[^\n|;&]*?\s-P\s*['\"]?(?P<sql>[^\s'\"]+)"
    r"|(?:zip|unzip)(?![\w\-])[^\n|;&]*?\s-P\s+['\"]?(?P<zip>[^\s'\"]+)"
    r"|ldap(?:search|add|modify|delete|passwd|whoami|compare|modrdn|exop)(?![\w\-])[^\n|;&]*?"
    r"\s-w\s+['\"]?(?P<ldap>[^\s'\"]+)"
    r"|smbclient(?![\w\-])[^\n|;&]*?\s(?:-U|--user[ =])\s*['\"]?[^\s%'\"]+%(?P<smb>[^\s'\"]+))"
)
_CLI_GROUPS = ("glued", "spaced", "auth", "sql", "zip", "ldap", "smb")
# `htpasswd -b[n] [file] user password`: batch mode takes the password as an argument.
_HTPASSWD = re.compile(
    r"htpasswd(?P<flags>(?:[^\S\n]+-[A-Za-z]+)+)(?P<args>(?:[^\S\n]+[^\s'\"]+){2,3})"
)
# `curl -u user:password`.
_CURL_USER = re.compile(r"\bcurl\b[^\n]*?\s(?:-u|--user)\s*['\"]?[^\s:'\"]+:([^\s'\"@]+)")
_CLI_TOOLS = frozenset(CLI_CREDENTIAL_TOOLS)
# The cues a command-line credential starts from.
COMMAND_LINE_CUES = _CLI_TOOLS | {"curl", "htpasswd"}


def command_line_secrets(
    text: str, cues: Cues, present: frozenset[str]
) -> Iterator[tuple[int, int, EntityType, float]]:
    """The credentials on the command lines of `text`; `present`: the text's secret cues."""
    if "curl" in present:
        for match in _CURL_USER.finditer(text):
            if is_real_value(match.group(1)):
                yield match.start(1), match.end(1), "SECRET", 0.9
    if not present.isdisjoint(_CLI_TOOLS):
        # Case-sensitive: its cues hold what it matches, in any text.
        for match in cue_matches(_CLI_CREDENTIAL, text, _cli_starts(cues), ascii_only=True):
            check_budget()
            group = next(g for g in _CLI_GROUPS if match.group(g) is not None)
            if is_real_value(match.group(group)):
                yield match.start(group), match.end(group), "SECRET", 0.9
    if "htpasswd" in present:
        yield from _htpasswd(text)


# The words `_CLI_CREDENTIAL` (case-sensitive: what it matches its cues hold, in any text)
# starts with, as cues, and how far before its cue each starts.
_CLI_STARTS = (
    *((word, 0) for word in (
        "mysql", "mariadb", "sshpass", "mongo", "redis-cli", "sqlcmd", "bcp", "osql", "isql",
        "zip", "ldap", "smbclient",
    )),
    ("zip", 2),  # `unzip`
    # `helm`, `docker`, `buildah` … then ` login`, or ` registry login`
    *((" login", back) for back in (4, 6, 7, 13, 15, 16)),
)  # fmt: skip


def _cli_starts(cues: Cues) -> list[int]:
    """Where a command-line credential may start: `back` characters before a cue `word`."""
    at = cues.at
    return sorted(
        {p - back for word, back in _CLI_STARTS if word in at for p in at[word] if p >= back}
    )


def _htpasswd(text: str) -> Iterator[tuple[int, int, EntityType, float]]:
    for match in _HTPASSWD.finditer(text):
        flags = match.group("flags")
        if "b" not in flags:
            continue  # without -b the password is prompted for
        arguments = list(re.finditer(r"\S+", match.group("args")))
        wanted = 1 if "n" in flags else 2  # -n prints to stdout: no file argument
        if len(arguments) > wanted and is_real_value(arguments[wanted].group()):
            offset = match.start("args")
            start, end = arguments[wanted].span()
            yield offset + start, offset + end, "SECRET", 0.9
