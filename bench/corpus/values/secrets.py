"""Credentials shaped as vendors issue them, passwords people pick, and what is not a secret."""

from __future__ import annotations

import base64
import hashlib
import json
import string
from random import Random

ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "-_"
BASE32 = string.ascii_uppercase + "234567"
BASE64 = ALNUM + "+/"
WORDS = (
    "tulip", "anchor", "river", "violet", "canyon", "maple", "falcon", "ember", "harbor",
    "copper", "meadow", "orbit", "pepper", "summit", "velvet", "willow", "zephyr", "cobalt",
)


def _draw(rng: Random, alphabet: str, count: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(count))


def aws_access_key_id(rng: Random) -> str:
    return rng.choice(("AKIA", "AKIA", "ASIA")) + _draw(rng, BASE32, 16)


def aws_secret_access_key(rng: Random) -> str:
    return _draw(rng, BASE64, 40)


def openai_key(rng: Random) -> str:
    style = rng.choice(("proj", "proj", "legacy", "svcacct"))
    if style == "legacy":
        return f"sk-{_draw(rng, ALNUM, 20)}T3BlbkFJ{_draw(rng, ALNUM, 20)}"
    return f"sk-{style}-{_draw(rng, URLSAFE, 58)}T3BlbkFJ{_draw(rng, URLSAFE, 58)}"


def anthropic_key(rng: Random) -> str:
    return f"sk-ant-api03-{_draw(rng, URLSAFE, 93)}AA"


def github_token(rng: Random) -> str:
    if rng.random() < 0.3:
        return f"github_pat_11{_draw(rng, BASE32, 20)}_{_draw(rng, ALNUM, 59)}"
    return rng.choice(("ghp_", "ghp_", "gho_", "ghs_", "ghu_")) + _draw(rng, ALNUM, 36)


def slack_token(rng: Random) -> str:
    team = _draw(rng, string.digits, rng.choice((11, 12)))
    bot = _draw(rng, string.digits, 13)
    if rng.random() < 0.6:
        return f"xoxb-{team}-{bot}-{_draw(rng, ALNUM, 24)}"
    return f"xoxp-{team}-{bot}-{_draw(rng, string.digits, 13)}-{_draw(rng, 'abcdef0123456789', 32)}"


def stripe_live_key(rng: Random) -> str:
    prefix = rng.choice(("sk_live_", "sk_live_", "rk_live_"))
    return prefix + _draw(rng, ALNUM, rng.choice((24, 99)))


def google_api_key(rng: Random) -> str:
    return "AIza" + _draw(rng, URLSAFE, 35)


def vendor_token(rng: Random) -> str:
    makers = (aws_access_key_id, openai_key, anthropic_key, github_token, slack_token,
              stripe_live_key, google_api_key)
    return rng.choice(makers)(rng)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def jwt(rng: Random) -> str:
    alg = rng.choice(("HS256", "RS256", "ES256"))
    header: dict[str, str] = {"alg": alg, "typ": "JWT"}
    if alg != "HS256":
        header["kid"] = _draw(rng, URLSAFE, 16)
    issued = rng.randint(1_690_000_000, 1_735_000_000)
    payload = {
        "sub": str(rng.randint(10_000, 9_999_999)),
        "iss": rng.choice(("https://auth.acme.io/", "accounts.globex.com", "api")),
        "iat": issued,
        "exp": issued + rng.choice((900, 3600, 86400)),
        "scope": rng.choice(("read write", "admin", "openid profile")),
    }
    signature = rng.randbytes(32 if alg == "HS256" else 64 if alg == "ES256" else 256)
    parts = (json.dumps(header, separators=(",", ":")), json.dumps(payload, separators=(",", ":")))
    return ".".join([_b64url(p.encode()) for p in parts] + [_b64url(signature)])


def _pem_body(rng: Random, lead: str, lines: int) -> list[str]:
    body = lead + base64.b64encode(rng.randbytes(lines * 48)).decode()
    text = body[: lines * 64 - rng.randint(0, 40)]
    return [text[i : i + 64] for i in range(0, len(text), 64)]


def pem_private_key(rng: Random) -> str:
    label, lead, lines = rng.choice(
        (
            ("RSA PRIVATE KEY", "MIIEpAIBAAKCAQEA", 25),
            ("PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", 26),
            ("EC PRIVATE KEY", "MHcCAQEEI", 3),
            ("OPENSSH PRIVATE KEY", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ", 7),
        )
    )
    return "\n".join(
        [f"-----BEGIN {label}-----", *_pem_body(rng, lead, lines), f"-----END {label}-----"]
    )


def public_pem(rng: Random) -> str:
    """A certificate or public key: published on purpose, never a finding."""
    label, lead, lines = rng.choice(
        (
            ("CERTIFICATE", "MIIDdzCCAl+gAwIBAgIE", 18),
            ("PUBLIC KEY", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A", 6),
        )
    )
    return "\n".join(
        [f"-----BEGIN {label}-----", *_pem_body(rng, lead, lines), f"-----END {label}-----"]
    )


def ssh_public_key(rng: Random) -> str:
    body = "AAAAC3NzaC1lZDI1NTE5AAAAI" + base64.b64encode(rng.randbytes(33)).decode().rstrip("=")
    user = rng.choice(("deploy", "jdoe", "ci-runner"))
    return f"ssh-ed25519 {body} {user}@{rng.choice(('laptop', 'build-01', 'bastion'))}"


def password(rng: Random, uri_safe: bool = False) -> str:
    """A literal password as people and tools set them."""
    symbols = "-_." if uri_safe else "!*_-.+^~"
    style = rng.choice(("word", "random", "phrase", "hexish", "word"))
    if style == "word":
        word = rng.choice(WORDS).capitalize()
        return f"{word}{rng.randint(1, 2025)}{rng.choice(symbols)}{rng.choice(WORDS)[:3]}"
    if style == "random":
        return rng.choice(ALNUM) + _draw(rng, ALNUM + symbols, rng.randint(11, 23))
    if style == "phrase":
        return "-".join(rng.sample(WORDS, 3)) + str(rng.randint(10, 99))
    return _draw(rng, ALNUM, rng.randint(16, 32))


def api_token(rng: Random) -> str:
    """An opaque token an in-house service issued: random, no vendor prefix."""
    style = rng.choice(("hex", "b62", "b64"))
    if style == "hex":
        return _draw(rng, "0123456789abcdef", rng.choice((32, 40, 64)))
    if style == "b62":
        return _draw(rng, ALNUM, rng.choice((32, 40)))
    return base64.b64encode(rng.randbytes(32)).decode()


def webhook_secret(rng: Random) -> str:
    return "whsec_" + _draw(rng, ALNUM, 32)


def django_secret_key(rng: Random) -> str:
    return "django-insecure-" + _draw(rng, string.ascii_lowercase + string.digits + "!*^_-+", 50)


# What is not a secret.


def placeholder(rng: Random, name: str = "DB_PASSWORD") -> str:
    lower = name.lower()
    return rng.choice(
        (
            f"${{{name}}}", f"${name}", f"{{{{ secrets.{name} }}}}", f"${{{{ secrets.{name} }}}}",
            f"<your-{lower.replace('_', '-')}>", f"YOUR_{name}_HERE", f"{{{{ .Values.{lower} }}}}",
            "********", "<redacted>", "REDACTED", f"%({lower})s", f"${{env:{name}}}",
        )
    )


def masked_key(rng: Random) -> str:
    tail = _draw(rng, ALNUM, 4)
    return rng.choice(
        (
            f"sk-...{tail}", f"sk-proj-****{tail}", f"AKIA************{_draw(rng, BASE32, 4)}",
            f"ghp_****************************{tail}", f"sk_live_...{tail}", f"xoxb-***-{tail}",
            f"sk-ant-...{tail}", "sk-************************",
        )
    )


def sha256_hex(rng: Random) -> str:
    return hashlib.sha256(rng.randbytes(16)).hexdigest()


def sha1_hex(rng: Random) -> str:
    return hashlib.sha1(rng.randbytes(16)).hexdigest()


def md5_hex(rng: Random) -> str:
    return hashlib.md5(rng.randbytes(16)).hexdigest()


def bcrypt_hash(rng: Random) -> str:
    return "$2b$12$" + _draw(rng, ALNUM + "./", 53)


def sri_integrity(rng: Random) -> str:
    return "sha512-" + base64.b64encode(rng.randbytes(64)).decode()


def data_uri(rng: Random) -> str:
    return "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA" + base64.b64encode(
        rng.randbytes(rng.randint(24, 60))
    ).decode()
