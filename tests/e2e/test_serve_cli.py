"""`release-train serve` as an operator runs it: a real process on a one-second schedule.

The configuration's schedules are five-field cron (once a minute at best); the process reads
RELEASE_TRAIN_TEST_SCHEDULE_SECONDS to fire every job each second instead, aligned to the clock
as cron is, so the whole process (CLI, signals, uvicorn, scheduler, store) is what is tested.
"""

from __future__ import annotations

import signal
import socket

import pytest

from tests.e2e.serve_process import ServeProcess
from tests.workspace import Workspace


def syncs(serve: ServeProcess, outcome: str = "ok") -> float:
    return serve.metric("release_train_syncs_total", train="payments", outcome=outcome)


def test_serve_syncs_on_schedule_counts_it_and_stops_on_sigterm(workspace: Workspace) -> None:
    workspace.repo.merged_pr(418, title="feat: add refund reason field", files={"api/r.py": "1\n"})
    serve = ServeProcess(workspace.config, cwd=workspace.root)
    try:
        serve.wait_for("a first sync", lambda: syncs(serve) >= 1)
        recorded_first = serve.metric("release_train_changes_recorded_total", train="payments")
        workspace.repo.merged_pr(419, title="fix: rounding", files={"api/m.py": "2\n"})
        serve.wait_for(
            "the new change recorded",
            lambda: (
                serve.metric("release_train_changes_recorded_total", train="payments")
                > recorded_first
            ),
        )
        assert serve.get("/healthz").status_code == 200
        assert serve.get("/readyz").status_code == 200
    finally:
        code = serve.stop(signal.SIGTERM)

    assert code == 0, serve.stderr
    assert recorded_first == 2  # the initial commit and pull request 418
    finished = serve.log_lines(event="job_finished", job="sync", train="payments")
    assert finished and all(line["outcome"] == "ok" for line in finished)
    assert all(isinstance(line["duration_s"], float) and "new" in line for line in finished)
    assert sum(line["new"] for line in finished) == 3
    status = workspace.run("status", "--json")
    titles = {c["title"] for c in status.json()["changes"]}
    assert {"feat: add refund reason field", "fix: rounding"} <= titles


def test_sigint_stops_serve_cleanly_too(workspace: Workspace) -> None:
    serve = ServeProcess(workspace.config, cwd=workspace.root)
    serve.wait_for("a first sync", lambda: syncs(serve) >= 1)

    code = serve.stop(signal.SIGINT)

    assert code == 0, serve.stderr
    assert serve.log_line(event="stopped") is not None


def test_a_port_in_use_is_refused_with_one_sentence(workspace: Workspace) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        result = workspace.run("serve", env={"RELEASE_TRAIN_SERVER__PORT": str(port)})
    finally:
        taken.close()

    assert result.code == 2
    assert result.err.strip().splitlines() == [
        f"release-train: error: port {port} on 127.0.0.1 is already in use by another process;"
        " stop it or set [server] port (RELEASE_TRAIN_SERVER__PORT) to a free port"
    ]


@pytest.mark.parametrize(
    ("mode", "missing"),
    [("http", "RELEASE_TRAIN_SLACK__SIGNING_SECRET"), ("socket", "RELEASE_TRAIN_SLACK__APP_TOKEN")],
)
def test_slack_without_its_mode_secret_is_refused_naming_the_variable(
    workspace: Workspace, mode: str, missing: str
) -> None:
    workspace.write_config(
        extra_top=f'[slack]\nmode = "{mode}"\n', extra_train='slack_channel = "C0123456789"'
    )

    result = workspace.run(
        "serve", env={"RELEASE_TRAIN_SLACK__BOT_TOKEN": "xoxb-test-token-of-the-tests"}
    )

    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1
    assert missing in result.err
    assert "xoxb-test-token-of-the-tests" not in result.err


def test_a_second_serve_on_the_same_sqlite_store_is_refused_naming_postgresql(
    workspace: Workspace,
) -> None:
    first = ServeProcess(workspace.config, cwd=workspace.root)
    try:
        first.wait_for("a first sync", lambda: syncs(first) >= 1)

        second = workspace.run("serve", env={"RELEASE_TRAIN_SERVER__PORT": "0"})

        still_serving = first.get("/healthz").status_code
    finally:
        code = first.stop(signal.SIGTERM)

    assert second.code == 2
    lines = second.err.strip().splitlines()
    assert len(lines) == 1
    assert "another `serve` already uses the SQLite store" in lines[0]
    assert "PostgreSQL" in lines[0]
    assert still_serving == 200
    assert code == 0, first.stderr
