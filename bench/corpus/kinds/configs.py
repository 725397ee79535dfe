"""Configuration: YAML, .env, INI, TOML, docker-compose, Kubernetes, nginx, CLI invocations."""

KIND = "config"

TEMPLATES = (
    "database:\n  host: <<ip_private>>\n  port: 5432\n  user: app\n  password: \"<<password>>\"\n"
    "  pool_size: 20\ncache:\n  url: redis://:<<uri_password>>@<<ip_private2>>:6379/0\n",
    "database:\n  host: db.internal\n  password: ${DB_PASSWORD}\nopenai:\n  api_key: "
    "$OPENAI_API_KEY\n  max_tokens: 4096\n  token_expiry_seconds: 3600\n",
    "# .env\nDATABASE_URL=postgres://app:<<uri_password>>@<<ip_private>>:5432/app\n"
    "OPENAI_API_KEY=<<openai_key>>\nSTRIPE_SECRET_KEY=<<stripe_key>>\nLOG_LEVEL=info\nPORT=<<port>>\n",
    "# .env.example\nDATABASE_URL=postgres://app:<password>@localhost:5432/app\nOPENAI_API_KEY="
    "<<key_placeholder>>\nSENTRY_DSN=\nAPP_VERSION=<<version_quad>>\n",
    "NODE_ENV=production\nJWT_SECRET=<<api_token>>\nSESSION_SECRET=<<password>>\n"
    "ANTHROPIC_API_KEY=<<anthropic_key>>\nJWT_EXPIRES_IN=3600\n",
    "[database]\nhost = <<ip_private>>\nport = 3306\nuser = reporting\npassword = <<password>>\n\n"
    "[smtp]\nserver = smtp.<<domain>>\nusername = <<work_email>>\npassword = <<password2>>\n",
    "[app]\nversion = <<version_quad>>\nbuild = <<short_sha>>\nsecret_name = app-secrets\n"
    "password_min_length = 12\n\n[server]\nbind = <<loopback>>\nport = <<port>>\n",
    "[server]\nhost = \"<<ip>>\"\nport = <<port>>\n\n[auth]\ntoken = \"<<api_token>>\"\n"
    "token_ttl_seconds = 900\n\n[[upstreams]]\nurl = \"http://<<ip_private>>:8080\"\n",
    "app_version = \"<<version_quad>>\"\nrelease = \"<<version>>\"\n\n[tool.poetry.dependencies]\n"
    "python = \"^3.11\"\nrequests = \"<<version>>\"\n",
    "version: \"3.8\"\nservices:\n  db:\n    image: postgres:16.3\n    environment:\n"
    "      POSTGRES_USER: app\n      POSTGRES_PASSWORD: <<password>>\n    ports:\n"
    "      - \"5432:5432\"\n  api:\n    image: acme/api:<<version>>\n    environment:\n"
    "      DATABASE_URL: postgres://app:<<uri_password>>@db:5432/app\n",
    "services:\n  redis:\n    image: redis:7.2.5\n    command: redis-server --requirepass "
    "${REDIS_PASSWORD}\n  api:\n    image: acme/api:<<version>>\n    env_file: .env\n"
    "    environment:\n      - OPENAI_API_KEY=${OPENAI_API_KEY}\n",
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-credentials\n  namespace: prod\n"
    "type: Opaque\nstringData:\n  username: app\n  password: \"<<password>>\"\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 3\n"
    "  template:\n    spec:\n      containers:\n        - name: api\n          image: "
    "registry.acme.io/api:<<version>>\n          env:\n            - name: DB_PASSWORD\n"
    "              valueFrom:\n                secretKeyRef:\n                  name: "
    "db-credentials\n                  key: password\n",
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  type: LoadBalancer\n"
    "  loadBalancerIP: <<ip_public>>\n  ports:\n    - port: 443\n      targetPort: <<port>>\n",
    "server {\n    listen 443 ssl;\n    server_name api.<<domain>>;\n    ssl_certificate "
    "/etc/ssl/api.crt;\n    location / {\n        proxy_pass http://<<ip_private>>:<<port>>;\n"
    "        proxy_set_header X-Real-IP $remote_addr;\n    }\n}\n",
    "upstream backend {\n    server <<ip_private>>:8080 weight=3;\n    server <<ip_private2>>:8080;"
    "\n    keepalive 32;\n}\n",
    "psql -h <<ip_private>> -U postgres -d app -c 'select 1'\nPGPASSWORD=<<password>> psql -h "
    "<<ip_private>> -U postgres app\n",
    "mysql -h <<ip_private>> -P 3306 -u admin -p<<password>> -e 'SHOW DATABASES'\n",
    "mongosh \"mongodb://admin:<<uri_password>>@<<ip_private>>:27017/?authSource=admin\"\n",
    "DATABASE_URL=postgresql://app_user:<<uri_password>>@db.prod.<<domain>>:5432/app\n"
    "REDIS_URL=rediss://default:<<uri_password2>>@cache.prod.<<domain>>:6380/0\n",
    "[alembic]\nsqlalchemy.url = mysql+pymysql://report:<<uri_password>>@mysql.internal."
    "<<domain>>/reports\nscript_location = migrations\n",
    "redis-cli -u redis://:<<uri_password>>@<<ip_private>>:6379/0 ping\n",
    "amqp_url: amqp://guest:<<uri_password>>@<<ip_private>>:5672/%2F\nprefetch: 50\n",
    "curl -u admin:<<password>> http://<<ip_private>>:9200/_cluster/health?pretty\n",
    "htpasswd entry generated on <<date>>:\nadmin:<<bcrypt>>\n",
    "interfaces:\n  eth0:\n    address: <<ip_private>>\n    netmask: <<netmask>>\n"
    "    gateway: <<ip_private2>>\n    mac: <<mac>>\n    dns: [<<loopback>>]\n",
    "auto eth0\niface eth0 inet static\n    address <<ip_private>>\n    netmask <<netmask>>\n"
    "    gateway <<ip_private2>>\n",
    "# ~/.aws/credentials\n[default]\naws_access_key_id = <<aws_key>>\naws_secret_access_key = "
    "<<aws_secret>>\nregion = eu-west-1\n",
    "# ~/.aws/credentials (masked for the ticket)\n[prod]\naws_access_key_id = <<masked_key>>\n"
    "aws_secret_access_key = ****************************************\n",
    "# GitHub Actions\nenv:\n  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n  REGISTRY: ghcr.io\n"
    "steps:\n  - uses: actions/checkout@v4\n  - uses: actions/setup-node@v4\n    with:\n"
    "      node-version: 20.15.1\n",
    "//registry.npmjs.org/:_authToken=<<api_token>>\n@acme:registry=https://npm.acme.io/\n",
    "spring.datasource.url=jdbc:mysql://<<ip_private>>:3306/shop\nspring.datasource.username=shop"
    "\nspring.datasource.password=<<password>>\nserver.port=<<port>>\n",
    "spring.datasource.password=${DB_PASSWORD}\nmanagement.endpoints.web.exposure.include=health\n"
    "app.version=<<version_quad>>\nspring.security.oauth2.client.registration.github.client-id="
    "<<short_sha>>\n",
    "slack:\n  bot_token: <<slack_token>>\n  signing_secret: <<api_token>>\n"
    "  channel: \"#alerts\"\n",
    "webhooks:\n  stripe:\n    endpoint_secret: <<webhook_secret>>\n    tolerance_seconds: 300\n",
    "# /etc/ssl/certs/internal-ca.crt (public, safe to share)\n<<public_pem>>\n",
    "ssh_authorized_keys:\n  - <<ssh_pubkey>>\nhostname: bastion\n",
    "cat > ~/.ssh/id_deploy <<'KEY'\n<<pem>>\nKEY\nchmod 600 ~/.ssh/id_deploy\n",
    "snmp:\n  community: public\n  sys_object_id: <<oid>>\n  target: <<ip_private>>\n",
    "ntp:\n  servers:\n    - <<ip_public>>\n    - time.cloudflare.com\nresolvers: [<<loopback>>]\n",
    "consul agent -server -bind=<<ip_private>> -client=<<loopback>> -retry-join=<<ip_private2>>\n",
    "helm upgrade --install api ./chart --set image.tag=<<version>> --set db.password="
    "<<password>> --set replicaCount=3\n",
    "helm upgrade --install api ./chart --set image.tag=<<version>> --set-file tls.crt=./tls.crt "
    "--set db.password={{ .Values.global.dbPassword }}\n",
)
