"""Structured kinds: CSV, TSV, Markdown tables, nested JSON records, config files."""

from __future__ import annotations

import json
import random

from . import values as v
from .doc import Ctx, Doc, render

# (headers, generator) -- generator(rng, ctx) -> (type | None, value)


def _dob_cell(r: random.Random) -> str:
    y, m, d = v.ymd(r)
    return v.pick(r, [f"{y}-{m:02d}-{d:02d}", f"{m:02d}/{d:02d}/{y}", f"{d:02d}.{m:02d}.{y}",
                      f"{d:02d}/{m:02d}/{y}"])


def _phone_cell(r: random.Random) -> str:
    if r.random() < 0.25:
        a, e, n = v._us_line(r)
        return f"+1{a}{e}{n}"
    return v.phone(r)


def _secret_cell(r: random.Random) -> str:
    return v.api_key(r)[1] if r.random() < 0.7 else v.password(r)


POS_COLS = [
    (["email", "Email", "e-mail", "contact_email", "Email Address", "work_email"], "EMAIL", lambda r: v.email(r)),
    (["phone", "Phone", "mobile", "tel", "Phone Number", "contact_phone", "cell"], "PHONE", _phone_cell),
    (["dob", "DOB", "date_of_birth", "birth_date", "Birthdate", "Date of Birth"], "DATE_OF_BIRTH", _dob_cell),
    (["ssn", "SSN", "social_security_number", "ssn_no"], "US_SSN", lambda r: v.ssn(r, v.pick(r, ["dash", "dash", "plain"]))),
    (["card_number", "cc_number", "pan", "Card", "credit_card"], "CREDIT_CARD", lambda r: v.card(r)),
    (["iban", "IBAN", "bank_account_iban", "payout_iban"], "IBAN", lambda r: v.iban(r)),
    (["ip", "client_ip", "src_ip", "remote_addr", "IP Address", "last_login_ip"], "IP_ADDRESS", lambda r: v.ip(r)),
    (["mrn", "MRN", "medical_record_number", "chart_no", "med_rec_no"], "MEDICAL_RECORD_NUMBER", lambda r: v.mrn(r)),
    (["api_key", "token", "secret", "password", "access_token"], "SECRET", _secret_cell),
]

NEG_COLS = [
    (["id", "row", "#", "record_id"], lambda r: str(r.randint(1, 99999))),
    (["patient_id", "customer_id", "user_id", "account_no", "employee_id"], lambda r: v.digits(r, r.choice([6, 7, 8]))),
    (["order_no", "order_id", "reference"], lambda r: v.order_no(r)),
    (["created_at", "updated_at", "last_seen", "timestamp"], lambda r: v.timestamp(r)),
    (["visit_date", "hire_date", "due_date", "ship_date", "start_date"], lambda r: v.other_date(r, "en")),
    (["amount", "total", "balance"], lambda r: v.amount(r)),
    (["status", "state"], lambda r: v.pick(r, ["active", "closed", "pending", "overdue", "ok"])),
    (["version", "app_version", "client_version"], lambda r: v.version(r)),
    (["uuid", "request_id", "session_id"], lambda r: v.uuid(r)),
    (["name", "full_name", "customer"], lambda r: " ".join(v.person(r))),
    (["city"], lambda r: v.pick(r, v.CITIES)),
    (["zip", "postal_code"], lambda r: v.pick(r, [v.zip4(r), str(r.randint(10000, 99999))])),
    (["checksum", "sha256", "commit"], lambda r: v.sha(r)),
    (["qty", "count", "visits"], lambda r: str(r.randint(0, 500))),
    (["tracking_no", "shipment"], lambda r: v.tracking(r)),
    (["npi", "provider_npi"], lambda r: v.npi(r)),
    (["card_last4", "last4"], lambda r: v.digits(r, 4)),
    (["invoice", "invoice_no"], lambda r: v.invoice_no(r)),
    (["epoch_ms", "ts_ms"], lambda r: v.epoch(r)),
]


def _columns(rng: random.Random) -> list[tuple[str, str | None, object]]:
    npos = rng.randint(1, 4)
    nneg = rng.randint(2, 5)
    cols = []
    for headers, typ, gen in rng.sample(POS_COLS, npos):
        cols.append((v.pick(rng, headers), typ, gen))
    for headers, gen in rng.sample(NEG_COLS, nneg):
        cols.append((v.pick(rng, headers), None, gen))
    rng.shuffle(cols)
    if rng.random() < 0.7:  # an id column first
        cols.insert(0, (v.pick(rng, ["id", "patient_id", "row_id", "customer_id"]), None,
                        lambda r: str(r.randint(100000, 9999999))))
    return cols


def _cell(rng: random.Random, typ: str | None, gen) -> tuple[str | None, str]:
    if typ and rng.random() < 0.08:
        return None, v.pick(rng, ["", "N/A", "-", "null"])
    return typ, gen(rng)


def table(rng: random.Random, fmt: str) -> Doc:
    d = Doc()
    cols = _columns(rng)
    heads = [c[0] for c in cols]
    if rng.random() < 0.4:
        d.t(v.pick(rng, ["Here is the export you asked for:\n", "rows from prod (please check):\n",
                         "Attached extract, " + v.other_date(rng) + "\n", "```\n" if fmt != "md" else ""]))
    if fmt == "csv":
        sep = v.pick(rng, [",", ",", ";"])
        d.t(sep.join(heads) + "\n")
    elif fmt == "tsv":
        sep = "\t"
        d.t("\t".join(heads) + "\n")
    else:
        sep = " | "
        d.t("| " + " | ".join(heads) + " |\n")
        d.t("|" + "|".join("---" for _ in heads) + "|\n")
    for _ in range(rng.randint(2, 9)):
        if fmt == "md":
            d.t("| ")
        for i, (_, typ, gen) in enumerate(cols):
            if i:
                d.t(sep)
            t, val = _cell(rng, typ, gen)
            quote = fmt == "csv" and (sep in val or (rng.random() < 0.15 and val))
            if quote:
                d.t('"')
            d.e(t, val)
            if quote:
                d.t('"')
        d.t(" |\n" if fmt == "md" else "\n")
    if rng.random() < 0.3:
        d.t(v.pick(rng, ["(" + str(rng.randint(2, 9)) + " rows)", "total: " + v.amount(rng),
                         "-- generated " + v.timestamp(rng)]))
    return d


# ---------------------------------------------------------------- JSON


class E:
    """A labelled leaf."""

    def __init__(self, typ: str, val: str) -> None:
        self.typ, self.val = typ, val


def emit_json(d: Doc, obj: object, indent: int | None, level: int = 0) -> None:
    nl = "" if indent is None else "\n"
    pad = "" if indent is None else " " * (indent * (level + 1))
    end_pad = "" if indent is None else " " * (indent * level)
    colon = ": " if indent is not None else v.pick(_JRNG, [":", ": "])
    comma = "," if indent is not None else v.pick(_JRNG, [",", ", "])
    if isinstance(obj, E):
        d.t('"')
        d.e(obj.typ, obj.val)
        d.t('"')
    elif isinstance(obj, dict):
        if not obj:
            d.t("{}")
            return
        d.t("{" + nl)
        for i, (k, val) in enumerate(obj.items()):
            if i:
                d.t(comma + nl)
            d.t(pad + json.dumps(k) + colon)
            emit_json(d, val, indent, level + 1)
        d.t(nl + end_pad + "}")
    elif isinstance(obj, list):
        d.t("[" + nl)
        for i, val in enumerate(obj):
            if i:
                d.t(comma + nl)
            d.t(pad)
            emit_json(d, val, indent, level + 1)
        d.t(nl + end_pad + "]")
    else:
        d.t(json.dumps(obj, ensure_ascii=False))


_JRNG = random.Random(0)


def _person_record(r: random.Random) -> dict:
    f, l_ = v.person(r)
    rec: dict = {"id": r.randint(1000, 999999), "name": f"{f} {l_}"}
    contact: dict = {}
    if r.random() < 0.8:
        contact[v.pick(r, ["email", "emailAddress", "mail"])] = E("EMAIL", v.email(r, f, l_))
    if r.random() < 0.7:
        contact[v.pick(r, ["phone", "mobile", "phoneNumber", "tel"])] = E("PHONE", _phone_cell(r))
    if contact:
        rec["contact"] = contact
    if r.random() < 0.5:
        rec[v.pick(r, ["dob", "dateOfBirth", "birth_date", "birthDate"])] = E("DATE_OF_BIRTH", _dob_cell(r))
    if r.random() < 0.25:
        rec[v.pick(r, ["ssn", "socialSecurityNumber", "tax_ssn"])] = E("US_SSN", v.ssn(r, "dash"))
    if r.random() < 0.4:
        pay: dict = {"method": v.pick(r, ["card", "sepa", "wire"])}
        if pay["method"] == "card":
            pay["card"] = {"number": E("CREDIT_CARD", v.card(r)), "exp": f"{r.randint(1, 12):02d}/{r.randint(26, 31)}",
                           "last4": v.digits(r, 4)}
        else:
            pay[v.pick(r, ["iban", "IBAN", "accountIban"])] = E("IBAN", v.iban(r))
        rec["payment"] = pay
    if r.random() < 0.3:
        rec["medical"] = {v.pick(r, ["mrn", "medicalRecordNumber", "chart_number"]): E("MEDICAL_RECORD_NUMBER", v.mrn(r)),
                          "patient_id": v.digits(r, 7), "admitted": v.other_date(r, "en"),
                          "icd10": v.pick(r, ["E11.9", "I10", "J45.909"])}
    rec["meta"] = {"created_at": v.timestamp(r), "request_id": v.uuid(r), "version": v.version(r)}
    if r.random() < 0.5:
        rec["meta"][v.pick(r, ["client_ip", "ip", "remoteAddr", "source_ip"])] = E("IP_ADDRESS", v.ip(r))
    if r.random() < 0.3:
        rec["meta"]["build"] = {"sha": v.sha(r, 40), "node": v.pick(r, ["18.19.0", "20.11.1"]), "retries": r.randint(0, 5)}
    if r.random() < 0.15:
        rec["meta"]["netmask"] = "255.255.255.0"
    return rec


def _service_record(r: random.Random) -> dict:
    rec: dict = {"service": v.pick(r, ["billing", "auth", "search", "ingest"]),
                 "env": v.pick(r, ["prod", "staging", "dev"]),
                 "credentials": {}, "endpoints": [], "image": f"registry.local/app:{v.version(r)}",
                 "digest": "sha256:" + v.sha(r, 64)}
    creds = rec["credentials"]
    if r.random() < 0.6:
        p, k = v.api_key(r)
        creds[v.pick(r, ["api_key", "apiKey", "token", f"{p}_key"])] = E("SECRET", k)
    if r.random() < 0.5:
        creds["password"] = E("SECRET", v.password(r))
    if r.random() < 0.4:
        creds[v.pick(r, ["fallback_key", "test_key", "example_token"])] = v.placeholder_secret(r)
    if r.random() < 0.3:
        creds["jwt"] = E("SECRET", v.jwt(r))
    for _ in range(r.randint(1, 3)):
        rec["endpoints"].append({"host": E("IP_ADDRESS", v.ip(r)), "port": r.randint(1024, 65000),
                                 "weight": r.randint(1, 100)})
    rec["owner"] = E("EMAIL", v.email(r))
    rec["updated"] = v.timestamp(r)
    return rec


def json_doc(rng: random.Random) -> Doc:
    global _JRNG
    _JRNG = rng
    d = Doc()
    indent = v.pick(rng, [None, 2, 2, 4])
    shape = rng.random()
    if shape < 0.45:
        obj: object = _person_record(rng)
    elif shape < 0.7:
        obj = {"data": [_person_record(rng) for _ in range(rng.randint(2, 4))],
               "page": rng.randint(1, 40), "total": rng.randint(40, 9000), "next": v.uuid(rng)}
    elif shape < 0.9:
        obj = _service_record(rng)
    else:
        obj = [_person_record(rng) for _ in range(rng.randint(2, 3))]
    if rng.random() < 0.3:
        d.t(v.pick(rng, ["response body:\n", "Can you validate this payload?\n", "```json\n"]))
    emit_json(d, obj, indent)
    return d


# ---------------------------------------------------------------- config

ENV_LINES = [
    "DATABASE_URL=postgres://app:[[PASSWORD]]@[[HOST]]:5432/orders",
    "DATABASE_URL=postgres://app:${DB_PASSWORD}@[[HOST]]:5432/orders",
    "REDIS_URL=redis://:[[PASSWORD]]@cache-01:6379/0",
    "STRIPE_SECRET_KEY=[[STRIPE]]",
    "OPENAI_API_KEY=[[PLACEHOLDER]]",
    "GITHUB_TOKEN=[[GHTOKEN]]",
    "AWS_ACCESS_KEY_ID=[[AWSID]]",
    "AWS_SECRET_ACCESS_KEY=[[AWSSECRET]]",
    "APP_VERSION=[[VER]]",
    "ADMIN_EMAIL=[[EMAIL]]",
    "SUPPORT_PHONE=\"[[PHONE]]\"",
    "BIND_ADDR=0.0.0.0",
    "UPSTREAM_HOST=[[IP4]]",
    "SESSION_SECRET=[[TOKEN]]",
    "LOG_LEVEL=info",
    "MAX_RETRIES=[[N2]]",
    "TIMEOUT_MS=[[MS]]",
    "SMTP_PASSWORD=changeme",
    "JWT_SIGNING_KEY=[[TOKEN]]",
    "SENTRY_RELEASE=[[SHA]]",
    "PAYOUT_IBAN=[[IBAN]]",
    "# rotated [[DATEEN]] by [[FIRST]]",
]

YAML_BLOCKS = [
    "database:\n  host: [[HOST]]\n  port: 5432\n  user: svc_orders\n  password: \"[[PASSWORD]]\"\n  pool_size: [[N2]]\n",
    "database:\n  host: [[IP4]]\n  password: ${DB_PASSWORD}\n  timeout: [[MS]]ms\n",
    "smtp:\n  server: smtp.brightlane.io\n  username: [[EMAIL]]\n  password: [[PASSWORD]]\n",
    "api:\n  key: [[APIKEY]]\n  base_url: https://api.brightlane.io/v2\n  version: \"[[VER]]\"\n",
    "api:\n  key: \"<your-key>\"   # set via env in prod\n  retries: [[N2]]\n",
    "allowed_ips:\n  - [[IP4]]\n  - [[IP4]]\n  - [[IP]]\n",
    "image:\n  repository: ghcr.io/brightlane/api\n  tag: \"[[VER]]\"\n  digest: sha256:[[SHA]]\n",
    "alerts:\n  email: [[EMAIL]]\n  oncall_phone: \"[[PHONE]]\"\n  threshold: [[PCT]]\n",
    "tls:\n  key_file: /etc/ssl/private/server.key\n  cert_file: /etc/ssl/certs/server.pem\n",
    "slack:\n  bot_token: [[SLACK]]\n  channel: \"#ops\"\n",
    "billing:\n  payout_iban: [[IBAN]]\n  currency: EUR\n  invoice_prefix: INV-\n",
    "metadata:\n  created: [[TS]]\n  uid: [[UUID]]\n  resourceVersion: \"[[N7]]\"\n",
]

INI_BLOCKS = [
    "[database]\nhost = [[HOST]]\nport = 3306\nuser = reporting\npassword = [[PASSWORD]]\n",
    "[database]\nhost = [[IP4]]\npassword = %(DB_PASS)s\n",
    "[aws]\naws_access_key_id = [[AWSID]]\naws_secret_access_key = [[AWSSECRET]]\nregion = eu-west-1\n",
    "[smtp]\nserver = mail.kestrel-logistics.com\nfrom = [[EMAIL]]\npass = [[PASSWORD]]\n",
    "[app]\nversion = [[VER]]\nbuild = [[N5]]\ndebug = false\nlisten = 0.0.0.0:[[PORT]]\n",
    "[contact]\nowner = [[NAME]]\nemail = [[EMAIL]]\nphone = [[PHONE]]\n",
    "[proxy]\nupstream = [[IP]]\nnetmask = 255.255.255.0\nhealth = http://127.0.0.1:[[PORT]]/healthz\n",
]

TOML_BLOCKS = [
    "[tool.poetry.dependencies]\npython = \"^3.11\"\nrequests = \"==2.31.0\"\npydantic = \"[[VER]]\"\n",
    "[server]\naddress = \"[[IP4]]\"\nport = [[PORT]]\napi_token = \"[[APIKEY]]\"\n",
]


def config(rng: random.Random) -> Doc:
    d, ctx = Doc(), Ctx(rng)
    style = v.pick(rng, ["env", "yaml", "ini", "toml", "yaml", "env"])
    if rng.random() < 0.25:
        d.t(v.pick(rng, ["Here's my config, why won't it connect?\n\n", "# config for staging\n",
                         "current settings:\n"]))
    if style == "env":
        for line in rng.sample(ENV_LINES, rng.randint(4, 10)):
            render(d, ctx, line + "\n")
    elif style == "yaml":
        blocks = rng.sample(YAML_BLOCKS, rng.randint(2, 4))
        for b in blocks:
            render(d, ctx, b)
        if rng.random() < 0.2:
            key = v.pem(rng)
            d.t("tls_private_key: |\n  ")
            d.e("SECRET", "\n".join("  " + line for line in key.split("\n")).lstrip())
            d.t("\n")
    elif style == "ini":
        for b in rng.sample(INI_BLOCKS, rng.randint(2, 4)):
            render(d, ctx, b + "\n")
    else:
        for b in TOML_BLOCKS:
            render(d, ctx, b + "\n")
        for line in rng.sample(ENV_LINES, 3):
            k, _, val = line.partition("=")
            if not k.startswith("#"):
                render(d, ctx, f"{k.lower()} = \"{val.strip(chr(34))}\"\n")
    return d
