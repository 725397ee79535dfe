"""Secrets as people paste them: the key shapes providers document, credentials passed to
tools and libraries, and opaque tokens a sentence calls a key, a token or a password."""

from __future__ import annotations

import pytest

from governance.sensitivity import scan_text


def secrets(text: str) -> list[str]:
    return [text[f.start : f.end] for f in scan_text(text).findings if f.type == "SECRET"]


# One token of each documented shape (gitleaks' rules and the providers' docs), random here.
PROVIDER_TOKENS = [
    "glrt-gLKOmxgJTeKdNnFRIBXu",  # GitLab runner
    "gldt-DL7DxtpYlSXpfKtHF4vU",  # GitLab deploy token
    "glptt-e923d5a4fd12aabfe228f219e9cb0eb53f16947c",  # GitLab pipeline trigger
    "xoxe-1-z63FfkCzJr4i0B3JrTAwR4y9ojfljoQoaF1LlqsajAIxNKu8iS2G8NPRVdD5",  # Slack refresh
    "xapp-1-A8666617603-1372159010928-3b026c48bbf33feff9243a8f506b40928b5b7a767c76fb008f86bebb2",
    "whsec_EN5N1aE6PwZPf1Qh6yYTWmE4lBYOvfZ8",  # Stripe webhook secret
    "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",  # Google OAuth client secret
    "key-454f31af3176813e02ea68ef786e4d3c",  # Mailgun
    "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",  # Shopify shared secret
    "lin_api_vJDCTbyvHNsG9eh6Yo4gfqrc5XlrWi0B26R08qzj",  # Linear
    "ntn_I6GKFSufrdZSlB5er8bOfZqfM2oeq3hDavJA76rNicHTp8",  # Notion
    "PMAK-3581569969e58b081006f7e3-dfc967a64cb14028d512c9791e558e08ba",  # Postman
    "hvs.Jupc94tnwlavyfErGPmpGXafq0fjzLczbttOofL9H2WjQ5TY4MyWuUFjsUNPjc01T5GOBUSZGi6HWGK10Zb0R",
    "dp.st.9SPofbciOx9gy1CJdObOIRpFqaDZeV7G5IfQHeVVEqZ",  # Doppler
    "glsa_e2qpUWnoVPDF2yeE6RsXcNOPmeMjvqPV_940f1f83",  # Grafana service account
    "NRAK-N5S7S333H9MTF4BS3E62RYNNEFJ",  # New Relic
    "dapi8b483b7ffc050fec94dbca3a0aac3609",  # Databricks
    "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",  # Groq
    "xai-enG5ZFJoC6vWCBiJmpflvJfupxqZKm4bV3AyAVHnyrvWdFrK9xiRGHOY32nfr5pyzPCB9t2039bicBTW",
    "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",  # Perplexity
    "sbp_948d33296c87009e8a7f770d9106fd287db7f1ad",  # Supabase
    "dckr_pat_xRzmaZsV2GenFmtX0moDoqW4sg8",  # Docker Hub
    "AGE-SECRET-KEY-15LO50DJZDNBJ0DDLZ2UHFKVML73CTYXV2KGAFRFW0H9NYWT1FD4MX82MUX",
    "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",  # LangSmith
    "pcsk_3uDxYYMfGmzWkpAePcEJIukB4geqNfngAFTCloiADN5RpVI2XQWhX1ssrKrx",  # Pinecone
    "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",
    "rzp_live_udM7Oyf5TNS05k",  # Razorpay
    "doo_v1_7c6f561c5cb347611a3ce9d97dcbee500fe7ee5fc324bdb2e1142a21c402364f",  # DigitalOcean
    "LTAIMPGPPA0NlGtetOd4UYET",  # Alibaba Cloud
]


@pytest.mark.parametrize("token", PROVIDER_TOKENS)
def test_provider_tokens_in_prose_and_settings(token: str) -> None:
    assert secrets(f"it still fails with {token} since this morning") == [token]
    assert secrets(f"export SERVICE_CREDENTIAL_VALUE={token}\n") == [token]


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        # A JWS whose payload is not JSON that starts `{"`.
        (
            "token eyJhbGciOiJSUzI1NiJ9.Iay2BV6DfVPClogqoPchv5V7S82qTdrOJRBRY6HqsP795nf4Gakq5p1V"
            ".6um4yvMpy62O6SQ1IEE1HSa2bB9UoK4tYnzNLeK6kjc expired",
            "eyJhbGciOiJSUzI1NiJ9.Iay2BV6DfVPClogqoPchv5V7S82qTdrOJRBRY6HqsP795nf4Gakq5p1V"
            ".6um4yvMpy62O6SQ1IEE1HSa2bB9UoK4tYnzNLeK6kjc",
        ),
        # A hex token after Bearer is opaque whatever its letter count.
        (
            "Authorization: Bearer 9f3ab07c41d2e8856a0b7c3d9e1f20a4",
            "9f3ab07c41d2e8856a0b7c3d9e1f20a4",
        ),
        # Basic auth handed to an HTTP library.
        ('r = requests.post(u, auth=("svc", "KgVP$8Kd0d3mS8gBlKv3az"))', "KgVP$8Kd0d3mS8gBlKv3az"),
        ("session.auth = ('ops', 'tulip-Marble-77')", "tulip-Marble-77"),
        ('httpx.BasicAuth("deploy", "p9Q!zLw2rT")', "p9Q!zLw2rT"),
        ("aiohttp.BasicAuth(login='bot', password='Vx81-qpLm0')", "Vx81-qpLm0"),
        # Tools that take the password as an argument.
        ("htpasswd -b /etc/nginx/.htpasswd jdoe Wq83!mPlz0", "Wq83!mPlz0"),
        ("htpasswd -bn jdoe 7yhNbgt5RFv", "7yhNbgt5RFv"),
        ("sqlcmd -S db01 -U sa -P 'Zq9#vX2mLp' -Q \"select 1\"", "Zq9#vX2mLp"),
        ("ldapsearch -x -D cn=admin,dc=corp -w Ld4pB1nd! -b dc=corp", "Ld4pB1nd!"),
        ("zip -P Arch1ve-Pw9 backup.zip db.sql", "Arch1ve-Pw9"),
        ("smbclient //nas/share -U backup%Nas-Pa55w0rd", "Nas-Pa55w0rd"),
        # A password or key named in a sentence, a few words before the value.
        ('She typed her password in the login box: "Maple42&harbor" by mistake', "Maple42&harbor"),
        ("Password on the sticky note: Granite!88plum", "Granite!88plum"),
        (
            "they pasted an API key in the chat (donuSsddfrfifiUziXnFAAoeelK9mqmALOR2HcSG) today",
            "donuSsddfrfifiUziXnFAAoeelK9mqmALOR2HcSG",
        ),
        (
            "here is my token: QmV5N2hqS0xwWnR4Y2Fx9dLp — it stopped working",
            "QmV5N2hqS0xwWnR4Y2Fx9dLp",
        ),
        ("my key KgVP8Kd0d3mS8gBlKv3azQw/x+e is rejected", "KgVP8Kd0d3mS8gBlKv3azQw/x+e"),
        # A Twilio API key (`SK` and 32 hex digits) is found by what names it.
        (
            "the API key we got (SKa4c123b1612dd272d1371c17149d4395) was revoked",
            "SKa4c123b1612dd272d1371c17149d4395",
        ),
    ],
)
def test_credentials_named_in_code_commands_and_sentences(text: str, secret: str) -> None:
    assert secrets(text) == [secret]


@pytest.mark.parametrize(
    "text",
    [
        "the key fingerprint is SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8",
        "cache key 7c4a8d09ca3762af61e59520943dc26494f8941b expired",
        "the primary key is 0f8fad5b-d9cb-469f-a165-70867728950e",
        "my key ring has three keys on it",
        'auth=("admin", os.environ["ADMIN_PASSWORD"])',
        "htpasswd -c /etc/nginx/.htpasswd jdoe",
        "key-value stores such as Redis",
        "zip -r backup.zip db.sql",
        "keynote: Slack-integration-overview-2024",
    ],
)
def test_what_only_resembles_a_credential_is_not_one(text: str) -> None:
    assert secrets(text) == []


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        # A copula is a whole word: `ist` is not `is` and a `t`.
        ("Das Passwort ist Hv7#kLm29q, bitte sofort ändern.", "Hv7#kLm29q"),
        # The value right after the word, or after a dash.
        ("Zugangsdaten: Benutzer mkoch, Passwort Hv7#kLm29q", "Hv7#kLm29q"),
        ("Initial password - Rb81!xQzv4", "Rb81!xQzv4"),
        ("Temporary password — Rb81!xQzv4", "Rb81!xQzv4"),
        ("pw: Rb81!xQzv4", "Rb81!xQzv4"),
        ("PW Rb81!xQzv4 for the staging box", "Rb81!xQzv4"),
        (
            "auth token 3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c for the SMS account",
            "3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c",
        ),
    ],
)
def test_passwords_written_without_a_colon(text: str, secret: str) -> None:
    assert secrets(text) == [secret]


@pytest.mark.parametrize(
    "text",
    [
        "Failed password for invalid user test from fd2e:b119::54c9 port 39560 ssh2",
        "Failed password for root from 203.0.113.9 port 22 ssh2",
        "password manager v2 rollout",
        "password reset 2 times today",
        "token count 4096",
    ],
)
def test_words_after_password_that_are_no_password(text: str) -> None:
    assert secrets(text) == []


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        # A query string's next parameter ends an unquoted value.
        ("GET /v2/search?api_key=Qm8rT2vLx9WcNp4Zs7Hd&format=json", "Qm8rT2vLx9WcNp4Zs7Hd"),
        # Base64 `user:password` under an auth setting (Docker's config.json, npm's .npmrc).
        (
            '{"auths": {"registry.example.com": {"auth": "ZGVwbG95OlJiODEheFF6djQ="}}}',
            "ZGVwbG95OlJiODEheFF6djQ=",
        ),
        ("_auth=ZGVwbG95OlJiODEheFF6djQ=", "ZGVwbG95OlJiODEheFF6djQ="),
        # An Azure shared access signature.
        (
            "https://acct.blob.core.windows.net/c/f.csv?sv=2022-11-02&sr=b&sig=Yp3kQ9%2Bw7LmZr2Tx8vNc4Hd6Jb1Fs5Ga%3D",
            "Yp3kQ9%2Bw7LmZr2Tx8vNc4Hd6Jb1Fs5Ga%3D",
        ),
    ],
)
def test_query_strings_registry_auth_and_signatures(text: str, secret: str) -> None:
    assert secrets(text) == [secret]


def test_an_auth_setting_that_decodes_to_no_credentials_is_no_secret() -> None:
    assert secrets('{"auth": "aGVsbG8gd29ybGQgYWdhaW4="}') == []
