"""`release-train sync` as the board's sprints come and go: none active, several, closed ones."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.e2e.jira_site import (
    SPRINT_END,
    SPRINT_START,
    JiraSite,
    build_site,
    links_by_global_id,
    serve,
    writes,
)
from tests.fakes.jira import FakeJira

EARLIER = SPRINT_START - timedelta(days=14)  # when the sprint before the current one began


@pytest.fixture(params=["cloud", "datacenter"])
def fake(request: pytest.FixtureRequest) -> Iterator[FakeJira]:
    yield from serve(request.param)


@pytest.fixture
def site(tmp_path: Path, fake: FakeJira) -> JiraSite:
    return build_site(tmp_path, fake)


def commit_at(site: JiraSite, title: str, *, days_before_sprint: int) -> str:
    """A commit on the trunk dated that many days before the current sprint began."""
    when = SPRINT_START - timedelta(days=days_before_sprint)
    return "git:api:" + site.repo.commit(title, files={f"{title}.txt": title}, when=when)


def ticket_creates(site: JiraSite) -> int:
    return len([r for r in site.fake.requests if re.fullmatch(r"/rest/api/[23]/issue", r.path)])


@pytest.mark.parametrize("fake", ["cloud"], indirect=True)
def test_without_an_active_sprint_changes_wait_and_are_attached_once_one_starts(
    tmp_path: Path, fake: FakeJira
) -> None:
    site = build_site(tmp_path, fake, sprint=False)
    fake.add_sprint(
        site.board, "Sprint 6", "closed", SPRINT_START - timedelta(days=14), SPRINT_START
    )
    waiting = site.merge("Add refund reason", minutes=5)

    idle = site.sync()

    assert idle.code == 0, idle.err
    assert f"board {site.board} has no active sprint" in idle.out
    assert "and later changes of api wait for the next sprint" in idle.out
    assert writes(fake.requests) == []
    fake.add_sprint(site.board, "Sprint 7", "active", SPRINT_START, SPRINT_END)

    result = site.sync("--json")

    assert result.code == 0, result.err
    report = result.json()
    assert report["sprint"]["name"] == "Sprint 7"
    assert {c["id"]: c["attached"] for c in report["changes"]}[waiting] is True
    assert f"release-train:{waiting}" in links_by_global_id(fake, report["ticket"]["key"])


@pytest.mark.parametrize("fake", ["cloud"], indirect=True)
def test_of_several_active_sprints_the_notice_names_the_one_chosen(site: JiraSite) -> None:
    later = site.fake.add_sprint(
        site.board, "Sprint 7b", "active", SPRINT_START + timedelta(hours=1), SPRINT_END
    )

    result = site.sync()

    assert result.code == 0, result.err
    assert (
        f"board {site.board} has 2 active sprints ('Sprint 7', 'Sprint 7b'); using 'Sprint 7b'"
        in result.out
    )
    assert site.fake.issue("PAY-1").sprint_ids == (later,)


@pytest.mark.parametrize("fake", ["cloud"], indirect=True)
def test_a_late_change_of_a_closed_sprint_goes_to_that_sprints_ticket(
    tmp_path: Path, fake: FakeJira
) -> None:
    site = build_site(tmp_path, fake, sprint=False)
    # Sprint 6 overran its planned end and is still active at the first sync.
    sprint6 = fake.add_sprint(site.board, "Sprint 6", "active", EARLIER, SPRINT_START)
    site.write_config(since=EARLIER)
    commit_at(site, "first", days_before_sprint=5)
    first = site.sync("--json")
    assert first.code == 0, first.err
    assert first.json()["ticket"]["key"] == "PAY-1"
    fake.close_sprint(sprint6, SPRINT_START)
    fake.add_sprint(site.board, "Sprint 7", "active", SPRINT_START, SPRINT_END)
    late = commit_at(site, "late", days_before_sprint=2)  # pushed now, merged in Sprint 6

    result = site.sync("--json")

    assert result.code == 0, result.err
    assert result.json()["ticket"]["key"] == "PAY-2"
    assert f"release-train:{late}" in links_by_global_id(fake, "PAY-1")
    assert f"release-train:{late}" not in links_by_global_id(fake, "PAY-2")
    assert "carried over" not in result.err + result.out


def test_a_change_of_a_closed_sprint_without_a_ticket_is_carried_over_to_the_current_one(
    tmp_path: Path, fake: FakeJira
) -> None:
    site = build_site(tmp_path, fake, sprint=False)
    fake.add_sprint(site.board, "Sprint 6", "closed", EARLIER, SPRINT_START)
    current = fake.add_sprint(site.board, "Sprint 7", "active", SPRINT_START, SPRINT_END)
    site.write_config(since=EARLIER)
    carried = commit_at(site, "Fix refund rounding", days_before_sprint=5)

    result = site.sync()

    assert result.code == 0, result.err
    assert (
        "note: 1 change(s) carried over from sprint 'Sprint 6', which closed without a "
        "Release Train ticket, to PAY-1"
    ) in result.out
    assert ticket_creates(site) == 1  # none for the closed sprint
    assert fake.issue("PAY-1").sprint_ids == (current,)
    assert f"release-train:{carried}" in links_by_global_id(fake, "PAY-1")
    [comment] = fake.comments("PAY-1")
    assert re.search(r"Carried over from Sprint 6:\*? 1", comment.text), comment.text
    mark = site.mark()

    again = site.sync()

    assert again.code == 0, again.err
    assert writes(site.since(mark)) == []
    assert "carried over" not in again.out
