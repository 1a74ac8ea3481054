"""Configuration mistakes through the command line: one sentence, the right exit code, no secret."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from tests.cli import run_here
from tests.workspace import Workspace

SECRET = "pg-Pa55word-never-shown"
JIRA = '[jira]\nurl = "https://jira.invalid"\nemail = "bot@example.com"'


def _error_line(err: str) -> str:
    """The one error line; nothing else on stderr (no traceback, no SQL, no second line)."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("release-train: error: "), err
    return lines[0]


def _store_url(workspace: Workspace, url: str) -> None:
    text = workspace.config.read_text()
    old = f'url = "sqlite:///{workspace.root / "store.db"}"'
    assert old in text
    workspace.config.write_text(text.replace(old, f'url = "{url}"'))


# --- credentials in the store URL ---


@pytest.mark.parametrize(
    "command", [("sync",), ("status",), ("notes",), ("db", "upgrade"), ("-v", "sync")]
)
def test_a_password_in_the_store_urls_query_is_never_printed(
    workspace: Workspace, command: tuple[str, ...]
) -> None:
    _store_url(
        workspace,
        f"postgresql+psycopg://bot@127.0.0.1:1/rt?password={SECRET}&sslpassword={SECRET}2",
    )

    result = workspace.run(*command)

    assert result.code == 3, result.err
    assert SECRET not in result.out + result.err
    assert "password=***" in result.err


def test_check_shows_the_store_without_the_password_in_its_query(workspace: Workspace) -> None:
    _store_url(workspace, f"postgresql+psycopg://bot@127.0.0.1:1/rt?sslpassword={SECRET}")

    result = workspace.run("check")

    assert result.code == 3
    assert SECRET not in result.out + result.err
    assert "FAIL  store: the store at postgresql+psycopg://bot@127.0.0.1:1/rt?sslpassword=***" in (
        result.out
    )


def test_a_password_with_an_unencoded_at_is_refused_without_any_of_it(
    workspace: Workspace,
) -> None:
    _store_url(workspace, "postgresql+psycopg://bot:first@second-half@127.0.0.1:1/rt")

    result = workspace.run("check")

    assert result.code == 2
    line = _error_line(result.err)
    assert "store.url: the user name or password holds an unencoded '@'" in line
    assert "first" not in result.out + result.err
    assert "second-half" not in result.out + result.err


# --- a configured service needs its secret ---

SERVICES = [
    ("jira", JIRA, "", {}, "RELEASE_TRAIN_JIRA__TOKEN"),
    ("github", "[github]", "", {}, "RELEASE_TRAIN_GITHUB__TOKEN"),
    ("gitlab", "[gitlab]", "", {}, "RELEASE_TRAIN_GITLAB__TOKEN"),
    (
        "slack bot token",
        "[slack]",
        'slack_channel = "C0123"',
        {"RELEASE_TRAIN_SLACK__APP_TOKEN": "xapp-test"},
        "RELEASE_TRAIN_SLACK__BOT_TOKEN",
    ),
    (
        "slack socket mode",
        "[slack]",
        'slack_channel = "C0123"',
        {"RELEASE_TRAIN_SLACK__BOT_TOKEN": "xoxb-test"},
        "RELEASE_TRAIN_SLACK__APP_TOKEN",
    ),
    (
        "slack http mode",
        '[slack]\nmode = "http"',
        'slack_channel = "C0123"',
        {"RELEASE_TRAIN_SLACK__BOT_TOKEN": "xoxb-test"},
        "RELEASE_TRAIN_SLACK__SIGNING_SECRET",
    ),
]


@pytest.mark.parametrize("command", ["check", "sync", "status"])
@pytest.mark.parametrize(
    ("top", "train", "env", "variable"), [c[1:] for c in SERVICES], ids=[c[0] for c in SERVICES]
)
def test_a_configured_service_without_its_secret_is_a_configuration_error(
    workspace: Workspace, command: str, top: str, train: str, env: dict[str, str], variable: str
) -> None:
    workspace.write_config(extra_top=top, extra_train=train)

    result = workspace.run(command, env=env)

    assert result.code == 2
    line = _error_line(result.err)
    assert f"({variable}): not set" in line
    assert "set it in the environment" in line
    assert not (workspace.root / "store.db").exists()


@pytest.mark.parametrize(("top", "train"), [(c[1], c[2]) for c in SERVICES[:4]])
def test_check_passes_once_the_secret_is_set(workspace: Workspace, top: str, train: str) -> None:
    workspace.write_config(extra_top=top, extra_train=train)
    secrets = {
        "RELEASE_TRAIN_JIRA__TOKEN": "jira-test",
        "RELEASE_TRAIN_GITHUB__TOKEN": "github-test",
        "RELEASE_TRAIN_GITLAB__TOKEN": "gitlab-test",
        "RELEASE_TRAIN_SLACK__BOT_TOKEN": "xoxb-test",
        "RELEASE_TRAIN_SLACK__APP_TOKEN": "xapp-test",
    }

    result = workspace.run("check", env=secrets)

    assert result.code == 0, result.out + result.err


@pytest.mark.parametrize("args", [("--help",), ("sync", "--help"), ("check", "--help")])
def test_help_needs_no_secret(workspace: Workspace, args: tuple[str, ...]) -> None:
    workspace.write_config(extra_top=f"{JIRA}\n[github]")

    result = workspace.run(*args)

    assert result.code == 0
    assert "Usage:" in result.out


# --- where the store is, and whether it can last ---


def test_check_fails_a_store_whose_folder_cannot_be_created(workspace: Workspace) -> None:
    (workspace.root / "taken").write_text("a file, not a folder\n")
    _store_url(workspace, f"sqlite:///{workspace.root / 'taken' / 'store.db'}")

    result = workspace.run("check")

    assert result.code == 2
    assert f"FAIL  store: store.url: cannot create {workspace.root / 'taken' / 'store.db'}" in (
        result.out
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through any permission")
def test_check_fails_a_store_in_a_read_only_folder(workspace: Workspace) -> None:
    folder = workspace.root / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    _store_url(workspace, f"sqlite:///{folder / 'store.db'}")
    try:
        result = workspace.run("check")
    finally:
        folder.chmod(0o755)

    assert result.code == 2
    assert "FAIL  store: store.url: cannot create" in result.out


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_check_fails_an_in_memory_store(workspace: Workspace, url: str) -> None:
    _store_url(workspace, url)

    result = workspace.run("check")

    assert result.code == 2
    assert "FAIL  store: store.url: an in-memory SQLite store records nothing that lasts" in (
        result.out
    )


def test_a_relative_store_is_beside_the_config_whatever_the_working_directory(
    workspace: Workspace,
) -> None:
    _store_url(workspace, "sqlite:///state/rt.db")
    elsewhere = workspace.root / "elsewhere"
    elsewhere.mkdir()

    first = run_here(workspace.config, "sync", "--json", cwd=elsewhere)
    again = run_here(workspace.config, "sync", "--json", cwd=workspace.root)

    assert first.code == 0 and again.code == 0, first.err + again.err
    assert (workspace.root / "state" / "rt.db").is_file()
    assert not (elsewhere / "state").exists()
    assert [c["new"] for c in first.json()["changes"]] == [True]
    assert [c["new"] for c in again.json()["changes"]] == [False]


# --- configuration mistakes are exit 2, an unusable store exit 3, never "unexpected" ---


def test_a_config_file_that_is_not_utf8_is_a_configuration_error(workspace: Workspace) -> None:
    workspace.config.write_bytes(workspace.config.read_bytes() + b"# caf\xe9\n")

    result = workspace.run("check")

    assert result.code == 2
    assert "not UTF-8 text" in _error_line(result.err)


@pytest.mark.parametrize("nested", ["[" * 5000 + "]" * 5000, "{a=" * 3000 + "1" + "}" * 3000])
def test_deeply_nested_toml_is_a_configuration_error(workspace: Workspace, nested: str) -> None:
    workspace.config.write_text(f"deep = {nested}\n" + workspace.config.read_text())

    result = workspace.run("sync")

    assert result.code == 2
    assert "nested too deeply" in _error_line(result.err)


def test_deeply_nested_json_from_the_environment_is_a_configuration_error(
    workspace: Workspace,
) -> None:
    result = workspace.run("sync", env={"RELEASE_TRAIN_SERVER": "[" * 100_000})

    assert result.code == 2
    assert "RELEASE_TRAIN_* variable holds JSON nested too deeply" in _error_line(result.err)


@pytest.mark.parametrize("command", ["sync", "check"])
def test_a_store_port_that_is_not_a_number_is_a_configuration_error(
    workspace: Workspace, command: str
) -> None:
    _store_url(workspace, "postgresql+psycopg://bot@127.0.0.1:54x2/rt")

    result = workspace.run(command)

    assert result.code == 2
    assert "store.url: the port is not a number" in _error_line(result.err)


@pytest.mark.skipif(
    importlib.util.find_spec("psycopg2") is not None, reason="psycopg2 is installed here"
)
def test_a_database_driver_that_is_not_installed_is_a_configuration_error(
    workspace: Workspace,
) -> None:
    _store_url(workspace, "postgresql+psycopg2://bot@127.0.0.1:1/rt")

    result = workspace.run("sync")

    assert result.code == 2
    assert "store.url names the database driver 'psycopg2', which is not installed" in (
        _error_line(result.err)
    )


@pytest.mark.parametrize("command", [("sync",), ("status",), ("db", "upgrade")])
def test_a_corrupt_sqlite_store_is_unavailable_in_one_sentence(
    workspace: Workspace, command: tuple[str, ...]
) -> None:
    store = workspace.root / "store.db"
    store.write_bytes(b"not a database, whatever its name says\n" * 200)

    result = workspace.run(*command)

    assert result.code == 3
    line = _error_line(result.err)
    assert line == f"release-train: error: the store at sqlite:///{store} is unavailable:" + (
        " file is not a database"
    )
    assert store.read_bytes().startswith(b"not a database")


def test_check_reports_a_corrupt_sqlite_store_on_its_line(workspace: Workspace) -> None:
    (workspace.root / "store.db").write_bytes(b"\x00corrupt" * 500)

    result = workspace.run("check")

    assert result.code == 3
    assert "FAIL  store: the store at" in result.out
    assert "file is not a database" in result.out
    assert "Traceback" not in result.err and "[SQL:" not in result.err + result.out


def test_the_store_path_in_the_file_is_not_relative_to_the_working_directory(
    tmp_path: Path, workspace: Workspace
) -> None:
    """The default store (no [store] table) lives beside the config file too."""
    text = workspace.config.read_text()
    workspace.config.write_text(
        text.replace("[store]\n", "[notes]\n").replace(
            f'url = "sqlite:///{workspace.root / "store.db"}"', ""
        )
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    result = run_here(workspace.config, "sync", cwd=elsewhere)

    assert result.code == 0, result.err
    assert (workspace.root / "release-train.db").is_file()
    assert not (elsewhere / "release-train.db").exists()


@pytest.mark.parametrize(
    "url", ["postgresql+psycopg://bot@127.0.0.1:1/rt?foo=bar", "sqlite:///rt.db?foo=bar"]
)
def test_a_store_url_option_the_driver_does_not_know_is_a_configuration_error(
    workspace: Workspace, url: str
) -> None:
    _store_url(workspace, url)

    result = workspace.run("sync")

    assert result.code == 2, result.err
    assert "store.url: the query key 'foo' is not an option" in _error_line(result.err)
