"""Line templates of the log formats real systems write; `<<t>>` is the line's timestamp.

Each format lists lines that carry values (`noisy`) and lines that only carry look-alikes
(`quiet`): timestamps, pids, ports, versions, ids, durations.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LogFormat:
    name: str
    timestamp_styles: tuple[str, ...]
    noisy: tuple[str, ...]
    quiet: tuple[str, ...]


SYSLOG = LogFormat(
    "syslog",
    ("syslog",),
    (
        "<<t>> <<host>> sshd[<<pid>>]: Failed password for invalid user <<login>> from <<ip>> "
        "port <<sport>> ssh2",
        "<<t>> <<host>> sshd[<<pid>>]: Accepted publickey for deploy from <<ip>> port <<sport>> "
        "ssh2: ED25519 SHA256:<<fingerprint>>",
        "<<t>> <<host>> sshd[<<pid>>]: Connection closed by authenticating user root <<ip>> port "
        "<<sport>> [preauth]",
        "<<t>> <<host>> postfix/smtp[<<pid>>]: <<queue_id>>: to=<<<email>>>, relay=<<mx>>"
        "[<<ip_public>>]:25, delay=<<delay>>, status=sent (250 2.0.0 OK)",
        "<<t>> <<host>> dhcpd[<<pid>>]: DHCPACK on <<ip_private>> to <<mac>> via eth0",
        "<<t>> <<host>> kernel: [<<uptime>>] [UFW BLOCK] IN=eth0 OUT= MAC=<<mac>> SRC=<<ip>> "
        "DST=<<ip_private>> LEN=60 TTL=52 PROTO=TCP SPT=<<sport>> DPT=<<port>>",
        "<<t>> <<host>> sshd[<<pid>>]: Invalid user oracle from <<ip>>",
        "<<t>> <<host>> NetworkManager[<<pid>>]: <info>  [<<uptime>>] dhcp4 (eth0): address "
        "<<ip_private>>",
        "<<t>> <<host>> ovpn-server[<<pid>>]: <<login>>/<<ip_public>>:<<sport>> MULTI: Learn: "
        "<<ip_private>> -> <<login>>/<<ip_public>>:<<sport>>",
        "<<t>> <<host>> postfix/smtpd[<<pid>>]: NOQUEUE: reject: RCPT from unknown[<<ip_public>>]: "
        "554 5.7.1 <<<email>>>: Relay access denied",
        "<<t>> <<host>> ivr[<<pid>>]: callback queued for <<phone>>",
    ),
    (
        "<<t>> <<host>> CRON[<<pid>>]: (root) CMD (/usr/local/bin/backup.sh --keep 14)",
        "<<t>> <<host>> systemd[1]: Started Session <<sport>> of User deploy.",
        "<<t>> <<host>> kernel: [<<uptime>>] nf_conntrack: nf_conntrack: table full, dropping "
        "packet",
        "<<t>> <<host>> sudo:   deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; "
        "COMMAND=/usr/bin/systemctl restart nginx",
        "<<t>> <<host>> systemd-resolved[<<pid>>]: Using degraded feature set UDP instead of "
        "EDNS0 for DNS server <<loopback>>.",
        "<<t>> <<host>> kernel: [<<uptime>>] eth0: renamed from veth<<short_sha>>",
        "<<t>> <<host>> rsyslogd: [origin software=\"rsyslogd\" swVersion=\"<<version>>\" "
        "x-pid=\"<<pid>>\"] rsyslogd was HUPed",
        "<<t>> <<host>> snapd[<<pid>>]: storehelpers.go:<<line>>: cannot refresh snap \"core20\": "
        "snap has no updates available",
        "<<t>> <<host>> sshd[<<pid>>]: Server listening on <<loopback>> port 22.",
        "<<t>> <<host>> kernel: [<<uptime>>] Memory cgroup out of memory: Killed process <<pid>> "
        "(java) total-vm:<<pid>>kB",
    ),
)

ACCESS = LogFormat(
    "access",
    ("clf",),
    (
        "<<ip>> - - [<<t>>] \"<<method>> <<path>> HTTP/1.1\" <<status>> <<bytes>> \"-\" "
        "\"<<agent>>\"",
        "<<ip>> - - [<<t>>] \"GET /account/reset?email=<<email>> HTTP/1.1\" 302 0 "
        "\"https://www.<<domain>>/login\" \"<<agent>>\"",
        "<<ip_private>> - <<login>> [<<t>>] \"POST /api/v1/sessions HTTP/2.0\" 201 <<bytes>> \"-\" "
        "\"<<agent>>\" \"<<ip_public>>\"",
        "<<ip>> - - [<<t>>] \"GET /v1/track/<<tracking_digits>> HTTP/1.1\" 200 <<bytes>> \"-\" "
        "\"<<agent>>\" rt=<<seconds>> uct=\"0.000\" upstream=\"<<ip_private>>:<<port>>\"",
        "<<ip6>> - - [<<t>>] \"GET /static/app.<<short_sha>>.js HTTP/2.0\" 200 <<bytes>> "
        "\"https://<<domain>>/\" \"<<agent>>\"",
    ),
    (
        "<<loopback>> - - [<<t>>] \"GET /healthz HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.29\"",
        "- - - [<<t>>] \"GET /metrics HTTP/1.1\" 200 <<bytes>> \"-\" \"Prometheus/2.51.1\"",
        "<<loopback>> - - [<<t>>] \"POST /v1/chat/completions HTTP/1.1\" 200 <<bytes>> \"-\" "
        "\"OpenAI/Python <<version>>\"",
    ),
)

APACHE_ERROR = LogFormat(
    "apache_error",
    ("ctime",),
    (
        "[<<t>>] [proxy:error] [pid <<pid>>:tid <<tid>>] [client <<ip4>>:<<sport>>] AH00898: "
        "Error reading from remote server returned by /api/export",
        "[<<t>>] [auth_basic:error] [pid <<pid>>:tid <<tid>>] [client <<ip4>>:<<sport>>] AH01618: "
        "user <<login>> not found: /admin",
        "[<<t>>] [php:warn] [pid <<pid>>:tid <<tid>>] [client <<ip4>>:<<sport>>] PHP Warning:  "
        "mail(): could not send to <<email>> in /var/www/html/contact.php on line <<line>>",
    ),
    (
        "[<<t>>] [mpm_event:notice] [pid <<pid>>:tid <<tid>>] AH00489: Apache/2.4.58 (Ubuntu) "
        "configured -- resuming normal operations",
        "[<<t>>] [core:notice] [pid <<pid>>:tid <<tid>>] AH00094: Command line: "
        "'/usr/sbin/apache2'",
        "[<<t>>] [ssl:warn] [pid <<pid>>:tid <<tid>>] AH01909: www.<<domain>>:443:0 server "
        "certificate does NOT include an ID which matches the server name",
    ),
)

JSON_LINES = LogFormat(
    "json",
    ("iso_z", "iso_offset", "epoch_ms"),
    (
        "{\"ts\":\"<<t>>\",\"level\":\"info\",\"logger\":\"auth\",\"msg\":\"login succeeded\","
        "\"user\":\"<<email>>\",\"ip\":\"<<ip>>\",\"request_id\":\"<<request_id>>\","
        "\"duration_ms\":<<ms>>}",
        "{\"ts\":\"<<t>>\",\"level\":\"error\",\"msg\":\"upstream timeout\",\"upstream\":"
        "\"<<ip_private>>:<<port>>\",\"attempt\":2,\"trace_id\":\"<<trace_id>>\"}",
        "{\"ts\":\"<<t>>\",\"level\":\"debug\",\"msg\":\"outgoing request\",\"url\":\"https://api."
        "<<domain>>/v1/charges\",\"headers\":{\"authorization\":\"Bearer <<jwt>>\"}}",
        "{\"ts\":\"<<t>>\",\"level\":\"info\",\"msg\":\"profile updated\",\"user_id\":<<pid>>,"
        "\"changes\":{\"phone\":\"<<phone>>\",\"email\":\"<<email>>\"}}",
        "{\"ts\":\"<<t>>\",\"level\":\"warn\",\"msg\":\"geo mismatch\",\"client_ip\":\"<<ip>>\","
        "\"forwarded_for\":\"<<ip_public>>\",\"country\":\"DE\"}",
        "{\"ts\":\"<<t>>\",\"level\":\"error\",\"msg\":\"signup rejected\",\"reason\":"
        "\"duplicate ssn\",\"ssn\":\"<<ssn>>\",\"request_id\":\"<<request_id>>\"}",
        "{\"ts\":\"<<t>>\",\"level\":\"debug\",\"msg\":\"charge request\",\"body\":"
        "{\"card_number\":\"<<card>>\",\"amount\":<<bytes>>}}",
    ),
    (
        "{\"ts\":\"<<t>>\",\"level\":\"info\",\"msg\":\"config loaded\","
        "\"version\":\"<<version>>\","
        "\"build\":\"<<version_quad>>\",\"commit\":\"<<sha>>\"}",
        "{\"ts\":\"<<t>>\",\"level\":\"info\",\"msg\":\"charge failed\",\"customer\":"
        "\"<<customer_id>>\",\"card_last4\":\"<<last4>>\",\"error\":\"card_declined\"}",
        "{\"ts\":\"<<t>>\",\"level\":\"info\",\"msg\":\"order shipped\","
        "\"order_id\":\"<<order_no>>\","
        "\"tracking\":\"<<tracking_digits>>\",\"carrier\":\"fedex\"}",
        "{\"ts\":\"<<t>>\",\"level\":\"info\",\"msg\":\"listening\",\"addr\":\"<<loopback_port>>\"}",
        "{\"ts\":\"<<t>>\",\"level\":\"debug\",\"msg\":\"cache hit\",\"key\":\"<<sha256>>\","
        "\"ttl_s\":<<ms>>,\"span_id\":\"<<span_id>>\"}",
        "{\"ts\":\"<<t>>\",\"level\":\"info\",\"msg\":\"job finished\",\"job_id\":\"<<uuid>>\","
        "\"rows\":<<bytes>>,\"elapsed_ms\":<<ms>>}",
    ),
)

LOGFMT = LogFormat(
    "logfmt",
    ("iso_z", "iso_offset"),
    (
        "time=<<t>> level=warn msg=\"rate limited\" ip=<<ip>> path=/api/v1/search limit=100 "
        "window=60s",
        "time=<<t>> level=info msg=\"db connected\" host=<<ip_private>> port=5432 pool=20",
        "time=<<t>> level=error msg=\"auth failed\" user=<<email>> reason=bad_password attempts=3",
        "time=<<t>> level=debug msg=\"dial\" dsn=\"postgres://app:<<uri_password>>@<<ip_private>>"
        ":5432/orders?sslmode=disable\"",
        "time=<<t>> level=info msg=\"sms sent\" to=<<phone>> provider=twilio",
    ),
    (
        "time=<<t>> level=info msg=\"request\" method=GET path=/healthz status=200 "
        "duration=<<ms>>µs request_id=<<request_id>>",
        "time=<<t>> level=info msg=\"starting\" version=<<version>> go=go1.22.4 "
        "commit=<<short_sha>>",
        "time=<<t>> level=info msg=\"gc\" heap_bytes=<<bytes>> pause_ms=<<seconds>>",
        "time=<<t>> level=warn msg=\"slow query\" duration=<<ms>>ms rows=<<bytes>> "
        "table=orders",
    ),
)

PYTHON = LogFormat(
    "python",
    ("python",),
    (
        "<<t>> ERROR [app.payments] payment failed for <<email>>: card declined (order "
        "<<order_no>>)",
        "<<t>> ERROR [worker] unhandled exception\nTraceback (most recent call last):\n"
        "  File \"/srv/app/worker.py\", line <<line>>, in run\n"
        "    result = client.post(url, json=payload, timeout=30)\n"
        "  File \"/usr/lib/python3.11/site-packages/requests/api.py\", line 115, in post\n"
        "    return request(\"post\", url, data=data, json=json, **kwargs)\n"
        "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='<<ip_private>>', "
        "port=<<port>>): Max retries exceeded with url: /v1/sync (Caused by "
        "NewConnectionError('Failed to establish a new connection: [Errno 111] Connection "
        "refused'))",
        "<<t>> ERROR [db] could not connect\nTraceback (most recent call last):\n"
        "  File \"/srv/app/db.py\", line <<line>>, in connect\n"
        "    conn = psycopg2.connect(dsn)\n"
        "psycopg2.OperationalError: connection to server at \"<<ip_private>>\", port 5432 "
        "failed: FATAL:  password authentication failed for user \"app\"",
        "<<t>> WARNING [import] row 17 rejected\nTraceback (most recent call last):\n"
        "  File \"/srv/app/importer.py\", line <<line>>, in parse_row\n"
        "    phone = int(row[\"phone\"])\n"
        "ValueError: invalid literal for int() with base 10: '<<phone>>'",
        "<<t>> INFO [ivr] callback scheduled for <<phone>>",
        "<<t>> DEBUG [payments] tokenizing card <<card>>",
        "<<t>> DEBUG [settings] DATABASE_URL=postgresql://app:<<uri_password>>@<<ip_private>>"
        ":5432/app",
    ),
    (
        "<<t>> INFO [gunicorn.error] Booting worker with pid: <<pid>>",
        "<<t>> INFO [celery.worker] Task tasks.sync_orders[<<uuid>>] succeeded in <<seconds>>s: "
        "None",
        "<<t>> WARNING [urllib3.connectionpool] Retrying (Retry(total=2, connect=None, "
        "read=None, redirect=None, status=None)) after connection broken",
        "<<t>> ERROR [app] KeyError: 'ssn'\nTraceback (most recent call last):\n"
        "  File \"/srv/app/forms.py\", line <<line>>, in clean\n"
        "    value = data[\"ssn\"]\nKeyError: 'ssn'",
        "<<t>> INFO [app] loaded <<bytes>> rows from orders_<<compact_date>>.csv in <<ms>> ms",
    ),
)

JAVA = LogFormat(
    "java",
    ("java",),
    (
        "<<t>> ERROR 1 --- [nio-8080-exec-<<thread>>] c.a.billing.PaymentService  : Charge failed "
        "for customer <<customer_id>> amount=<<amount>>\n"
        "java.lang.IllegalStateException: Card <<masked_card>> rejected by gateway\n"
        "\tat com.acme.billing.PaymentService.charge(PaymentService.java:<<line>>)\n"
        "\tat com.acme.billing.CheckoutController.submit(CheckoutController.java:<<line2>>)\n"
        "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)\n"
        "Caused by: java.net.SocketTimeoutException: Connect timed out to <<ip_private>>:<<port>>\n"
        "\t... 42 common frames omitted",
        "<<t>>  WARN 1 --- [           main] o.s.b.a.jdbc.DataSourceInitializer       : Using "
        "url jdbc:postgresql://<<ip_private>>:5432/billing?user=billing&password=<<uri_password>>",
        "<<t>>  INFO 1 --- [nio-8080-exec-<<thread>>] c.a.crm.ContactService  : Updated contact "
        "<<email>> phone=<<phone>>",
        "<<t>> ERROR 1 --- [scheduling-1] c.a.sync.Uploader  : S3 upload failed with key id "
        "<<aws_key>>: The AWS Access Key Id you provided does not exist in our records.",
    ),
    (
        "<<t>>  INFO 1 --- [           main] com.acme.Application  : Started Application in "
        "<<seconds>> seconds (process running for <<seconds2>>)",
        "<<t>>  INFO 1 --- [           main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Tomcat "
        "started on port <<port>> (http) with context path ''",
        "<<t>> ERROR 1 --- [nio-8080-exec-<<thread>>] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : "
        "Servlet.service() threw exception\njava.lang.NullPointerException: Cannot invoke "
        "\"String.length()\" because \"value\" is null\n"
        "\tat com.acme.orders.OrderMapper.map(OrderMapper.java:<<line>>)\n"
        "\tat com.acme.orders.OrderService.find(OrderService.java:<<line2>>)",
        "<<t>>  INFO 1 --- [           main] o.hibernate.Version  : HHH000412: Hibernate ORM core "
        "version <<version>>.Final",
    ),
)

GO = LogFormat(
    "go",
    ("go",),
    (
        "<<t>> http: TLS handshake error from <<ip4>>:<<sport>>: remote error: tls: bad "
        "certificate",
        "<<t>> [INFO] upstream <<ip_private>>:<<port>> marked healthy",
        "<<t>> proxy: dial tcp <<ip_private>>:<<port>>: connect: connection refused",
        "<<t>> auth: token <<github_token>> rejected: Bad credentials",
        "<<t>> sms: delivered to <<phone>>",
    ),
    (
        "<<t>> [INFO] listening on <<loopback_port>>",
        "<<t>> panic: runtime error: index out of range [3] with length 3\n\ngoroutine <<thread>> "
        "[running]:\nmain.handle(0xc000123450)\n\t/app/main.go:<<line>> +0x1d\ncreated by "
        "net/http.(*Server).Serve in goroutine 1\n\t/usr/local/go/src/net/http/server.go:3285 "
        "+0x4b4",
        "<<t>> [WARN] retry 2/5 for job <<uuid>> in <<ms>>ms",
        "<<t>> build <<version_quad>> (<<short_sha>>) starting with GOMAXPROCS=4",
    ),
)

POSTGRES = LogFormat(
    "postgres",
    ("java",),
    (
        "<<t>> UTC [<<pid>>] LOG:  duration: <<ms>>.117 ms  statement: SELECT * FROM patients "
        "WHERE mrn = '<<mrn>>'",
        "<<t>> UTC [<<pid>>] LOG:  duration: <<ms>>.402 ms  statement: UPDATE users SET email = "
        "'<<email>>' WHERE id = <<pid>>",
        "<<t>> UTC [<<pid>>] FATAL:  password authentication failed for user \"app\"\n"
        "<<t>> UTC [<<pid>>] DETAIL:  Connection from <<ip_private>> port <<sport>>",
        "<<t>> UTC [<<pid>>] LOG:  connection received: host=<<ip_private>> port=<<sport>>",
    ),
    (
        "<<t>> UTC [<<pid>>] LOG:  checkpoint complete: wrote <<bytes>> buffers (2.1%); "
        "write=<<seconds>> s, sync=0.004 s",
        "<<t>> UTC [<<pid>>] LOG:  automatic vacuum of table \"app.public.orders\": index scans: 1",
        "<<t>> UTC [<<pid>>] LOG:  database system is ready to accept connections",
        "<<t>> UTC [<<pid>>] ERROR:  duplicate key value violates unique constraint "
        "\"orders_pkey\"\n<<t>> UTC [<<pid>>] DETAIL:  Key (id)=(<<bytes>>) already exists.",
    ),
)

KUBERNETES = LogFormat(
    "kubernetes",
    ("iso_z",),
    (
        "<<t>> Warning  FailedMount  pod/api-<<pod>>  MountVolume.SetUp failed for volume "
        "\"nfs\" : mount failed: exit status 32 (mount.nfs: access denied by server while "
        "mounting <<ip_private>>:/exports/data)",
        "<<t>> Normal   Scheduled  pod/worker-<<pod>>  Successfully assigned "
        "default/worker-<<pod>> "
        "to node <<hostname_ip>> (<<ip_private>>)",
        "<<t>> Warning  Unhealthy  pod/web-<<pod>>  Readiness probe failed: Get "
        "\"http://<<ip_private>>:<<port>>/ready\": dial tcp <<ip_private>>:<<port>>: i/o timeout",
    ),
    (
        "<<t>> Normal   Pulled     pod/api-<<pod>>  Successfully pulled image "
        "\"registry.acme.io/api:<<version>>\" in <<seconds>>s",
        "<<t>> Warning  BackOff    pod/api-<<pod>>  Back-off restarting failed container api in "
        "pod api-<<pod>>",
        "<<t>> Normal   Killing    pod/cron-<<pod>>  Stopping container cron",
        "<<t>> Normal   ScalingReplicaSet  deployment/api  Scaled up replica set api-<<pod>> to 3",
    ),
)

FORMATS = (SYSLOG, ACCESS, APACHE_ERROR, JSON_LINES, LOGFMT, PYTHON, JAVA, GO, POSTGRES,
           KUBERNETES)
