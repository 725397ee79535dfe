"""Code people paste: Python, JavaScript, Go, shell and SQL, with credentials and look-alikes."""

KIND = "code"

TEMPLATES = (
    "from openai import OpenAI\n\nclient = OpenAI(api_key=\"<<openai_key>>\")\n"
    "resp = client.chat.completions.create(model=\"gpt-4o-mini\", max_tokens=256,\n"
    "    messages=[{\"role\": \"user\", \"content\": prompt}])\n",
    "import os\nfrom openai import OpenAI\n\n"
    "client = OpenAI(api_key=os.environ[\"OPENAI_API_KEY\"])\n"
    "MAX_TOKENS = 4096\nTOKEN_EXPIRY_SECONDS = 3600\n",
    "import psycopg2\n\nconn = psycopg2.connect(\n    host=\"<<ip_private>>\",\n    port=5432,\n"
    "    dbname=\"orders\",\n    user=\"app\",\n    password=\"<<password>>\",\n)\n",
    "@app.route(\"/users/<int:user_id>\")\n@login_required\ndef show_user(user_id: int):\n"
    "    user = db.session.get(User, user_id)\n    return render_template(\"user.html\", "
    "user=user)\n",
    "const stripe = require('stripe')('<<stripe_key>>');\n\nconst charge = await "
    "stripe.charges.create({\n  amount: 2000,\n  currency: 'usd',\n  receipt_email: "
    "'<<email>>',\n});\n",
    "const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);\n// pinned: "
    "<<npm_spec>>\nconst PORT = process.env.PORT || <<port>>;\n",
    "db, err := sql.Open(\"postgres\", \"postgres://app:<<uri_password>>@<<ip_private>>:5432/app"
    "?sslmode=disable\")\nif err != nil {\n\tlog.Fatal(err)\n}\n",
    "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.HandleFunc(\"/healthz\", "
    "health)\n\tlog.Fatal(http.ListenAndServe(\"<<loopback_port>>\", nil))\n}\n",
    "#!/usr/bin/env bash\nset -euo pipefail\nexport AWS_ACCESS_KEY_ID=<<aws_key>>\n"
    "export AWS_SECRET_ACCESS_KEY=<<aws_secret>>\naws s3 sync ./build s3://acme-web-<<version>>"
    " --delete\n",
    "#!/bin/sh\n# deploy.sh\nmysql -h <<ip_private>> -u root -p<<password>> shop < dump.sql\n"
    "ssh deploy@<<ip_public>> 'sudo systemctl restart shop'\n",
    "curl -X POST https://api.anthropic.com/v1/messages \\\n  -H \"x-api-key: <<anthropic_key>>\" "
    "\\\n  -H \"anthropic-version: 2023-06-01\" \\\n  -H \"content-type: application/json\" \\\n"
    "  -d '{\"model\": \"claude-3-5-sonnet-latest\", \"max_tokens\": 1024}'\n",
    "curl -s -H \"Authorization: Bearer $GITHUB_TOKEN\" https://api.github.com/repos/acme/web/"
    "commits/<<sha>>\n",
    "INSERT INTO patients (mrn, last_name, dob, phone) VALUES ('<<mrn>>', '<<last>>', "
    "'<<dob_iso>>', '<<phone>>');\n",
    "SELECT o.id, o.total, o.created_at\nFROM orders o\nWHERE o.id = <<pid>>\n  AND o.created_at "
    "> '<<date>>'\nLIMIT 50;\n",
    "UPDATE employees SET ssn = '<<ssn>>', email = '<<work_email>>' WHERE employee_id = "
    "<<pid>>;\n",
    "def test_card_validation():\n    assert not is_valid_card(\"<<bad_card>>\")\n    assert "
    "mask(\"<<masked_card>>\") == \"<<masked_card>>\"\n",
    "# requirements.txt\n<<pin>>\nurllib3==2.2.2\ncertifi==2024.7.4\nidna==3.7\n",
    "git remote add origin <<git_remote>>\ngit push -u origin main\n# build <<version_quad>> "
    "(<<short_sha>>)\n",
    "import requests\n\nheaders = {\"Authorization\": \"Bearer <<jwt>>\"}\nr = requests.get("
    "\"https://api.<<domain>>/v1/me\", headers=headers, timeout=10)\nprint(r.status_code)\n",
    "slack = WebClient(token=\"<<slack_token>>\")\nslack.chat_postMessage(channel=\"#alerts\", "
    "text=f\"deploy {version} done\")\n",
    "firebaseConfig = {\n  apiKey: \"<<google_key>>\",\n  authDomain: \"acme-web.firebaseapp.com\","
    "\n  projectId: \"acme-web\",\n  appId: \"1:<<pid>>:web:<<short_sha>>\"\n};\n",
    "from github import Github\n\ng = Github(\"<<github_token>>\")\nrepo = g.get_repo("
    "\"acme/infra\")\n",
    "UUID_RE = re.compile(r\"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\")\n"
    "assert UUID_RE.match(\"<<uuid>>\")\nEXPECTED_SHA256 = \"<<sha256>>\"\n",
    "SECRET_KEY = \"<<django_key>>\"\nDEBUG = False\nALLOWED_HOSTS = [\"<<ip_public>>\", "
    "\"www.<<domain>>\"]\n",
    "SECRET_KEY = os.environ.get(\"DJANGO_SECRET_KEY\")\nPASSWORD_RESET_TIMEOUT = 259200\n"
    "AUTH_PASSWORD_VALIDATORS = [{\"NAME\": \"django.contrib.auth.password_validation."
    "MinimumLengthValidator\", \"OPTIONS\": {\"min_length\": 12}}]\n",
    "redis = Redis(host=\"<<ip_private>>\", port=6379, password=\"<<password>>\", db=0)\n"
    "cache_key = f\"user:{user_id}:profile\"\n",
    "# seed data\nusers = [\n    {\"name\": \"<<name>>\", \"email\": \"<<email>>\", \"phone\": "
    "\"<<phone>>\"},\n    {\"name\": \"<<other_name>>\", \"email\": \"<<email2>>\", \"phone\": "
    "\"<<phone2>>\"},\n]\n",
    "test('formats phone', () => {\n  expect(format('<<arith>>')).toBe(undefined);\n  "
    "expect(version).toBe('<<version>>');\n});\n",
    "kubectl create secret generic db-creds \\\n  --from-literal=username=app \\\n  "
    "--from-literal=password=<<password>>\n",
    "docker login registry.acme.io -u ci-bot -p <<api_token>>\ndocker push registry.acme.io/"
    "api:<<version>>\n",
    "const ws = new WebSocket(`wss://${host}:${port}/stream`);\nconst IMAGE = \"<<data_uri>>\";"
    "\n",
    "openssl req -new -key server.key -subj \"/CN=api.<<domain>>\" -out server.csr\n"
    "# fingerprint <<md5>>\n",
    "hashed = \"<<bcrypt>>\"\nif bcrypt.checkpw(candidate.encode(), hashed.encode()):\n"
    "    login(user)\n",
    "PGPASSWORD=<<password>> pg_dump -h <<ip_private>> -U postgres -Fc app > app.dump\n",
    "redis-cli -h <<ip_private>> -p 6379 -a <<password>> --no-auth-warning INFO memory\n",
    "sshpass -p '<<password>>' ssh -o StrictHostKeyChecking=no root@<<ip>> uptime\n",
    "curl -u <<username>>:<<password>> -X GET \"https://jira.<<domain>>/rest/api/2/issue/"
    "OPS-<<pid>>\"\n",
)
