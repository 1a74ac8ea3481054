"""Logging: secrets masked in every line, JSON lines when asked."""

from __future__ import annotations

import json
import logging

import pytest

from bot.logs import (
    LIBRARY_LOGGERS,
    PAYLOAD_LOGGERS,
    WRAPPED_CLIENT_LOGGERS,
    mask_secrets,
    masked,
    setup_logging,
)

SECRET = "xoxb-not-a-real-token-but-secret"


@pytest.fixture(autouse=True)
def _restore_logging() -> object:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    named = ["bot", *LIBRARY_LOGGERS, *WRAPPED_CLIENT_LOGGERS, *PAYLOAD_LOGGERS]
    levels = {name: logging.getLogger(name).level for name in named}
    yield None
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, kept in levels.items():
        logging.getLogger(name).setLevel(kept)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_secret_is_masked_in_messages_and_arguments(
    fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_logging(verbose=True, fmt=fmt)
    mask_secrets([SECRET])

    logging.getLogger("bot.test").warning("token %s in args, and in text: " + SECRET, SECRET)

    err = capsys.readouterr().err
    assert SECRET not in err
    assert err.count("***") == 2


def test_secret_is_masked_in_exception_text(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging(verbose=True, fmt="text")
    mask_secrets([SECRET])

    try:
        raise RuntimeError(f"Authorization: Bearer {SECRET}")
    except RuntimeError:
        logging.getLogger("bot.test").exception("request failed")

    err = capsys.readouterr().err
    assert "request failed" in err
    assert "RuntimeError" in err
    assert SECRET not in err


def test_json_lines_carry_level_logger_and_extra_fields(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging(verbose=False, fmt="json")

    logging.getLogger("bot.sync").info("gathered", extra={"source": "api", "count": 3})

    line = json.loads(capsys.readouterr().err.strip())
    assert line["level"] == "info"
    assert line["logger"] == "bot.sync"
    assert line["message"] == "gathered"
    assert (line["source"], line["count"]) == ("api", 3)


def test_longer_secret_masked_before_its_prefix() -> None:
    mask_secrets(["abc", "abcdef-longer"])

    assert masked("x abcdef-longer y abc") == "x *** y ***"


URL_CREDENTIALS = [
    ("postgresql+psycopg://bot:hunter2@db:5432/rt", "postgresql+psycopg://bot:***@db:5432/rt"),
    ("postgresql+psycopg://bot:hun@ter2@db/rt", "postgresql+psycopg://bot:***@db/rt"),
    (
        "postgresql+psycopg://bot@db/rt?sslmode=require&password=hunter2&sslpassword=hunter2",
        "postgresql+psycopg://bot@db/rt?sslmode=require&password=***&sslpassword=***",
    ),
    (
        "https://example.com/x?access_token=hunter2&page=2",
        "https://example.com/x?access_token=***&page=2",
    ),
    ("postgresql://bot@db/rt?sslmode=require", "postgresql://bot@db/rt?sslmode=require"),
]


@pytest.mark.parametrize(("url", "shown"), URL_CREDENTIALS)
def test_url_credentials_are_masked_in_log_lines_without_being_registered(
    url: str, shown: str, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_logging(verbose=True, fmt="text")

    logging.getLogger("bot.test").warning("the store at %s is unavailable", url)

    err = capsys.readouterr().err
    assert "hunter2" not in err and "ter2" not in err
    assert f"the store at {shown} is unavailable" in err


@pytest.mark.parametrize(("url", "shown"), URL_CREDENTIALS)
def test_url_credentials_are_masked_in_error_text(url: str, shown: str) -> None:
    assert masked(f"cannot open {url} (refused)") == f"cannot open {shown} (refused)"


@pytest.mark.parametrize(
    "name",
    ["apscheduler.scheduler", "sqlalchemy.engine.Engine", "alembic.runtime.migration", "asyncio"],
)
def test_libraries_speak_at_warning_without_verbose_even_if_they_set_info(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    top = logging.getLogger(name.split(".")[0])
    top.setLevel(logging.INFO)  # as a library's own set-up may do

    setup_logging(verbose=False, fmt="text")
    logging.getLogger(name).info("Running upgrade  -> v0001")
    logging.getLogger(name).warning("something the operator should see")

    err = capsys.readouterr().err
    assert "Running upgrade" not in err
    assert "something the operator should see" in err


def test_verbose_lets_the_libraries_info_lines_through(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging(verbose=True, fmt="text")

    logging.getLogger("alembic.runtime.migration").info("Running upgrade  -> v0001")

    assert "Running upgrade" in capsys.readouterr().err


def test_a_wrapped_clients_error_line_is_heard_only_with_verbose(
    capsys: pytest.CaptureFixture[str],
) -> None:
    client = logging.getLogger("slack_sdk.web.base_client")
    message = "Failed to send a request to Slack API server: <urlopen error refused>"

    setup_logging(verbose=False, fmt="text")
    client.error(message)
    quiet = capsys.readouterr().err
    setup_logging(verbose=True, fmt="text")
    client.error(message)
    verbose = capsys.readouterr().err

    assert quiet == ""
    assert message in verbose
