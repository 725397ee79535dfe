"""Value generators for the second held-out corpus: true findings and hard negatives.

Standard library only; every function takes the corpus's `random.Random` so the output depends
on the seed alone.
"""

from __future__ import annotations

import base64
import json
import random
import string

FIRST = ["James", "Maria", "Wei", "Aisha", "Lukas", "Chloé", "Mateo", "Giulia", "Sanne", "João",
         "Priya", "Olivia", "Noah", "Fatima", "Hiroshi", "Elena", "Kwame", "Ingrid", "Diego",
         "Sophie", "Ahmed", "Anna", "Tomasz", "Lea", "Marco", "Camille", "Pedro", "Daan", "Emma",
         "Rafael", "Zoe", "Jonas", "Nadia", "Oscar", "Leila", "Felix", "Ines", "Bram", "Clara"]
LAST = ["Okafor", "Schneider", "Dubois", "García", "Rossi", "de Vries", "Silva", "Nguyen",
        "Patel", "Kowalski", "Johansson", "Müller", "Martin", "Fernández", "Bianchi", "Jansen",
        "Costa", "O'Brien", "Kim", "Haddad", "Novak", "Lefèvre", "Moreau", "Ricci", "Bakker",
        "Pereira", "Thompson", "Yamamoto", "Andersen", "Ivanova", "Walsh", "Brennan", "Hughes"]
DOMAINS = ["gmail.com", "outlook.com", "yahoo.co.uk", "proton.me", "web.de", "orange.fr",
           "libero.it", "ziggo.nl", "uol.com.br", "northwind-health.org", "brightlane.io",
           "kestrel-logistics.com", "mapleleaf.ca", "fastmail.fm", "icloud.com", "gmx.at",
           "hospital-sanmarco.it", "acmefin.co", "blueharbor.dev", "uni-koeln.de"]
COMPANIES = ["Brightlane Ltd", "Kestrel Logistics", "Northwind Health", "Blue Harbor GmbH",
             "Maple & Finch LLP", "Orbital Foods SA", "Tidewater Bank", "Helix Robotics",
             "Verde Energia S.p.A.", "Polder Data B.V."]
CITIES = ["Berlin", "Lyon", "Madrid", "Milano", "Utrecht", "Porto", "Chicago", "Austin",
          "Leeds", "Toronto", "São Paulo", "Seattle", "Denver", "Köln", "Sevilla"]


def pick(rng: random.Random, seq):
    return seq[rng.randrange(len(seq))]


def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def alnum(rng: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def hexs(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


# ---------------------------------------------------------------- people

def person(rng: random.Random) -> tuple[str, str]:
    return pick(rng, FIRST), pick(rng, LAST)


def _ascii(s: str) -> str:
    table = str.maketrans("éèüöäíáóãçñ'", "eeuoaiaoacn ")
    return s.translate(table).replace(" ", "").lower()


def email(rng: random.Random, first: str | None = None, last: str | None = None) -> str:
    f, l_ = (first, last) if first else person(rng)
    f, l_ = _ascii(f), _ascii(l_ or "x")
    local = pick(rng, [f"{f}.{l_}", f"{f[0]}{l_}", f"{f}_{l_}{rng.randint(1, 99)}",
                       f"{l_}.{f}", f"{f}{rng.randint(70, 2005)}", f"{f}+billing",
                       f"{f}-{l_[0]}", f"{l_}{f[0]}"])
    return f"{local}@{pick(rng, DOMAINS)}"


# ---------------------------------------------------------------- phones

US_AREAS = ["212", "415", "312", "617", "206", "303", "512", "646", "718", "404", "713", "202",
            "305", "503", "612", "702", "919", "858", "470", "737", "267", "480", "614", "971"]


def _us_line(rng: random.Random) -> tuple[str, str, str]:
    while True:
        ex = str(rng.randint(2, 9)) + digits(rng, 2)
        if ex[1:] != "11" and ex != "555":
            break
    return pick(rng, US_AREAS), ex, digits(rng, 4)


def phone(rng: random.Random, country: str | None = None) -> str:
    c = country or pick(rng, ["US", "US", "US", "UK", "DE", "FR", "ES", "IT", "NL", "BR", "IN",
                              "PT"])
    if c == "US":
        a, e, n = _us_line(rng)
        return pick(rng, [f"({a}) {e}-{n}", f"{a}-{e}-{n}", f"+1 {a} {e} {n}", f"{a}.{e}.{n}",
                          f"+1-{a}-{e}-{n}", f"1-{a}-{e}-{n}", f"+1 ({a}) {e}-{n}", f"+1{a}{e}{n}"])
    if c == "UK":
        m = str(rng.randint(40, 99)) + digits(rng, 1)
        rest = digits(rng, 6)
        land = str(rng.randint(3, 8)) + digits(rng, 3)
        return pick(rng, [f"+44 7{m} {rest}", f"07{m} {rest}", f"+44 20 {land} {digits(rng, 4)}",
                          f"020 {land} {digits(rng, 4)}", f"+44 (0)20 {land} {digits(rng, 4)}"])
    if c == "DE":
        mob = pick(rng, ["151", "160", "170", "176", "152"])
        return pick(rng, [f"+49 30 {rng.randint(2, 9)}{digits(rng, 7)}",
                          f"030 {rng.randint(2, 9)}{digits(rng, 7)}",
                          f"+49 {mob} {rng.randint(2, 9)}{digits(rng, 7)}",
                          f"0{mob} {rng.randint(2, 9)}{digits(rng, 7)}",
                          f"+49 (0)89 {rng.randint(2, 9)}{digits(rng, 6)}",
                          f"0221 / {rng.randint(2, 9)}{digits(rng, 6)}"])
    if c == "FR":
        g = [f"{rng.randint(10, 99)}" for _ in range(4)]
        first = pick(rng, ["1", "6", "7", "4", "2"])
        return pick(rng, [f"+33 {first} {' '.join(g)}", f"0{first} {' '.join(g)}",
                          f"0{first}.{'.'.join(g)}", f"+33 (0){first} {' '.join(g)}"])
    if c == "ES":
        return pick(rng, [f"+34 6{digits(rng, 2)} {digits(rng, 3)} {digits(rng, 3)}",
                          f"91{rng.randint(2, 9)} {digits(rng, 3)} {digits(rng, 3)}",
                          f"+34 91 {rng.randint(2, 9)}{digits(rng, 2)} {digits(rng, 2)} {digits(rng, 2)}",
                          f"6{digits(rng, 2)} {digits(rng, 2)} {digits(rng, 2)} {digits(rng, 2)}"])
    if c == "IT":
        return pick(rng, [f"+39 06 {rng.randint(3, 9)}{digits(rng, 3)} {digits(rng, 4)}",
                          f"+39 3{rng.randint(20, 49)} {digits(rng, 3)} {digits(rng, 4)}",
                          f"3{rng.randint(20, 49)} {digits(rng, 7)}",
                          f"02 {rng.randint(3, 9)}{digits(rng, 7)}"])
    if c == "NL":
        return pick(rng, [f"+31 20 {rng.randint(2, 9)}{digits(rng, 2)} {digits(rng, 4)}",
                          f"06-{rng.randint(1, 6)}{digits(rng, 7)}",
                          f"+31 6 {rng.randint(1, 6)}{digits(rng, 7)}",
                          f"020-{rng.randint(2, 9)}{digits(rng, 6)}"])
    if c == "BR":
        return pick(rng, [f"+55 11 9{rng.randint(6, 9)}{digits(rng, 3)}-{digits(rng, 4)}",
                          f"(11) 9{rng.randint(6, 9)}{digits(rng, 3)}-{digits(rng, 4)}",
                          f"+55 21 {rng.randint(2, 3)}{digits(rng, 3)}-{digits(rng, 4)}"])
    if c == "PT":
        return pick(rng, [f"+351 91{rng.randint(0, 9)} {digits(rng, 3)} {digits(rng, 3)}",
                          f"21{rng.randint(0, 9)} {digits(rng, 3)} {digits(rng, 3)}"])
    # IN
    return pick(rng, [f"+91 9{digits(rng, 4)} {digits(rng, 5)}",
                      f"+91-98{digits(rng, 3)}-{digits(rng, 5)}"])


# ---------------------------------------------------------------- SSN

def ssn_parts(rng: random.Random) -> tuple[str, str, str]:
    while True:
        area = rng.randint(1, 899)
        if area != 666:
            break
    return f"{area:03d}", f"{rng.randint(1, 99):02d}", f"{rng.randint(1, 9999):04d}"


def ssn(rng: random.Random, style: str | None = None) -> str:
    a, g, s = ssn_parts(rng)
    st = style or pick(rng, ["dash"] * 6 + ["space", "plain"])
    return {"dash": f"{a}-{g}-{s}", "space": f"{a} {g} {s}", "plain": f"{a}{g}{s}"}[st]


def bad_ssn(rng: random.Random) -> str:
    """SSN-shaped but breaks the SSA rules (never issued)."""
    a, g, s = ssn_parts(rng)
    return pick(rng, [f"000-{g}-{s}", f"666-{g}-{s}", f"{rng.randint(900, 999)}-{g}-{s}",
                      f"{a}-00-{s}", f"{a}-{g}-0000"])


# ---------------------------------------------------------------- cards

def luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(num: str) -> bool:
    return luhn_digit(num[:-1]) == num[-1]


def card_number(rng: random.Random) -> str:
    brand = pick(rng, ["visa", "visa", "mc", "mc2", "amex", "disc", "jcb"])
    if brand == "visa":
        body = "4" + digits(rng, 14)
    elif brand == "mc":
        body = f"5{rng.randint(1, 5)}" + digits(rng, 13)
    elif brand == "mc2":
        body = str(rng.randint(2221, 2720)) + digits(rng, 11)
    elif brand == "amex":
        body = pick(rng, ["34", "37"]) + digits(rng, 12)
    elif brand == "disc":
        body = "6011" + digits(rng, 11)
    else:
        body = "35" + str(rng.randint(28, 89)) + digits(rng, 11)
    return body + luhn_digit(body)


def group_card(num: str, sep: str) -> str:
    if len(num) == 15:
        parts = [num[:4], num[4:10], num[10:]]
    else:
        parts = [num[i:i + 4] for i in range(0, len(num), 4)]
    return sep.join(parts)


def card(rng: random.Random) -> str:
    return group_card(card_number(rng), pick(rng, [" ", " ", "-", ""]))


def bad_luhn16(rng: random.Random) -> str:
    body = str(rng.randint(1, 9)) + digits(rng, 14)
    good = luhn_digit(body)
    return body + str((int(good) + rng.randint(1, 9)) % 10)


def masked_card(rng: random.Random) -> str:
    last = digits(rng, 4)
    return pick(rng, [f"**** **** **** {last}", f"XXXX-XXXX-XXXX-{last}", f"ending in {last}",
                      f"•••• {last}", f"4{digits(rng, 5)}******{last}"])


# ---------------------------------------------------------------- IBAN

IBAN_SPEC = {  # country: (length, bban maker)
    "DE": lambda r: digits(r, 18),
    "FR": lambda r: digits(r, 10) + alnum(r, 11, string.ascii_uppercase + string.digits) + digits(r, 2),
    "ES": lambda r: digits(r, 20),
    "IT": lambda r: r.choice(string.ascii_uppercase) + digits(r, 10) + alnum(r, 12, string.digits),
    "NL": lambda r: pick(r, ["ABNA", "RABO", "INGB", "TRIO", "SNSB"]) + digits(r, 10),
    "GB": lambda r: pick(r, ["NWBK", "BARC", "LOYD", "MIDL", "HBUK"]) + digits(r, 14),
    "BE": lambda r: digits(r, 12),
    "AT": lambda r: digits(r, 16),
    "CH": lambda r: digits(r, 17),
    "PT": lambda r: digits(r, 21),
    "PL": lambda r: digits(r, 24),
    "IE": lambda r: pick(r, ["AIBK", "BOFI"]) + digits(r, 14),
}


def iban_check(country: str, bban: str) -> str:
    rearranged = bban + country + "00"
    num = "".join(str(int(ch, 36)) for ch in rearranged)
    return f"{98 - int(num) % 97:02d}"


def iban_valid(iban: str) -> bool:
    s = iban.replace(" ", "")
    num = "".join(str(int(ch, 36)) for ch in s[4:] + s[:4])
    return int(num) % 97 == 1


def iban(rng: random.Random, country: str | None = None, grouped: bool | None = None) -> str:
    c = country or pick(rng, list(IBAN_SPEC))
    bban = IBAN_SPEC[c](rng)
    raw = c + iban_check(c, bban) + bban
    if grouped is None:
        grouped = rng.random() < 0.6
    if grouped:
        return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))
    return raw


def bad_iban(rng: random.Random) -> str:
    c = pick(rng, list(IBAN_SPEC))
    bban = IBAN_SPEC[c](rng)
    good = int(iban_check(c, bban))
    wrong = (good + rng.randint(1, 50)) % 97
    wrong = max(wrong, 2)
    if wrong == good:
        wrong = good + 1 if good < 96 else 3
    return c + f"{wrong:02d}" + bban


# ---------------------------------------------------------------- IPs

def ipv4(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.25:
        return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if kind < 0.4:
        return f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if kind < 0.5:
        return f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    while True:
        a = rng.randint(11, 223)
        if a not in (127, 169, 172, 192, 100):
            break
    return f"{a}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def ipv6(rng: random.Random) -> str:
    prefix = pick(rng, ["2a02:8108", "2001:4860", "2607:f8b0", "2a01:4f8", "2600:1f18",
                        "2a00:1450", "2604:a880", "fd12:3456"])
    groups = [format(rng.randint(0, 0xFFFF), "x") for _ in range(6 if prefix.count(":") == 1 else 5)]
    full = prefix + ":" + ":".join(groups)
    if rng.random() < 0.4:
        # compress a middle run
        parts = full.split(":")
        return ":".join(parts[:3]) + "::" + ":".join(parts[-2:])
    return full


def ip(rng: random.Random) -> str:
    return ipv6(rng) if rng.random() < 0.25 else ipv4(rng)


def ip_negative(rng: random.Random) -> str:
    return pick(rng, ["127.0.0.1", "0.0.0.0", "255.255.255.0", "255.255.0.0", "::1",
                      f"1.3.6.1.4.1.{rng.randint(100, 60000)}",
                      ":".join(f"{rng.randint(0, 255):02X}" for _ in range(6))])


# ---------------------------------------------------------------- secrets

B32 = string.ascii_uppercase + "234567"
B64 = string.ascii_letters + string.digits + "+/"
B64URL = string.ascii_letters + string.digits + "-_"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt(rng: random.Random) -> str:
    header = {"alg": pick(rng, ["HS256", "RS256", "ES256"]), "typ": "JWT"}
    payload = {"sub": str(rng.randint(10000, 999999)), "iat": rng.randint(1690000000, 1760000000),
               "scope": pick(rng, ["read write", "admin", "orders:read"]),
               "iss": pick(rng, ["https://auth.brightlane.io", "kestrel-sso", "accounts"])}
    sig = bytes(rng.randint(0, 255) for _ in range(32 if header["alg"] == "HS256" else 64))
    return ".".join([b64url(json.dumps(header, separators=(",", ":")).encode()),
                     b64url(json.dumps(payload, separators=(",", ":")).encode()), b64url(sig)])


def pem(rng: random.Random) -> str:
    label = pick(rng, ["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"])
    lines = [alnum(rng, 64, B64) for _ in range(rng.randint(4, 9))]
    lines.append(alnum(rng, rng.randint(8, 60), B64) + pick(rng, ["", "=", "=="]))
    if label == "OPENSSH PRIVATE KEY":
        lines[0] = "b3BlbnNzaC1rZXktdjEAAAAA" + lines[0][24:]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----"


def api_key(rng: random.Random, provider: str | None = None) -> tuple[str, str]:
    """(provider, key) with the provider's shape."""
    p = provider or pick(rng, ["aws", "github", "github_pat", "slack", "stripe", "openai",
                               "anthropic", "google", "sendgrid", "npm", "gitlab", "twilio",
                               "openai_proj", "pypi", "hf", "datadog", "stripe_rk", "mailgun"])
    if p == "aws":
        k = pick(rng, ["AKIA", "ASIA"]) + alnum(rng, 16, B32)
    elif p == "github":
        k = pick(rng, ["ghp_", "gho_", "ghs_"]) + alnum(rng, 36)
    elif p == "github_pat":
        k = "github_pat_11" + alnum(rng, 20, string.ascii_uppercase + string.digits) + "_" + alnum(rng, 59)
    elif p == "slack":
        k = pick(rng, ["xoxb", "xoxp"]) + f"-{digits(rng, 12)}-{digits(rng, 13)}-" + alnum(rng, 24)
    elif p == "stripe":
        k = "sk_live_" + alnum(rng, pick(rng, [24, 34, 99]))
    elif p == "stripe_rk":
        k = "rk_live_" + alnum(rng, 24)
    elif p == "openai":
        k = "sk-" + alnum(rng, 20) + "T3BlbkFJ" + alnum(rng, 20)
    elif p == "openai_proj":
        k = "sk-proj-" + alnum(rng, 74, B64URL) + "T3BlbkFJ" + alnum(rng, 74, B64URL)
    elif p == "anthropic":
        k = "sk-ant-api03-" + alnum(rng, 93, B64URL) + "AA"
    elif p == "google":
        k = "AIza" + alnum(rng, 35, B64URL)
    elif p == "sendgrid":
        k = "SG." + alnum(rng, 22, B64URL) + "." + alnum(rng, 43, B64URL)
    elif p == "npm":
        k = "npm_" + alnum(rng, 36)
    elif p == "gitlab":
        k = "glpat-" + alnum(rng, 20, B64URL)
    elif p == "twilio":
        k = "SK" + hexs(rng, 32)
    elif p == "pypi":
        k = "pypi-AgEIcHlwaS5vcmc" + alnum(rng, 60, B64URL)
    elif p == "hf":
        k = "hf_" + alnum(rng, 34)
    elif p == "datadog":
        k = hexs(rng, 32)
    else:
        k = "key-" + hexs(rng, 32)
    return p, k


def aws_secret(rng: random.Random) -> str:
    return alnum(rng, 40, B64)


def password(rng: random.Random) -> str:
    words = ["Tr0ub4dor", "Sunfl0wer", "Kangaroo", "Bl4ckbird", "Wint3r", "M@rmalade", "Quokka",
             "Zebra", "Falcon", "Lavender", "Orbit", "Pineapple", "Granite"]
    style = rng.random()
    if style < 0.4:
        return pick(rng, words) + pick(rng, ["!", "#", "$", "&", "%", "_", "*"]) + digits(rng, rng.randint(2, 4))
    if style < 0.7:
        return alnum(rng, rng.randint(14, 28), string.ascii_letters + string.digits + "!#%^*_-")
    return pick(rng, words).lower() + "-" + pick(rng, words).lower() + "-" + digits(rng, 2)


def opaque_token(rng: random.Random) -> str:
    return alnum(rng, rng.randint(32, 48), B64URL)


def placeholder_secret(rng: random.Random) -> str:
    return pick(rng, ["<your-api-key>", "xxxxxxxxxxxxxxxxxxxx", "changeme", "${DB_PASSWORD}",
                      "{{ secrets.API_TOKEN }}", "YOUR_API_KEY_HERE", "<redacted>", "********",
                      "sk-...", "sk-****************************abcd", "REPLACE_ME",
                      "%(SMTP_PASSWORD)s", "$API_KEY", "<token>",
                      "os.environ['STRIPE_KEY']", "process.env.GITHUB_TOKEN", "[REDACTED]",
                      "AKIAXXXXXXXXXXXXXXXX", "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"])


# ---------------------------------------------------------------- dates

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
           "settembre", "ottobre", "novembre", "dicembre"],
    "pt": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
           "setembro", "outubro", "novembro", "dezembro"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"],
}


def ymd(rng: random.Random, lo: int = 1938, hi: int = 2006) -> tuple[int, int, int]:
    return rng.randint(lo, hi), rng.randint(1, 12), rng.randint(1, 28)


def fmt_date(rng: random.Random, y: int, m: int, d: int, lang: str = "en",
             style: str | None = None) -> str:
    mn = MONTHS[lang][m - 1]
    if lang == "en":
        st = style or pick(rng, ["iso", "us", "us2", "long", "dmy_long", "short_mon", "eu_slash"])
        return {"iso": f"{y:04d}-{m:02d}-{d:02d}", "us": f"{m:02d}/{d:02d}/{y}",
                "us2": f"{m}/{d}/{y}", "long": f"{mn} {d}, {y}", "dmy_long": f"{d} {mn} {y}",
                "short_mon": f"{d:02d}-{mn[:3]}-{y}", "eu_slash": f"{d:02d}/{m:02d}/{y}"}[st]
    if lang == "de":
        return pick(rng, [f"{d:02d}.{m:02d}.{y}", f"{d}. {mn} {y}", f"{d}.{m}.{y}"])
    if lang == "fr":
        return pick(rng, [f"{d:02d}/{m:02d}/{y}", f"{d} {mn} {y}", f"{'1er' if d == 1 else d} {mn} {y}"])
    if lang == "es":
        return pick(rng, [f"{d:02d}/{m:02d}/{y}", f"{d} de {mn} de {y}", f"{d}-{m:02d}-{y}"])
    if lang == "it":
        return pick(rng, [f"{d:02d}/{m:02d}/{y}", f"{d} {mn} {y}", f"{d:02d}.{m:02d}.{y}"])
    if lang == "pt":
        return pick(rng, [f"{d:02d}/{m:02d}/{y}", f"{d} de {mn} de {y}"])
    return pick(rng, [f"{d:02d}-{m:02d}-{y}", f"{d} {mn} {y}", f"{d:02d}/{m:02d}/{y}"])


def dob(rng: random.Random, lang: str = "en") -> str:
    y, m, d = ymd(rng)
    return fmt_date(rng, y, m, d, lang)


def other_date(rng: random.Random, lang: str = "en") -> str:
    y, m, d = ymd(rng, 2019, 2026)
    return fmt_date(rng, y, m, d, lang)


def timestamp(rng: random.Random) -> str:
    y, m, d = ymd(rng, 2023, 2026)
    hh, mm, ss = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
    return pick(rng, [f"{y}-{m:02d}-{d:02d} {hh:02d}:{mm:02d}:{ss:02d}",
                      f"{y}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}:{ss:02d}.{digits(rng, 3)}Z",
                      f"{y}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}:{ss:02d}+02:00",
                      f"{d:02d}/{MONTHS['en'][m - 1][:3]}/{y}:{hh:02d}:{mm:02d}:{ss:02d} +0000",
                      f"{y}{m:02d}{d:02d}{hh:02d}{mm:02d}{ss:02d}"])


# ---------------------------------------------------------------- MRN

def mrn(rng: random.Random) -> str:
    return pick(rng, [digits(rng, 7), digits(rng, 8), "00" + digits(rng, 6),
                      rng.choice("ABEHKMRT") + digits(rng, 7), digits(rng, 3) + "-" + digits(rng, 4) + "-" + digits(rng, 2),
                      "MR" + digits(rng, 8), digits(rng, 10)])


MRN_CUES = ["MRN", "MRN:", "MRN #", "Medical Record Number:", "Medical record no.", "Med Rec #",
            "Chart #", "Chart number", "medical record", "MR#", "Hospital MRN", "EHR MRN"]


# ---------------------------------------------------------------- other negatives

def uuid(rng: random.Random) -> str:
    h = hexs(rng, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{pick(rng, '89ab')}{h[17:20]}-{h[20:]}"


def sha(rng: random.Random, n: int | None = None) -> str:
    return hexs(rng, n or pick(rng, [40, 64, 7, 12]))


def version(rng: random.Random) -> str:
    return pick(rng, [f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 40)}",
                      f"{rng.randint(1, 20)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 99)}",
                      f"v{rng.randint(1, 5)}.{rng.randint(0, 20)}.{rng.randint(0, 15)}"])


def order_no(rng: random.Random) -> str:
    return pick(rng, [f"ORD-{rng.randint(2022, 2026)}-{digits(rng, 6)}", f"#{digits(rng, 7)}",
                      f"PO{digits(rng, 8)}", f"SO-{digits(rng, 5)}", f"A{digits(rng, 9)}"])


def tracking(rng: random.Random) -> str:
    return pick(rng, ["1Z" + alnum(rng, 6, string.ascii_uppercase + string.digits) + digits(rng, 10),
                      digits(rng, 12), "JD" + digits(rng, 18), _grouped14(rng)])


def _grouped14(rng: random.Random) -> str:
    """A 14-digit tracking number in groups of four, never Luhn-valid."""
    body = str(rng.randint(1, 9)) + digits(rng, 12)
    n = body + str((int(luhn_digit(body)) + rng.randint(1, 9)) % 10)
    return f"{n[:4]} {n[4:8]} {n[8:12]} {n[12:]}"


def invoice_no(rng: random.Random) -> str:
    return pick(rng, [f"INV-{digits(rng, 6)}", f"{rng.randint(2023, 2026)}-{digits(rng, 5)}",
                      f"F{rng.randint(2023, 2026)}/{digits(rng, 4)}", f"RE-{digits(rng, 8)}"])


def amount(rng: random.Random) -> str:
    v = rng.randint(100, 2_000_000) / 100
    return pick(rng, [f"${v:,.2f}", f"€{v:,.2f}", f"{v:.2f} EUR", f"£{v:,.2f}",
                      f"{v:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") + " €"])


def arithmetic(rng: random.Random) -> str:
    a, b = rng.randint(1000, 99999), rng.randint(100, 9999)
    return pick(rng, [f"{a} * {b} = {a * b}", f"{a} + {b} = {a + b}", f"{a * b} / {b} = {a}"])


def npi(rng: random.Random) -> str:
    return str(rng.randint(1, 2)) + digits(rng, 9)


def epoch(rng: random.Random) -> str:
    return str(rng.randint(1_690_000_000, 1_770_000_000)) + pick(rng, ["", digits(rng, 3)])


def isbn(rng: random.Random) -> str:
    body = "978" + digits(rng, 9)
    total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body))
    check = (10 - total % 10) % 10
    return f"{body[:3]}-{body[3]}-{body[4:7]}-{body[7:12]}-{check}"


def zip4(rng: random.Random) -> str:
    return f"{rng.randint(10000, 99999)}-{digits(rng, 4)}"
