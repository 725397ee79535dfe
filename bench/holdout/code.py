"""Code and config files: YAML, .env, INI, shell, Python, Dockerfiles, requirements.

Credentials sit in keys, CLI flags (`-p`, `-a`, `--password`) and URI userinfo (with or without a
user name); beside them are what looks like one and is not: placeholders, package pins, versions,
digests, ports, paths.
"""

from __future__ import annotations

from random import Random

from . import negatives as n
from . import values as v
from .render import Doc

SCHEMES = ("postgres", "postgresql", "mysql", "redis", "rediss", "mongodb", "amqp", "https")
HOSTS = ("db.internal", "cache-1.prod.local", "mq.example.com", "localhost", "")


def _uri(rng: Random, doc: Doc) -> None:
    scheme, host = v.pick(rng, SCHEMES), v.pick(rng, HOSTS)
    user = v.pick(rng, ["app", "admin", "svc_reporting", "", "default"])
    doc.text(f"{scheme}://{user}:")
    doc.mark("SECRET", v.password(rng))
    doc.text("@")
    if host:
        doc.text(host)
    else:  # a bare address as the host
        doc.mark("IP_ADDRESS", v.ipv4(rng))
    doc.text(f":{n.port(rng)}/{v.pick(rng, ['main', '0', 'orders', 'vhost'])}")


CONFIG_LINES = (
    "{key_name}={SECRET:key}\n",
    "{pw_name}={SECRET:pw}\n",
    "{pw_name}={placeholder}\n",
    "{key_name}={placeholder}\n",
    "APP_VERSION={version}\n",
    "LISTEN_ADDR={loopback}\n",
    "UPSTREAM_HOST={IP_ADDRESS:v4}\n",
    "PORT={port}\n",
    "BUILD_SHA={sha}\n",
    "ADMIN_EMAIL={EMAIL}\n",
    "SUPPORT_PHONE=\"{PHONE}\"\n",
    "CACHE_TTL_SECONDS={n4}\n",
    "IMAGE_DIGEST=sha256:{sha256}\n",
    "TENANT_ID={uuid}\n",
)

YAML_LINES = (
    "  password: {SECRET:pw}\n",
    "  password: \"{placeholder}\"\n",
    "  api_key: {SECRET:key}\n",
    "  api_key: {placeholder}\n",
    "  host: {IP_ADDRESS:v4}\n",
    "  bind: {loopback}\n",
    "  port: {port}\n",
    "  version: \"{version}\"\n",
    "  image: registry.example.com/app@sha256:{sha256}\n",
    "  admin_email: {EMAIL}\n",
    "  on_call: \"{PHONE}\"\n",
    "  timeout_ms: {n4}\n",
    "  max_tokens: {n4}\n",
    "  release_date: {date}\n",
    "  snmp_oid: {oid}\n",
)

INI_LINES = (
    "password = {SECRET:pw}\n",
    "secret_key = {SECRET:key}\n",
    "password = {placeholder}\n",
    "host = {IP_ADDRESS}\n",
    "app_version = {version}\n",
    "port = {port}\n",
    "contact = {EMAIL}\n",
    "log_level = info\n",
    "started = {ts}\n",
)

SHELL_LINES = (
    "mysql -h {IP_ADDRESS:v4} -u root -p{SECRET:pw} orders\n",
    "redis-cli -h {IP_ADDRESS:v4} -p {port} -a {SECRET:pw} ping\n",
    "psql -h db.internal -p {port} -U app\n",
    "docker run -p 8080:80 -e API_KEY={SECRET:key} app:{version}\n",
    "docker run -p {port}:{port} -e API_KEY={placeholder} app:{version}\n",
    "ssh -p 2222 deploy@{IP_ADDRESS:v4}\n",
    "curl -H 'Authorization: Bearer {SECRET:key}' https://api.example.com/v1/me\n",
    "curl -u admin:{SECRET:pw} https://jenkins.internal/api/json\n",
    "export GITHUB_TOKEN={SECRET:github}\n",
    "export DB_PASSWORD={placeholder}\n",
    "pip install requests=={version} numpy=={version}\n",
    "git checkout {short_sha} && git tag v{version}\n",
    "sha256sum dist/app.tar.gz  # {sha256}\n",
    "htpasswd -b .htpasswd admin {SECRET:pw}\n",
    "aws configure set aws_access_key_id {SECRET:aws}\n",
    "ping -c 3 {IP_ADDRESS:v4}\n",
    "ls -la /var/lib/app/{year}/{n4}\n",
    "git remote add origin {git_remote}\n",
    "npm install {npm_scoped} --save-exact\n",
    "psql \"postgresql://report:{SECRET:pw}@{IP_ADDRESS:v4}:5432/dw\" -c 'select 1'\n",
    "sshpass -p '{SECRET:pw}' scp dump.sql backup@{IP_ADDRESS:v4}:/srv/\n",
)

PYTHON_LINES = (
    "client = OpenAI(api_key=\"{SECRET:openai}\")\n",
    "client = OpenAI(api_key=os.environ[\"OPENAI_API_KEY\"])\n",
    "DB_URL = \"{URI}\"\n",
    "PASSWORD = \"{placeholder}\"\n",
    "__version__ = \"{version}\"\n",
    "ALLOWED_HOSTS = [\"{IP_ADDRESS:v4}\", \"{loopback}\"]\n",
    "assert total == {n4}  # {math}\n",
    "TEST_CARD = \"{CREDIT_CARD}\"  # from a real customer, remove!\n",
    "# contact {EMAIL} for access\n",
    "timeout = {n2}.{n2}\n",
    "RUN_ID = \"{uuid}\"\n",
    "stripe.api_key = \"{SECRET:stripe}\"\n",
    "requests.get(url, auth=(\"admin\", \"{SECRET:pw}\"))\n",
)

SQL = (
    "INSERT INTO patients (mrn, dob, email) VALUES ('{MEDICAL_RECORD_NUMBER}', "
    "'{DATE_OF_BIRTH:iso}', '{EMAIL}');\n",
    "INSERT INTO customers (id, ssn, phone) VALUES ({n4}{n2}, '{US_SSN}', '{PHONE:us}');\n",
    "UPDATE payouts SET iban = '{IBAN:compact}' WHERE order_id = {order};\n",
    "SELECT * FROM orders WHERE created_at > '{ts}' AND total > {amount};\n",
    "-- migration {year}{n4}: add column app_version default '{version}'\n",
    "UPDATE users SET last_ip = '{IP_ADDRESS}' WHERE email = '{EMAIL}';\n",
)

PINS = (
    "requests=={version}\n", "django>={version},<{version}\n", "\"react\": \"^{version}\"\n",
    "FROM python:3.{n2}-slim@sha256:{sha256}\n", "lodash@{version}\n",
    "github.com/pkg/errors v{version}\n",
)

KEY_NAMES = ("API_KEY", "OPENAI_API_KEY", "STRIPE_SECRET_KEY", "GITHUB_TOKEN", "SLACK_BOT_TOKEN",
             "AWS_ACCESS_KEY_ID", "SENDGRID_API_KEY", "HF_TOKEN")
PW_NAMES = ("DB_PASSWORD", "POSTGRES_PASSWORD", "REDIS_PASSWORD", "SMTP_PASS", "ADMIN_PASSWORD")


def _lines(rng: Random, doc: Doc, pool: tuple[str, ...], count: int) -> None:
    for template in (v.pick(rng, pool) for _ in range(count)):
        if "{URI}" in template:
            head, tail = template.split("{URI}")
            doc.fill(rng, head)
            _uri(rng, doc)
            doc.fill(rng, tail)
            continue
        template = template.replace("{key_name}", v.pick(rng, KEY_NAMES))
        doc.fill(rng, template.replace("{pw_name}", v.pick(rng, PW_NAMES)))


def config(rng: Random) -> dict[str, object]:
    doc = Doc()
    style = v.pick(rng, ["env", "yaml", "ini", "uri"])
    if style == "env":
        doc.text("# .env\n")
        _lines(rng, doc, CONFIG_LINES, rng.randint(3, 10))
    elif style == "yaml":
        doc.text(f"{v.pick(rng, ['database', 'services', 'llm', 'smtp'])}:\n")
        _lines(rng, doc, YAML_LINES, rng.randint(3, 9))
    elif style == "ini":
        doc.text(f"[{v.pick(rng, ['server', 'database', 'auth', 'mail'])}]\n")
        _lines(rng, doc, INI_LINES, rng.randint(3, 8))
    else:
        doc.text(v.pick(rng, ["DATABASE_URL=", "url: ", "broker_url = "]))
        _uri(rng, doc)
        doc.text("\n")
        _lines(rng, doc, CONFIG_LINES, rng.randint(1, 4))
    return doc.record("config")


def code(rng: Random) -> dict[str, object]:
    doc = Doc()
    style = v.pick(rng, ["shell", "python", "pins", "mixed", "sql"])
    if style == "shell":
        doc.text("#!/usr/bin/env bash\nset -euo pipefail\n")
        _lines(rng, doc, SHELL_LINES, rng.randint(2, 7))
    elif style == "python":
        doc.text("import os\n\n")
        _lines(rng, doc, PYTHON_LINES, rng.randint(2, 7))
    elif style == "pins":
        _lines(rng, doc, PINS, rng.randint(3, 8))
        _lines(rng, doc, SHELL_LINES, 1)
    elif style == "sql":
        _lines(rng, doc, SQL, rng.randint(2, 6))
    else:
        _lines(rng, doc, PYTHON_LINES, rng.randint(1, 3))
        _lines(rng, doc, SHELL_LINES, rng.randint(1, 3))
    return doc.record("code")
