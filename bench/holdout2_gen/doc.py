"""A text under construction with its labelled spans, and the [[SLOT]] template renderer."""

from __future__ import annotations

import random
import re

from . import values as v

SLOT = re.compile(r"\[\[([A-Z0-9_]+)\]\]")


class Doc:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.n = 0
        self.ents: list[dict[str, object]] = []

    def t(self, s: str) -> Doc:
        self.parts.append(s)
        self.n += len(s)
        return self

    def e(self, typ: str | None, val: str) -> Doc:
        if typ:
            self.ents.append({"type": typ, "start": self.n, "end": self.n + len(val), "value": val})
        return self.t(val)

    def text(self) -> str:
        return "".join(self.parts)


def _key(rng: random.Random) -> tuple[str, str]:
    return "SECRET", v.api_key(rng)[1]


class Ctx:
    """Slot values for one text: a person, a company, and generators for every slot name."""

    def __init__(self, rng: random.Random, lang: str = "en") -> None:
        self.rng = rng
        self.lang = lang
        self.first, self.last = v.person(rng)
        self.first2, self.last2 = v.person(rng)
        self.company = v.pick(rng, v.COMPANIES)

    def slot(self, name: str) -> tuple[str | None, str]:
        r = self.rng
        lang = self.lang
        pos = {
            "EMAIL": lambda: v.email(r),
            "MYEMAIL": lambda: v.email(r, self.first, self.last),
            "PHONE": lambda: v.phone(r),
            "SSN": lambda: v.ssn(r, "dash"),
            "SSNANY": lambda: v.ssn(r),
            "SSNPLAIN": lambda: v.ssn(r, "plain"),
            "CARD": lambda: v.card(r),
            "IBAN": lambda: v.iban(r),
            "IP": lambda: v.ip(r),
            "IP4": lambda: v.ipv4(r),
            "IP6": lambda: v.ipv6(r),
            "APIKEY": lambda: v.api_key(r)[1],
            "PASSWORD": lambda: v.password(r),
            "JWT": lambda: v.jwt(r),
            "PEM": lambda: v.pem(r),
            "TOKEN": lambda: v.opaque_token(r),
            "AWSID": lambda: v.api_key(r, "aws")[1],
            "AWSSECRET": lambda: v.aws_secret(r),
            "GHTOKEN": lambda: v.api_key(r, v.pick(r, ["github", "github_pat"]))[1],
            "DOB": lambda: v.dob(r, lang),
            "DOBEN": lambda: v.dob(r, "en"),
            "MRN": lambda: v.mrn(r),
            "STRIPE": lambda: v.api_key(r, v.pick(r, ["stripe", "stripe_rk"]))[1],
            "DJANGO": lambda: "django-insecure-" + v.alnum(r, 50, "abcdefghijklmnopqrstuvwxyz0123456789!@#%^&*(-_=+)"),
            "SLACK": lambda: v.api_key(r, "slack")[1],
            "OPENAI": lambda: v.api_key(r, v.pick(r, ["openai", "openai_proj", "anthropic"]))[1],
            "BASIC": lambda: __import__("base64").b64encode(
                f"{v.pick(r, ['admin', 'svc', 'deploy'])}:{v.password(r)}".encode()).decode(),
        }
        types = {"EMAIL": "EMAIL", "MYEMAIL": "EMAIL", "PHONE": "PHONE", "SSN": "US_SSN",
                 "SSNANY": "US_SSN", "SSNPLAIN": "US_SSN", "CARD": "CREDIT_CARD", "IBAN": "IBAN",
                 "IP": "IP_ADDRESS", "IP4": "IP_ADDRESS", "IP6": "IP_ADDRESS", "DOB": "DATE_OF_BIRTH",
                 "DOBEN": "DATE_OF_BIRTH", "MRN": "MEDICAL_RECORD_NUMBER"}
        for c in ("US", "UK", "DE", "FR", "ES", "IT", "NL", "BR", "PT", "IN"):
            pos[f"PHONE_{c}"] = (lambda c=c: v.phone(r, c))
            types[f"PHONE_{c}"] = "PHONE"
        for c in v.IBAN_SPEC:
            pos[f"IBAN_{c}"] = (lambda c=c: v.iban(r, c))
            types[f"IBAN_{c}"] = "IBAN"
        if name in pos:
            return types.get(name, "SECRET"), pos[name]()
        neg = {
            "FIRST": lambda: self.first, "LAST": lambda: self.last,
            "NAME": lambda: f"{self.first} {self.last}", "NAME2": lambda: f"{self.first2} {self.last2}",
            "FIRST2": lambda: self.first2, "COMPANY": lambda: self.company,
            "CITY": lambda: v.pick(r, v.CITIES),
            "DATE": lambda: v.other_date(r, lang), "DATEEN": lambda: v.other_date(r, "en"),
            "TS": lambda: v.timestamp(r), "ORDER": lambda: v.order_no(r),
            "TRACK": lambda: v.tracking(r), "INVNO": lambda: v.invoice_no(r),
            "UUID": lambda: v.uuid(r), "SHA": lambda: v.sha(r), "VER": lambda: v.version(r),
            "AMOUNT": lambda: v.amount(r), "ARITH": lambda: v.arithmetic(r), "NPI": lambda: v.npi(r),
            "EPOCH": lambda: v.epoch(r), "ISBN": lambda: v.isbn(r), "ZIP4": lambda: v.zip4(r),
            "BADSSN": lambda: v.bad_ssn(r), "BADCARD": lambda: v.bad_luhn16(r),
            "BADIBAN": lambda: v.bad_iban(r), "MASKCARD": lambda: v.masked_card(r),
            "IPNEG": lambda: v.ip_negative(r), "PLACEHOLDER": lambda: v.placeholder_secret(r),
            "N2": lambda: str(r.randint(2, 99)), "N3": lambda: str(r.randint(100, 999)),
            "N4": lambda: str(r.randint(1000, 9999)), "N5": lambda: v.digits(r, 5),
            "N6": lambda: v.digits(r, 6), "N7": lambda: str(r.randint(1000000, 9999999)),
            "N8": lambda: str(r.randint(10000000, 99999999)),
            "N10": lambda: str(r.randint(1000000000, 9999999999)),
            "PORT": lambda: str(v.pick(r, [80, 443, 5432, 6379, 8080, 9090, 3000, 27017, 8443])),
            "MS": lambda: str(r.randint(2, 9000)), "PID": lambda: str(r.randint(300, 65000)),
            "YEAR": lambda: str(r.randint(2015, 2026)), "AGE": lambda: str(r.randint(19, 88)),
            "HEX8": lambda: v.hexs(r, 8), "PCT": lambda: f"{r.randint(1, 99)}.{r.randint(0, 9)}%",
            "ICD": lambda: v.pick(r, ["E11.9", "I10", "J45.909", "M54.5", "F41.1", "K21.9", "N39.0",
                                      "E78.5", "G43.909", "J06.9"]),
            "DX": lambda: v.pick(r, ["type 2 diabetes", "hypertension", "asthma", "lower back pain",
                                     "generalized anxiety", "GERD", "urinary tract infection",
                                     "hyperlipidemia", "migraine", "upper respiratory infection"]),
            "DRUG": lambda: v.pick(r, ["metformin 500 mg", "lisinopril 10 mg", "atorvastatin 20 mg",
                                       "sertraline 50 mg", "omeprazole 20 mg", "amoxicillin 875 mg",
                                       "albuterol 90 mcg", "ibuprofen 600 mg"]),
            "PROVIDER": lambda: v.pick(r, ["AWS", "GitHub", "Stripe", "Slack", "OpenAI", "SendGrid",
                                           "Twilio", "GitLab", "npm", "Datadog"]),
            "HOST": lambda: v.pick(r, ["db-primary.internal", "api.brightlane.io", "cache-02",
                                       "worker-7.prod", "ingest.kestrel.local", "pg.eu-west-1.rds.amazonaws.com"]),
            "HM": lambda: f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}",
            "MRNCUE": lambda: v.pick(r, v.MRN_CUES),
            "DOBCUE": lambda: v.pick(r, ["DOB:", "D.O.B.", "date of birth", "Date of Birth:",
                                         "born", "birthdate:", "Birth date", "DOB"]),
            "ROOM": lambda: f"{r.randint(1, 9)}{r.randint(0, 3)}{r.randint(0, 9)}",
        }
        if name in neg:
            return None, neg[name]()
        raise KeyError(name)


def render(doc: Doc, ctx: Ctx, template: str) -> None:
    pos = 0
    for m in SLOT.finditer(template):
        doc.t(template[pos:m.start()])
        typ, val = ctx.slot(m.group(1))
        doc.e(typ, val)
        pos = m.end()
    doc.t(template[pos:])
