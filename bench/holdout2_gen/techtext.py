"""Application logs (syslog, JSON, nginx, Java stack traces, k8s events) and source code."""

from __future__ import annotations

import random

from . import values as v
from .doc import Ctx, Doc, render

SYSLOG = [
    "[[SYSTS]] [[HOSTN]] sshd[[[PID]]]: Accepted publickey for deploy from [[IP]] port [[N5]] ssh2",
    "[[SYSTS]] [[HOSTN]] sshd[[[PID]]]: Failed password for invalid user admin from [[IP4]] port [[N5]] ssh2",
    "[[SYSTS]] [[HOSTN]] postfix/smtpd[[[PID]]]: connect from unknown[[[IP4]]]",
    "[[SYSTS]] [[HOSTN]] postfix/qmgr[[[PID]]]: [[HEX8]]: from=<[[EMAIL]]>, size=[[N4]], nrcpt=1 (queue active)",
    "[[SYSTS]] [[HOSTN]] kernel: [ [[N5]].[[N6]]] eth0: link up, 1000 Mbps, full duplex",
    "[[SYSTS]] [[HOSTN]] systemd[1]: Started app.service - Orders API [[VER]].",
    "[[SYSTS]] [[HOSTN]] cron[[[PID]]]: (root) CMD (/usr/local/bin/backup.sh --keep [[N2]])",
    "[[SYSTS]] [[HOSTN]] app[[[PID]]]: user [[EMAIL]] logged in from [[IP]]",
    "[[SYSTS]] [[HOSTN]] dhcpd[[[PID]]]: DHCPACK on [[IP4]] to [[MAC]] via eth1",
]

JSONLOG = [
    '{"ts":"[[TS]]","level":"info","msg":"request completed","method":"POST","path":"/v1/orders","status":201,"duration_ms":[[MS]],"client_ip":"[[IP]]","request_id":"[[UUID]]"}',
    '{"ts":"[[TS]]","level":"warn","msg":"payment declined","order":"[[ORDER]]","amount":"[[AMOUNT]]","card_last4":"[[N4]]"}',
    '{"ts":"[[TS]]","level":"error","msg":"payment failed","card":"[[CARD]]","customer_email":"[[EMAIL]]","trace_id":"[[SHA]]"}',
    '{"time":"[[TS]]","severity":"INFO","message":"signup","user":{"email":"[[EMAIL]]","phone":"[[PHONE]]"},"app_version":"[[VER]]"}',
    '{"@timestamp":"[[TS]]","log.level":"debug","message":"outbound call","http.request.headers":{"authorization":"Bearer [[TOKEN]]"},"url":"https://api.brightlane.io/v2/items"}',
    '{"ts":"[[TS]]","level":"info","msg":"config loaded","api_key":"[[PLACEHOLDER]]","retries":[[N2]],"pid":[[PID]]}',
    '{"ts":"[[TS]]","level":"debug","msg":"kyc check","ssn":"[[SSN]]","dob":"[[DOBISO]]","result":"pass"}',
    '{"ts":"[[TS]]","level":"info","msg":"payout","iban":"[[IBAN]]","amount_cents":[[N6]],"batch":"[[UUID]]"}',
    '{"ts":"[[TS]]","level":"info","msg":"heartbeat","uptime_s":[[N6]],"mem_mb":[[N4]],"epoch_ms":[[EPOCH]]}',
]

NGINX = [
    '[[IP]] - - [[[NGTS]]] "GET /api/v1/users/[[N6]] HTTP/1.1" 200 [[N4]] "-" "Mozilla/5.0 (X11; Linux x86_64)"',
    '[[IP]] - - [[[NGTS]]] "POST /login HTTP/2.0" 302 [[N3]] "https://shop.brightlane.io/" "curl/[[VER]]"',
    '[[IP]] - admin [[[NGTS]]] "GET /reset?email=[[EMAIL]]&token=[[TOKEN]] HTTP/1.1" 200 [[N3]] "-" "okhttp/4.12.0"',
    '[[IP]] - - [[[NGTS]]] "GET /static/app.[[HEX8]].js HTTP/1.1" 304 0 "-" "Mozilla/5.0"',
    '[[IP]] - - [[[NGTS]]] "GET /track/[[TRACK]] HTTP/1.1" 404 [[N3]] "-" "python-requests/2.31.0" rt=0.0[[N2]]',
]

K8S = [
    "[[N2]]m         Normal    Scheduled   pod/api-[[HEX8]]-x7k2p   Successfully assigned prod/api-[[HEX8]]-x7k2p to node-[[N2]]",
    "[[N2]]s         Warning   BackOff     pod/worker-[[N3]]        Back-off restarting failed container worker in pod worker-[[N3]]",
    "[[N2]]m         Normal    Pulled      pod/web-[[HEX8]]         Container image \"ghcr.io/brightlane/web:[[VER]]\" already present on machine",
    "[[N2]]m         Warning   Unhealthy   pod/db-0                 Readiness probe failed: dial tcp [[IP4]]:5432: connect: connection refused",
    "[[N2]]s         Normal    Created     pod/job-[[N5]]           Created container migrate (env DATABASE_PASSWORD=[[PASSWORD]])",
    "[[N2]]m         Normal    Killing     pod/cache-[[HEX8]]       Stopping container redis, node IP [[IP]]",
]

JAVA_HEAD = [
    "[[TS]] ERROR [http-nio-8080-exec-[[N2]]] c.b.orders.PaymentService - Charge failed for customer [[EMAIL]]",
    "[[TS]] WARN  [main] o.h.e.j.s.SqlExceptionHelper - SQL Error: 0, SQLState: 08001 (host [[IP4]])",
    "[[TS]] ERROR [pool-[[N2]]-thread-[[N2]]] c.b.kyc.Verifier - invalid SSN format for applicant [[N7]]: [[BADSSN]]",
    "[[TS]] ERROR [scheduler-1] c.b.billing.Payout - IBAN rejected by bank: [[IBAN]]",
]
JAVA_EXC = ["java.lang.IllegalStateException: card [[CARD]] declined (code 05)",
            "java.sql.SQLException: Connection refused to jdbc:postgresql://[[IP4]]:5432/orders",
            "java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"phone\" is null",
            "com.brightlane.ApiException: 401 Unauthorized (key=[[PLACEHOLDER]])"]


def _frames(rng: random.Random) -> str:
    names = ["com.brightlane.orders.PaymentService.charge", "com.brightlane.orders.OrderController.create",
             "org.springframework.web.servlet.FrameworkServlet.service", "java.base/java.lang.Thread.run",
             "org.apache.catalina.core.StandardWrapperValve.invoke", "com.zaxxer.hikari.pool.HikariPool.getConnection"]
    out = []
    for n in rng.sample(names, rng.randint(2, 5)):
        cls = n.split(".")[-2]
        out.append(f"\tat {n}({cls}.java:{rng.randint(20, 900)})")
    return "\n".join(out)


def _log_ctx(d: Doc, rng: random.Random, ctx: Ctx, line: str) -> None:
    y, m, day = v.ymd(rng, 2024, 2026)
    line = line.replace("[[SYSTS]]", f"{v.MONTHS['en'][m - 1][:3]} {day:2d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}")
    line = line.replace("[[HOSTN]]", v.pick(rng, ["web-01", "ip-10-0-3-17", "mail", "db2", "edge-fra-3"]))
    line = line.replace("[[NGTS]]", f"{day:02d}/{v.MONTHS['en'][m - 1][:3]}/{y}:{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d} +0000")
    line = line.replace("[[MAC]]", ":".join(f"{rng.randint(0, 255):02x}" for _ in range(6)))
    line = line.replace("[[DOBISO]]", "[[DOBISOX]]")
    render(d, ctx, line)


class LogCtx(Ctx):
    def slot(self, name: str) -> tuple[str | None, str]:
        if name == "DOBISOX":
            y, m, dd = v.ymd(self.rng)
            return "DATE_OF_BIRTH", f"{y}-{m:02d}-{dd:02d}"
        return super().slot(name)


def log(rng: random.Random) -> Doc:
    d, ctx = Doc(), LogCtx(rng)
    fmt = v.pick(rng, ["syslog", "json", "nginx", "java", "k8s", "mixed"])
    if fmt == "java":
        _log_ctx(d, rng, ctx, v.pick(rng, JAVA_HEAD) + "\n")
        _log_ctx(d, rng, ctx, v.pick(rng, JAVA_EXC) + "\n")
        d.t(_frames(rng))
        if rng.random() < 0.5:
            d.t("\nCaused by: ")
            _log_ctx(d, rng, ctx, v.pick(rng, JAVA_EXC) + "\n")
            d.t(_frames(rng) + f"\n\t... {rng.randint(3, 40)} more")
        return d
    pools = {"syslog": SYSLOG, "json": JSONLOG, "nginx": NGINX, "k8s": K8S}
    if fmt == "k8s":
        d.t("LAST SEEN   TYPE      REASON      OBJECT                   MESSAGE\n")
    for i in range(rng.randint(3, 10)):
        pool = pools[fmt] if fmt != "mixed" else pools[v.pick(rng, list(pools))]
        if i:
            d.t("\n")
        _log_ctx(d, rng, ctx, v.pick(rng, pool))
    return d


# ---------------------------------------------------------------- code

CODE = [
    # python
    'import requests\n\nAPI_KEY = "[[APIKEY]]"\n\ndef fetch(order_id):\n    r = requests.get(f"https://api.brightlane.io/orders/{order_id}", headers={"Authorization": f"Bearer {API_KEY}"}, timeout=[[N2]])\n    return r.json()\n',
    'import os\n\nAPI_KEY = os.environ.get("API_KEY", "<your-api-key>")\nMAX_ITEMS = [[N4]]\nVERSION = "[[VER]]"\n',
    '# test fixture\nUSERS = [\n    {"name": "[[NAME]]", "email": "[[EMAIL]]", "phone": "[[PHONE]]"},\n    {"name": "[[NAME2]]", "email": "[[EMAIL]]", "dob": "[[DOBISO]]"},\n]\n',
    'conn = psycopg2.connect(host="[[IP4]]", dbname="orders", user="etl", password="[[PASSWORD]]")\ncur = conn.cursor()\ncur.execute("SELECT count(*) FROM orders WHERE created_at > %s", ("[[DATEISO]]",))\n',
    'def luhn(n: str) -> bool:\n    # e.g. luhn("[[BADCARD]]") -> False\n    total = 0\n    for i, ch in enumerate(reversed(n)):\n        d = int(ch) * (2 if i % 2 else 1)\n        total += d - 9 if d > 9 else d\n    return total % 10 == 0\n',
    'from datetime import date\n\nRELEASE = date([[YEAR]], 3, 14)\nassert 3 * 7 == 21\nCHECKSUM = "[[SHA]]"\n',
    'client = boto3.client(\n    "s3",\n    aws_access_key_id="[[AWSID]]",\n    aws_secret_access_key="[[AWSSECRET]]",\n)\n',
    'PRIVATE_KEY = """[[PEM]]"""\n',
    'ALLOWED = {"[[IP4]]", "[[IP4]]"}  # office egress\nLOCAL = "127.0.0.1"\nMASK = "255.255.255.0"\n',
    # javascript
    'const stripe = require("stripe")("[[STRIPE]]");\n\nasync function charge(amount) {\n  return stripe.charges.create({ amount, currency: "eur" });\n}\n',
    'const config = {\n  apiKey: process.env.API_KEY,\n  endpoint: "https://[[IP4]]:[[PORT]]/v1",\n  retries: [[N2]],\n  version: "[[VER]]",\n};\n',
    'fetch("/api/login", {\n  method: "POST",\n  headers: { Authorization: "Bearer [[JWT]]" },\n  body: JSON.stringify({ user: "[[EMAIL]]" }),\n});\n',
    '// card used in the checkout e2e test\nconst TEST_CARD = "[[CARD]]";\nconst ORDER = "[[ORDER]]";\nconsole.log(`${1024 * 768} pixels`);\n',
    '"dependencies": {\n  "express": "^4.19.2",\n  "@scope/utils@[[VER]]": "*",\n  "lodash": "4.17.21"\n}\n',
    # go
    'package main\n\nconst (\n\tdsn     = "mysql://root:[[PASSWORD]]@tcp([[IP4]]:3306)/shop"\n\tversion = "[[VER]]"\n)\n',
    'func notify() error {\n\treturn slack.Send("[[SLACK]]", "#ops", fmt.Sprintf("deploy %s done", "[[SHA]]"))\n}\n',
    'var testUser = User{Name: "[[NAME]]", Email: "[[EMAIL]]", Phone: "[[PHONE]]", ID: "[[UUID]]"}\n',
    # sql
    "INSERT INTO customers (id, name, email, phone, dob) VALUES ([[N6]], '[[NAME]]', '[[EMAIL]]', '[[PHONE]]', '[[DOBISO]]');\n",
    "INSERT INTO payments (id, order_no, iban, amount) VALUES\n  ([[N5]], '[[ORDER]]', '[[IBAN]]', [[N4]].50),\n  ([[N5]], '[[ORDER]]', '[[IBAN]]', [[N3]].00);\n",
    "SELECT * FROM patients WHERE mrn = '[[MRN]]' AND patient_id = [[N7]];\n",
    "UPDATE users SET ssn = '[[SSN]]', updated_at = '[[TS]]' WHERE id = [[N5]];\n",
    "SELECT order_id, SUM(qty * price) FROM lines WHERE created_at >= '[[DATEISO]]' GROUP BY order_id HAVING SUM(qty) > [[N3]];\n",
    "CREATE USER reporting WITH PASSWORD '[[PASSWORD]]';\nGRANT SELECT ON ALL TABLES IN SCHEMA public TO reporting;\n",
    # shell
    "#!/bin/bash\nset -euo pipefail\nmysql -h [[IP4]] -u admin -p[[PASSWORD]] shop < dump.sql\n",
    "curl -s -H \"Authorization: Bearer [[APIKEY]]\" https://api.brightlane.io/v1/me\n",
    "export GITHUB_TOKEN=[[GHTOKEN]]\ngit clone git@github.com:brightlane/infra.git\npip install requests==2.31.0\n",
    "redis-cli -h [[IP4]] -a [[PASSWORD]] ping\n",
    "docker login -u ci -p [[PASSWORD]] registry.brightlane.io\ndocker pull registry.brightlane.io/api@sha256:[[SHA]]\n",
    "ssh -i ~/.ssh/id_ed25519 deploy@[[IP]] 'sudo systemctl restart api'\n",
    "# replace with your own key\nexport OPENAI_API_KEY=[[PLACEHOLDER]]\npython run.py --max-tokens 4096 --seed [[N4]]\n",
    "from openai import OpenAI\n\nclient = OpenAI(api_key=\"[[OPENAI]]\")\nresp = client.chat.completions.create(model=\"gpt-4o\", max_tokens=[[N4]], messages=msgs)\n",
    "requests.get(url, headers={\"Authorization\": \"Basic [[BASIC]]\"}, verify=False)\n",
    "SECRET_KEY = \"[[DJANGO]]\"\nALLOWED_HOSTS = [\"[[IP4]]\", \"localhost\"]\nDEBUG = False\n",
    "const WEBHOOK = \"https://hooks.brightlane.io/in/\" + id; // id is [[UUID]], not a secret\n// check: [[ARITH]]\n",
    "git log --oneline [[SHA]]..HEAD | wc -l\ndig +short [[HOST]]\nping -c 3 [[IP]]\n",
    "curl -u admin:[[PASSWORD]] https://[[IP4]]:9200/_cluster/health\n",
]


class CodeCtx(LogCtx):
    def slot(self, name: str) -> tuple[str | None, str]:
        if name == "DOBISO":
            return self.slot("DOBISOX")
        if name == "DATEISO":
            y, m, dd = v.ymd(self.rng, 2022, 2026)
            return None, f"{y}-{m:02d}-{dd:02d}"
        return super().slot(name)


def code(rng: random.Random) -> Doc:
    d, ctx = Doc(), CodeCtx(rng)
    if rng.random() < 0.3:
        d.t(v.pick(rng, ["why does this fail?\n\n", "```\n", "Review please:\n"]))
    for i in range(rng.randint(1, 3)):
        if i:
            d.t("\n")
        render(d, ctx, v.pick(rng, CODE))
    return d
