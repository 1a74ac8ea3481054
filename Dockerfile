# release-train as a container: `serve` by default, any other command by argument.
#   docker build -t release-train .
#   docker run --rm -v "$PWD/release-train.toml:/etc/release-train/release-train.toml:ro" \
#     -e RELEASE_TRAIN_STORE__URL=... release-train
# Slim Python base, a virtual environment built in a throw-away stage, and a non-root user.
#
# CI has no Docker engine, so nothing builds this image there. Instead .ci/package-check
# reproduces the build stage on a clean clone: it copies what this stage's COPY lines name and
# runs its RUN lines (with $VIRTUAL_ENV pointed at a folder of its own), then runs the installed
# command. .ci/lint-deploy lints this file with hadolint.

FROM python:3.11-slim-trixie AS build
WORKDIR /src
ENV VIRTUAL_ENV=/opt/release-train
# Every version installed here, build tools included, is pinned in constraints.txt.
COPY constraints.txt ./
RUN python -m venv "$VIRTUAL_ENV" \
 && "$VIRTUAL_ENV/bin/pip" install --no-cache-dir -c constraints.txt pip
COPY pyproject.toml setup.py README.md LICENSE ./
COPY bot ./bot
# The release-notes templates: setup.py ships this folder inside the package as bot/templates.
COPY templates ./templates
# The wheel first (the artifact), then it alone as release-train, with the pinned dependencies.
# Python 3.11's venv seeds setuptools, which nothing imports at run time: it goes.
RUN "$VIRTUAL_ENV/bin/pip" wheel --no-cache-dir --no-deps --build-constraint constraints.txt \
      --wheel-dir dist . \
 && "$VIRTUAL_ENV/bin/pip" install --no-cache-dir -c constraints.txt \
      "$(echo dist/release_train-*.whl)[postgres]" \
 && "$VIRTUAL_ENV/bin/pip" uninstall --yes setuptools

FROM python:3.11-slim-trixie
# git reads the local repositories of `git` sources; nothing else is installed. git is not
# pinned (DL3008): Debian replaces a stable release's package on each security update and drops
# the old version from its mirrors, so a pin would stop the build at the next git fix. The
# Debian release itself is pinned by the base image's tag (trixie).
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends git \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 release-train \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/release-train --create-home \
      --shell /usr/sbin/nologin release-train
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
# serve applies pending store migrations before it answers HTTP, so a first start against a
# large store may take minutes: failures in the start period do not count.
HEALTHCHECK --interval=30s --timeout=5s --start-period=5m \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
# The shell form is avoided so that SIGTERM reaches release-train itself, which then stops cleanly.
ENTRYPOINT ["release-train", "--log-format", "json"]
CMD ["serve"]
