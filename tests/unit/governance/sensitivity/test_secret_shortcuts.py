"""The command-line credential pattern read at its tools' cues answers as a search does
(password phrases: test_secret_cue_matches.py)."""

from __future__ import annotations

import random

from governance.sensitivity.command_lines import _CLI_CREDENTIAL, _cli_starts
from governance.sensitivity.cue_matches import cue_matches
from governance.sensitivity.keywords import find_cues

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
        starts = _cli_starts(find_cues(text))
        found = [m.span() for m in cue_matches(_CLI_CREDENTIAL, text, starts, ascii_only=True)]
        assert found == expected, text
