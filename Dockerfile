# Slim, non-root image that runs `metaqore serve`. Mount your gateway.yaml at /app/gateway.yaml.

# The wheel is built where a C compiler is (the sensitivity scan has native parts); the slim
# image that runs it has none.
FROM python:3.11 AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY proxy ./proxy
COPY governance ./governance
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY --from=build /wheels /wheels
COPY gateway.yaml ./gateway.yaml
COPY policies ./policies
# The gateway writes its SQLite ledger and key file beside its config unless told otherwise;
# /var/lib/metaqore is for the evidence spool (a volume created on it inherits the owner).
RUN pip install --no-cache-dir /wheels/*.whl \
    && rm -r /wheels \
    && useradd --create-home --uid 10001 metaqore \
    && mkdir -p /var/lib/metaqore/spool \
    && chown 10001 /app /var/lib/metaqore /var/lib/metaqore/spool

USER 10001
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz')"]
ENTRYPOINT ["metaqore", "serve", "--config", "/app/gateway.yaml", "--host", "0.0.0.0"]
