"""What `sync --json` and `status --json` say beyond the sprint: notices, failures, planned."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.jira_site import JiraSite, build_site, serve, writes
from tests.workspace import Workspace


@pytest.fixture
def site(tmp_path: Path) -> Iterator[JiraSite]:
    for fake in serve("cloud"):
        yield build_site(tmp_path, fake)


def test_a_dry_run_lists_the_writes_it_would_make(site: JiraSite) -> None:
    assert site.sync().code == 0  # the ticket exists; a change is then merged
    change = site.merge("Add refund reason", minutes=5)
    mark = site.mark()

    result = site.sync("--dry-run", "--json")

    assert result.code == 0, result.err
    report = result.json()
    assert report["dry_run"] is True
    assert report["failures"] == []
    key = report["ticket"]["key"]
    assert any(change in step and key in step for step in report["planned"]), report["planned"]
    assert writes(site.since(mark)) == []


def test_a_dry_run_says_in_its_notices_that_it_would_create_the_ticket(site: JiraSite) -> None:
    result = site.sync("--dry-run", "--json")

    assert result.code == 0, result.err
    report = result.json()
    assert "would create the Release Train ticket for 'Sprint 7'" in report["notices"]
    assert report["planned"] == []


def test_status_json_has_the_same_keys_without_dry_run(site: JiraSite) -> None:
    assert site.sync().code == 0

    report = site.run("status", "--json").json()

    assert "dry_run" not in report
    assert (report["notices"], report["failures"], report["planned"]) == ([], [], [])


def test_a_source_that_cannot_be_read_is_a_failure_in_the_report_and_said_once(
    workspace: Workspace,
) -> None:
    workspace.repo.git("branch", "-m", "main", "elsewhere")  # the configured branch is gone

    json_run = workspace.run("sync", "--json")
    text_run = workspace.run("sync")

    assert json_run.code == 2
    [failure] = json_run.json()["failures"]
    assert failure["source"] == "api"
    assert "branch 'main' does not exist" in failure["message"]
    said = text_run.out + text_run.err
    assert said.count("branch 'main' does not exist") == 1, said
