# release-train as a container: `serve` by default, any other command by argument.
#   docker build -t release-train .
#   docker run --rm -v "$PWD/release-train.toml:/etc/release-train/release-train.toml:ro" \
#     -e RELEASE_TRAIN_STORE__URL=... release-train
# Slim Python base, a virtual environment built in a throw-away stage, and a non-root user.

FROM python:3.11-slim AS build
WORKDIR /src
RUN python -m venv /opt/release-train
COPY pyproject.toml setup.py README.md ./
COPY bot ./bot
# The release-notes templates: setup.py ships this folder inside the package as bot/templates.
COPY templates ./templates
RUN /opt/release-train/bin/pip install --no-cache-dir --upgrade pip \
 && /opt/release-train/bin/pip install --no-cache-dir '.[postgres]'

FROM python:3.11-slim
# git reads the local repositories of `git` sources; nothing else is installed.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/release-train --create-home release-train
COPY --from=build /opt/release-train /opt/release-train
ENV PATH=/opt/release-train/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    RELEASE_TRAIN_CONFIG=/etc/release-train/release-train.toml \
    RELEASE_TRAIN_SERVER__HOST=0.0.0.0 \
    RELEASE_TRAIN_SERVER__PORT=8080
USER 10001:10001
WORKDIR /var/lib/release-train
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
# The shell form is avoided so that SIGTERM reaches release-train itself, which then stops cleanly.
ENTRYPOINT ["release-train", "--log-format", "json"]
CMD ["serve"]
