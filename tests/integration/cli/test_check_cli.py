"""`check --json`, and `check --online` against a Slack nobody answers: the bot's own answer,
without the libraries' log lines before it."""

from __future__ import annotations

import socket

from tests.workspace import Workspace

SLACK_SECRETS = {
    "RELEASE_TRAIN_SLACK__BOT_TOKEN": "xoxb-test-only",
    "RELEASE_TRAIN_SLACK__APP_TOKEN": "xapp-test-only",
}


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _slack_at_a_closed_port(workspace: Workspace) -> str:
    api_url = f"http://127.0.0.1:{_closed_port()}/api/"
    workspace.write_config(
        extra_top=f'[slack]\napi_url = "{api_url}"\n', extra_train='slack_channel = "C0123456789"'
    )
    return api_url


def test_check_json_is_one_object_with_every_check(workspace: Workspace) -> None:
    lines = workspace.run("check").out.strip().splitlines()

    result = workspace.run("check", "--json")

    assert result.code == 0, result.err
    report = result.json()
    assert report["ok"] is True
    assert [c["name"] for c in report["checks"]] == [
        line.split(":", 1)[0].split(None, 1)[1] for line in lines
    ]
    assert report["checks"][0] == {
        "name": "config",
        "ok": True,
        "message": f"{workspace.config} (1 train(s))",
    }
    assert all(set(c) == {"name", "ok", "message"} for c in report["checks"])


def test_check_json_keeps_the_exit_code_of_a_failed_check(workspace: Workspace) -> None:
    workspace.repo.path.rename(workspace.root / "gone")  # the source's folder is gone

    result = workspace.run("check", "--json")

    assert result.code == 2
    report = result.json()
    assert report["ok"] is False
    [failed] = [c for c in report["checks"] if not c["ok"]]
    assert failed["name"] == "train payments source api"
    assert result.err.startswith("release-train: error: 1 check(s) failed")


def test_check_json_of_a_config_that_does_not_load_is_one_failed_check(
    workspace: Workspace,
) -> None:
    workspace.write_config(extra_train="sync_schedule = '61 * * * *'")

    result = workspace.run("check", "--json")

    assert result.code == 2
    report = result.json()
    assert report["ok"] is False
    [config] = report["checks"]
    assert config["name"] == "config"
    assert config["ok"] is False
    assert "trains[0].sync_schedule" in config["message"]
    assert "trains[0].sync_schedule" in result.err


def test_check_online_with_slack_unreachable_prints_no_library_error_lines(
    workspace: Workspace,
) -> None:
    api_url = _slack_at_a_closed_port(workspace)

    result = workspace.run("check", "--online", env=SLACK_SECRETS)

    assert result.code == 3
    assert f"FAIL  slack: Slack is unreachable at {api_url} (connection refused)" in result.out
    assert "slack_sdk" not in result.err
    assert " ERROR " not in result.err
    assert result.err.strip().splitlines()[-1] == (
        "release-train: error: 3 check(s) failed; the first: slack"
    )


def test_check_online_verbose_shows_what_the_slack_library_said(workspace: Workspace) -> None:
    _slack_at_a_closed_port(workspace)

    result = workspace.run("-v", "check", "--online", env=SLACK_SECRETS)

    assert result.code == 3
    assert "ERROR slack_sdk.web.base_client: Failed to send a request" in result.err
