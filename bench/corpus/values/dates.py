"""Dates written the way each language writes them: births to label, other dates as decoys."""

from __future__ import annotations

import datetime as dt
from random import Random

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"),
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
           "settembre", "ottobre", "novembre", "dicembre"),
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"),
    "pt": ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
           "setembro", "outubro", "novembro", "dezembro"),
}
LANGUAGES = tuple(MONTHS)


def birth_date(rng: Random) -> dt.date:
    return dt.date(1938, 1, 1) + dt.timedelta(days=rng.randint(0, 68 * 365))


def recent_date(rng: Random) -> dt.date:
    return dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 7 * 365))


def _english(rng: Random, d: dt.date) -> str:
    month = MONTHS["en"][d.month - 1]
    shapes = (
        f"{d.month:02d}/{d.day:02d}/{d.year}", f"{d.month}/{d.day}/{d.year}", d.isoformat(),
        f"{month} {d.day}, {d.year}", f"{d.day} {month} {d.year}", f"{month[:3]} {d.day}, {d.year}",
        f"{d.day:02d}-{month[:3]}-{d.year}", f"{d.day:02d}/{d.month:02d}/{d.year}",
        f"{d.day} {month[:3]} {d.year}", f"{d.year}/{d.month:02d}/{d.day:02d}",
    )
    return rng.choices(shapes, (6, 2, 5, 4, 3, 2, 2, 3, 1, 1))[0]


def _local(rng: Random, d: dt.date, lang: str) -> str:
    month = MONTHS[lang][d.month - 1]
    numeric = {
        "de": (f"{d.day:02d}.{d.month:02d}.{d.year}", f"{d.day}.{d.month}.{d.year}"),
        "fr": (f"{d.day:02d}/{d.month:02d}/{d.year}",),
        "es": (f"{d.day:02d}/{d.month:02d}/{d.year}", f"{d.day:02d}-{d.month:02d}-{d.year}"),
        "it": (f"{d.day:02d}/{d.month:02d}/{d.year}", f"{d.day:02d}.{d.month:02d}.{d.year}"),
        "nl": (f"{d.day:02d}-{d.month:02d}-{d.year}", f"{d.day:02d}/{d.month:02d}/{d.year}"),
        "pt": (f"{d.day:02d}/{d.month:02d}/{d.year}",),
    }[lang]
    day = "1er" if lang == "fr" and d.day == 1 else str(d.day)
    words = {
        "de": f"{d.day}. {month} {d.year}",
        "fr": f"{day} {month} {d.year}",
        "es": f"{d.day} de {month} de {d.year}",
        "it": f"{d.day} {month} {d.year}",
        "nl": f"{d.day} {month} {d.year}",
        "pt": f"{d.day} de {month} de {d.year}",
    }[lang]
    shapes = (*numeric, words, d.isoformat())
    return rng.choices(shapes, (*[5] * len(numeric), 5, 1))[0]


def written(rng: Random, d: dt.date, lang: str = "en") -> str:
    return _english(rng, d) if lang == "en" else _local(rng, d, lang)


def compact(d: dt.date) -> str:
    return f"{d.year}{d.month:02d}{d.day:02d}"
