"""People, companies and places, with email addresses made from their names."""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

FIRST_NAMES = (
    "James", "Maria", "Wei", "Aisha", "Carlos", "Priya", "John", "Emma", "Liam", "Olivia",
    "Noah", "Sofia", "Lukas", "Hannah", "Mateo", "Chloe", "Hiroshi", "Yuki", "Fatima", "Omar",
    "Elena", "Marco", "Giulia", "Pieter", "Sanne", "João", "Beatriz", "Camille", "Louis",
    "Anna", "Jan", "Katarzyna", "Erik", "Ingrid", "Siobhan", "Declan", "Raj", "Ananya",
    "Kwame", "Amara", "Dmitri", "Olga", "Tomás", "Lucía", "Gregory", "Denise", "Tyrone",
    "Keisha", "Bradley", "Megan", "Xavier", "Nadia", "Felix", "Clara", "René", "Zoë",
)
LAST_NAMES = (
    "Smith", "Garcia", "Chen", "Khan", "Müller", "Schmidt", "Dubois", "Rossi", "de Vries",
    "Jansen", "Silva", "Santos", "Patel", "Sharma", "Nguyen", "Kim", "Tanaka", "Sato",
    "O'Brien", "Murphy", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis",
    "Martínez", "López", "Fernández", "Bianchi", "Romano", "Lefèvre", "Moreau", "Novak",
    "Kowalski", "Andersson", "Nielsen", "Okafor", "Mensah", "Ivanov", "Cohen", "Levy",
    "Walker", "Robinson", "Thompson", "Hughes", "Bakker", "Visser", "Weber", "Fischer",
)
MAIL_PROVIDERS = (
    "gmail.com", "outlook.com", "yahoo.com", "hotmail.co.uk", "icloud.com", "proton.me",
    "gmx.de", "web.de", "orange.fr", "libero.it", "ziggo.nl", "sapo.pt", "telefonica.es",
    "fastmail.fm", "aol.com", "me.com",
)
COMPANY_STEMS = (
    "Acme", "Globex", "Initech", "Umbrella", "Northwind", "Contoso", "Fabrikam", "Tailspin",
    "Wayne", "Stark", "Hooli", "Vandelay", "Bluth", "Pied Piper", "Soylent", "Cyberdyne",
    "Wonka", "Massive Dynamic", "Oscorp", "Gringotts",
)
COMPANY_SUFFIXES = ("Inc.", "LLC", "GmbH", "Ltd", "S.A.", "B.V.", "S.r.l.", "Corp.", "AG")
COMPANY_TLDS = ("com", "io", "co.uk", "de", "fr", "nl", "it", "es", "com.au", "ch", "net")
CITIES = (
    "Springfield", "Berlin", "Lyon", "Madrid", "Milano", "Rotterdam", "Lisboa", "Dublin",
    "Austin", "Toronto", "Manchester", "Sydney", "Zürich", "Osaka", "Pune", "Denver",
)
STREETS = (
    "Main St", "Oak Avenue", "Hauptstraße", "rue de la Paix", "Calle Mayor", "Via Roma",
    "Kerkstraat", "Rua Augusta", "High Street", "Elm Drive", "Baker Street", "Maple Lane",
)


FOLD = str.maketrans("äöüéèêëáàâíìîïóòôúùûçñãõøå", "aoueeeeaaaiiiiooouuucnaooa", "'")


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    email: str
    username: str
    company: str
    company_domain: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


def ascii_fold(name: str) -> str:
    """What a name looks like in a mailbox: lower case, accents and spaces dropped."""
    folded = name.lower().translate(FOLD)
    return "".join(c for c in folded if c.isalnum())


def company(rng: Random) -> tuple[str, str]:
    """A company name and its mail domain."""
    stem = rng.choice(COMPANY_STEMS)
    domain = f"{ascii_fold(stem)}.{rng.choice(COMPANY_TLDS)}"
    if rng.random() < 0.25:
        domain = f"{rng.choice(('mail', 'corp', 'eu', 'us'))}.{domain}"
    return f"{stem} {rng.choice(COMPANY_SUFFIXES)}", domain


def mailbox(rng: Random, first: str, last: str) -> str:
    f, la = ascii_fold(first), ascii_fold(last)
    shapes = (
        f"{f}.{la}", f"{f[0]}{la}", f"{f}_{la}", f"{f}{rng.randint(1, 99)}", f"{la}.{f}",
        f"{f}.{la}+{rng.choice(('billing', 'news', 'work', 'test'))}", f"{f}-{la}",
        f"{f[0]}.{la}{rng.randint(70, 99)}",
    )
    return rng.choice(shapes)


def person(rng: Random) -> Person:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    company_name, company_domain = company(rng)
    domain = company_domain if rng.random() < 0.45 else rng.choice(MAIL_PROVIDERS)
    username = f"{ascii_fold(first)[0]}{ascii_fold(last)}"
    return Person(first, last, f"{mailbox(rng, first, last)}@{domain}", username,
                  company_name, company_domain)


def role_address(rng: Random, domain: str) -> str:
    box = rng.choice(("support", "billing", "noreply", "info", "hr", "it-ops", "security"))
    return f"{box}@{domain}"


def street_address(rng: Random) -> str:
    return f"{rng.randint(1, 240)} {rng.choice(STREETS)}, {rng.choice(CITIES)}"
