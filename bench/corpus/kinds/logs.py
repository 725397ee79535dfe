"""Application and system logs: a run of lines of one format, timestamps moving forward."""

from __future__ import annotations

import base64
import datetime as dt
import string
from random import Random

from ..document import Document, Sample
from ..slots import COMMON
from ..template import Fill, Maker, render
from ..values import decoys
from .log_formats import FORMATS, LogFormat

KIND = "logs"
# Share of logs with only quiet lines: most real logs carry nothing sensitive.
QUIET_SHARE = 0.4

AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/127.0.6533.88 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15",
    "curl/8.5.0", "python-requests/2.31.0", "Go-http-client/1.1", "okhttp/4.12.0",
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
)
PATHS = (
    "/api/v1/orders/<n>", "/login", "/api/v2/users/<n>/avatar", "/search?q=winter+boots",
    "/cart/checkout", "/wp-login.php", "/.env", "/api/v1/invoices?page=<n>", "/favicon.ico",
)


def _path(f: Fill) -> str:
    return f.rng.choice(PATHS).replace("<n>", str(f.rng.randint(1, 9_999_999)))


def _digits(f: Fill, count: int) -> str:
    return "".join(f.rng.choice(string.digits) for _ in range(count))


LOG_MAKERS: dict[str, Maker] = {
    "host": lambda f: f.rng.choice(("web-01", "ip-10-0-3-17", "db1", "mail", "bastion", "gw2")),
    "login": lambda f: f.rng.choice(("admin", "test", "ubuntu", "jdoe", "git", "postgres")),
    "sport": lambda f: str(f.rng.randint(1024, 65535)),
    "fingerprint": lambda f: base64.b64encode(f.rng.randbytes(32)).decode().rstrip("="),
    "queue_id": lambda f: "".join(f.rng.choice("0123456789ABCDEF") for _ in range(10)),
    "mx": lambda f: f.rng.choice(("gmail-smtp-in.l.google.com", "mx1.mail.ovh.net")),
    "delay": lambda f: f"{f.rng.randint(1, 90) / 10}",
    "uptime": lambda f: f"{f.rng.randint(10, 999999)}.{_digits(f, 6)}",
    "method": lambda f: f.rng.choice(("GET", "GET", "POST", "PUT", "DELETE")),
    "path": _path,
    "status": lambda f: f.rng.choice(("200", "200", "201", "204", "301", "404", "500", "502")),
    "bytes": lambda f: str(f.rng.randint(0, 2_000_000)),
    "agent": lambda f: f.rng.choice(AGENTS),
    "tracking_digits": lambda f: _digits(f, f.rng.choice((12, 15, 20))),
    "seconds": lambda f: f"{f.rng.randint(1, 99999) / 1000:.3f}",
    "tid": lambda f: str(f.rng.randint(139_000_000_000_000, 140_999_999_999_999)),
    "seconds2": lambda f: f"{f.rng.randint(1, 99999) / 1000:.3f}",
    "line": lambda f: str(f.rng.randint(12, 1400)),
    "line2": lambda f: str(f.rng.randint(12, 1400)),
    "thread": lambda f: str(f.rng.randint(1, 10)),
    "span_id": lambda f: decoys.hex_id(f.rng, 16),
    "compact_date": lambda f: f"{decoys.moment(f.rng):%Y%m%d}",
    "pod": lambda f: f"{decoys.hex_id(f.rng, 9)}-{decoys.hex_id(f.rng, 5)}",
}
MAKERS = {**COMMON, **LOG_MAKERS}


def _line(rng: Random, fmt: LogFormat, template: str, when: dt.datetime, doc: Document) -> None:
    style = rng.choice(fmt.timestamp_styles)
    stamp = decoys.timestamp(rng, when, style)
    render(template, Fill(rng, {**MAKERS, "t": lambda f: stamp}), doc)


def make(rng: Random) -> Sample:
    fmt = rng.choice(FORMATS)
    quiet_only = rng.random() < QUIET_SHARE
    when = decoys.moment(rng)
    doc = Document()
    for i in range(rng.randint(3, 12)):
        pool = fmt.quiet if quiet_only or rng.random() < 0.45 else fmt.noisy
        if i:
            doc.add("\n")
        _line(rng, fmt, rng.choice(pool), when, doc)
        when += dt.timedelta(milliseconds=rng.randint(1, 90_000))
    return doc.sample(KIND)
