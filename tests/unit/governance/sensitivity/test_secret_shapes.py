"""Credentials in CLI flags and URI userinfo are secrets; paths, pins, placeholders and
digests are not."""

from __future__ import annotations

import pytest

from governance.sensitivity import scan_text


def secrets(text: str) -> list[str]:
    return [text[f.start : f.end] for f in scan_text(text).findings if f.type == "SECRET"]


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("mysql -h db.internal -u root -pHq7!vR2mLx shop < dump.sql", "Hq7!vR2mLx"),
        ("mysqldump -u admin -p'Wq3#nB8zYt' --all-databases", "Wq3#nB8zYt"),
        ("sshpass -p 'tulip-orbit-marble42' ssh root@host", "tulip-orbit-marble42"),
        ("redis-cli -h cache -p 6379 -a Zx81kLq0Pw --no-auth-warning", "Zx81kLq0Pw"),
        ("docker login ghcr.io -u bot -p 7n5LpPrmfNqKSKmZ/GtolO=", "7n5LpPrmfNqKSKmZ/GtolO="),
        ("url: redis://:guxoh7OW4aB4oNffx@10.1.2.3:6379/0", "guxoh7OW4aB4oNffx"),
        ("amqp://:c0bAlt-r1ver@mq.internal:5672/", "c0bAlt-r1ver"),
        ("psql --password=Rf8wQz2LmN host=db", "Rf8wQz2LmN"),
        (
            '{"api": {"key": "bubx3DxchzZa5u44InORtV7Kv6OVCdks", "timeout_ms": 3000}}',
            "bubx3DxchzZa5u44InORtV7Kv6OVCdks",
        ),
        ('"stripe": {"key": "c8176a3f958ec24e1a76c543fda18b5"}', "c8176a3f958ec24e1a76c543fda18b5"),
    ],
)
def test_credentials_in_flags_userinfo_and_keys(text: str, secret: str) -> None:
    assert secrets(text) == [secret]


@pytest.mark.parametrize(
    "text",
    [
        "sudo: deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root",
        "password_file=/etc/app/secrets.d/db",
        "token: requirements==2.31.0",
        "api_key: <your-key>",
        "password = changeme",
        "secret: xxx",
        "DB_PASSWORD=${DB_PASSWORD}",
        "mysql -u root -p shop",  # -p alone prompts; shop is the database
        "ssh -p 2222 deploy@host",
        '{"msg": "cache hit", "key": "ab13d11222f2f122e0bf7b6be545cfe0132d5d82"}',
        "commit 8687ae48f64579da1c2326394d5466ac86eb8e01 by dana",
        "monkey: banana12345678901234",
    ],
)
def test_paths_pins_placeholders_and_digests_are_not_secrets(text: str) -> None:
    assert secrets(text) == []


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("user,password,role\nann,Qz7!mw2Lp9,admin\nbob,h8Rt#x01Vb,viewer", "Qz7!mw2Lp9"),
        ("service\tapi_key\nbilling\tq8Zr2LmN0pWx4TyU", "q8Zr2LmN0pWx4TyU"),
        ("my password is Tr0ub4dor&3 please reset it", "Tr0ub4dor&3"),
        ("the wifi password for the guest network is Gu3st-2024!", "Gu3st-2024!"),
        ("Passwort: Sommer2024!Berg", "Sommer2024!Berg"),
        ("Votre mot de passe est Xk9#pLm2Q.", "Xk9#pLm2Q"),
        ("La contraseña es Lun4-Verde77", "Lun4-Verde77"),
        ("Authorization: Bearer 7f3Kq9ZxLm2Pw8RtYv4Nc6Bd", "7f3Kq9ZxLm2Pw8RtYv4Nc6Bd"),
        ("STRIPE=sk_test_4eC39HqLyjWDarjtT1zdp7dc", "sk_test_4eC39HqLyjWDarjtT1zdp7dc"),
        ("token glpat-xY7dQ2mN9pR4sT6vW8zA in CI", "glpat-xY7dQ2mN9pR4sT6vW8zA"),
    ],
)
def test_secrets_in_columns_words_and_other_languages(text: str, secret: str) -> None:
    assert secret in secrets(text)


@pytest.mark.parametrize(
    "text",
    [
        "Failed password for invalid user test from 10.1.2.3 port 22",
        "the password is incorrect, try again",
        "Your password was changed yesterday",
        "password,strength\nweak,low",
    ],
)
def test_password_words_without_a_password(text: str) -> None:
    assert secrets(text) == []


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Ihr neues Passwort lautet: Xk9#pLm2Q", "Xk9#pLm2Q"),
        ("Votre mot de passe temporaire : Lun4-Verde77", "Lun4-Verde77"),
        ("Su contraseña provisional es Lun4-Verde77", "Lun4-Verde77"),
        ("API-Schlüssel: q8Zr2LmN0pWx4TyUa9", "q8Zr2LmN0pWx4TyUa9"),
        ("I changed my password to Lun4-Verde77 yesterday", "Lun4-Verde77"),
        ('os.environ["DB_PASSWORD"] = "Lun4-Verde77"', "Lun4-Verde77"),
        ('val password: String = "Lun4-Verde77"', "Lun4-Verde77"),
        ('client.setPassword("Lun4-Verde77")', "Lun4-Verde77"),
        (
            "DefaultEndpointsProtocol=https;AccountKey=q8Zr2LmN0pWx4TyUa9Bc3De;",
            "q8Zr2LmN0pWx4TyUa9Bc3De",
        ),
        ("Authorization: Basic dXNlcjpTM2NyZXQhMjAyNA==", "dXNlcjpTM2NyZXQhMjAyNA=="),
    ],
)
def test_secrets_named_in_code_headers_and_other_languages(text: str, secret: str) -> None:
    assert secrets(text) == [secret]


@pytest.mark.parametrize(
    "text",
    [
        "public_key: q8Zr2LmN0pWx4TyUa9",
        "the token is expired",
        "password reset link: https://x.example/r?id=Ab12",
        "Basic plan renews monthly",
    ],
)
def test_keys_and_words_that_hold_no_secret(text: str) -> None:
    assert secrets(text) == []
