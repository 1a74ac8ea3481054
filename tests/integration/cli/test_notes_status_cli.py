"""`notes` and `status` end to end, over a store filled by a real sync."""

from __future__ import annotations

from datetime import timedelta

from tests.workspace import Workspace, sprint_start


def _synced(ws: Workspace) -> None:
    ws.repo.merged_pr(418, title="feat: refunds PAY-77", files={"api/refunds.py": "r\n"})
    ws.repo.merged_pr(419, title="feat!: drop v1 <script>", files={"api/v1.py": "x\n"})
    ws.repo.squash_pr(420, title="Backfill customer totals", files={"api/t.py": "t\n"}, body="")
    assert ws.run("sync").code == 0


def test_markdown_notes_have_a_heading_per_category(workspace: Workspace) -> None:
    _synced(workspace)

    result = workspace.run("notes")

    assert result.code == 0, result.err
    assert "## Features" in result.out
    assert "## Policy violations" in result.out
    assert "refunds PAY-77" in result.out
    assert "drop v1 \\<script>" in result.out


def test_notes_in_slack_and_jira_formats(workspace: Workspace) -> None:
    _synced(workspace)

    slack = workspace.run("notes", "--format", "slack")
    jira = workspace.run("notes", "--format", "jira")

    assert slack.code == 0 and jira.code == 0
    assert "&lt;script&gt;" in slack.out
    assert "h2." in jira.out


def test_notes_written_to_a_file(workspace: Workspace) -> None:
    _synced(workspace)
    target = workspace.root / "out" / "notes.md"
    target.parent.mkdir()

    result = workspace.run("notes", "--output", str(target))

    assert result.code == 0, result.err
    assert result.out == ""
    assert "## Features" in target.read_text(encoding="utf-8")


def test_notes_for_an_unknown_sprint_exit_2(workspace: Workspace) -> None:
    _synced(workspace)

    result = workspace.run("notes", "--sprint", "Sprint 9999x")

    assert result.code == 2
    assert "--sprint" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_notes_of_another_named_sprint_hold_only_its_changes(workspace: Workspace) -> None:
    _synced(workspace)

    result = workspace.run("notes", "--sprint", "Sprint 2")

    assert result.code == 0, result.err
    assert "refunds" not in result.out


def test_status_json_counts_and_draft(workspace: Workspace) -> None:
    _synced(workspace)

    result = workspace.run("status", "--json")

    assert result.code == 0, result.err
    status = result.json()
    assert status["sprint"]["name"] == "Sprint 1"
    assert status["counts"]["needs-flag"] == 1
    assert status["draft"] == {
        "version": None,
        "state": "none",
        "approved_by": None,
        "approved_at": None,
    }
    assert "dry_run" not in status


def test_status_for_people(workspace: Workspace) -> None:
    _synced(workspace)

    result = workspace.run("status")

    assert result.code == 0, result.err
    assert "Sprint 1" in result.out
    assert "draft: none" in result.out
    assert "needs-flag 1" in result.out


def test_status_shows_the_sprint_window_in_the_trains_timezone(workspace: Workspace) -> None:
    _synced(workspace)
    first = sprint_start().date()  # the configured first day, in Europe/Berlin
    last = first + timedelta(days=13)
    year = "" if first.year == last.year else f" {first.year}"

    result = workspace.run("status")

    assert result.code == 0, result.err
    window = f"{first.day} {first:%b}{year} \u2013 {last.day} {last:%b} {last.year}"
    assert f"train payments \u2014 Sprint 1 ({window}, Europe/Berlin)" in result.out


def test_status_and_notes_on_a_missing_store_create_none_and_name_sync(
    workspace: Workspace,
) -> None:
    for command in ("status", "notes"):
        result = workspace.run(command)

        assert result.code == 2, command
        assert result.err.strip().splitlines() == [
            f"release-train: error: there is no store at sqlite:///{workspace.root}/store.db "
            "yet; `release-train sync` creates it"
        ]
    assert not (workspace.root / "store.db").exists()
